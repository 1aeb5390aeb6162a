// One call of the simple offer simulator played out as CTI events (offered and ringing now, answered
// after the ring, ended after the talk, wrap-up finished after the rest of the handle time), so agent
// states and queue metrics move as they would with a real switch. The agent's call control
// (answer, hold, resume, transfer, hangup) changes the script as a switch would.
import type { CallControlRequest, CallOffered as OfferMessage } from '../../../shared/protocol';
import { CallControlRefused } from '../calls/call-control';
import type { CtiEvent } from './events';

export interface SimulatedCallHooks {
  ingest(event: CtiEvent): Promise<void>;
  /** Ends the agent's wrap-up of the call if they have not ended it themselves. */
  finishWrapUp(agent: string, interactionId: string): Promise<unknown>;
  onError(err: unknown): void;
}

export interface SimulatedCall {
  /** Call control from the agent's desktop; throws a message for an action the call's phase does not allow. */
  control(action: Exclude<CallControlRequest['action'], 'finishWrapUp'>, target?: string): Promise<void>;
  /** Drops what is left of the script (center stop). */
  cancel(): void;
  /** True once the call has ended (and wrap-up was finished or cancelled). */
  readonly over: boolean;
}

/** Ring, talk and wrap-up shares of the handle time. */
const RING_SHARE = 0.05;
const TALK_SHARE = 0.75;

/** Plays the call. */
export function playSimulatedCall(offer: OfferMessage, handleMs: number, hooks: SimulatedCallHooks): SimulatedCall {
  const base = { interactionId: offer.interactionId, ani: offer.ani, dnis: offer.dnis, queue: offer.queue };
  const agent = offer.agent;
  const at = () => new Date().toISOString();
  const ringMs = Math.round(handleMs * RING_SHARE);
  const talkMs = Math.round(handleMs * TALK_SHARE);
  const startedAt = Date.now();
  let phase: 'ringing' | 'talking' | 'held' | 'ended' = 'ringing';
  let answeredAt = 0;
  let over = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, step: () => Promise<unknown>) => {
    const t = setTimeout(() => {
      timers.delete(t);
      void step().catch(hooks.onError);
    }, ms);
    t.unref();
    timers.add(t);
  };
  const clear = () => {
    timers.forEach(clearTimeout);
    timers.clear();
  };
  const answer = async () => {
    if (phase !== 'ringing') return;
    phase = 'talking';
    answeredAt = Date.now();
    await hooks.ingest({ type: 'call_answered', ...base, agent, holdTimeSec: Math.round((answeredAt - startedAt) / 1000), at: at() });
  };
  const end = async (endedBy: 'agent' | 'caller' | 'transfer', target?: string) => {
    if (phase === 'ended') return;
    phase = 'ended';
    clear();
    if (target !== undefined) await hooks.ingest({ type: 'call_transferred', ...base, agent, target, at: at() });
    const talkTimeSec = answeredAt ? Math.round((Date.now() - answeredAt) / 1000) : 0;
    await hooks.ingest({ type: 'call_ended', ...base, agent, talkTimeSec, endedBy, at: at() });
    // Wrap-up: the agent ends it, or it ends after the rest of the handle time.
    later(Math.max(0, handleMs - ringMs - talkMs), async () => {
      over = true;
      await hooks.finishWrapUp(agent, offer.interactionId);
    });
  };

  void (async () => {
    await hooks.ingest({ type: 'call_offered', ...base, at: at() });
    await hooks.ingest({ type: 'call_ringing', ...base, agent, at: at() });
  })().catch(hooks.onError);
  later(ringMs, answer);
  later(ringMs + talkMs, () => end('caller'));

  return {
    get over() {
      return over;
    },
    cancel() {
      clear();
      over = true;
    },
    async control(action, target) {
      if (phase === 'ended') throw new CallControlRefused('This call is already over; there is nothing to do on it but finish wrap-up.');
      if (action === 'answer') {
        if (phase !== 'ringing') throw new CallControlRefused('This call is already answered.');
        return answer();
      }
      if (action === 'hold' || action === 'resume') {
        const from = action === 'hold' ? 'talking' : 'held';
        if (phase !== from) throw new CallControlRefused(action === 'hold' ? 'Only a call in conversation can be put on hold.' : 'The call is not on hold.');
        phase = action === 'hold' ? 'held' : 'talking';
        return hooks.ingest({ type: action === 'hold' ? 'call_held' : 'call_resumed', ...base, agent, at: at() });
      }
      if (phase === 'ringing') throw new CallControlRefused('Answer the call first.');
      return action === 'transfer' ? end('transfer', target ?? 'unknown') : end('agent');
    },
  };
}
