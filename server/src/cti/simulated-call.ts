// One call of the simple offer simulator played out as CTI events (offered and ringing now, answered
// after the ring, ended after the talk, wrap-up finished after the rest of the handle time), so agent
// states and queue metrics move as they would with a real switch.
import type { CallOffered as OfferMessage } from '../../../shared/protocol';
import type { CtiEvent } from './events';

export interface SimulatedCallHooks {
  ingest(event: CtiEvent): Promise<void>;
  /** Ends the agent's wrap-up of the call if they have not ended it themselves. */
  finishWrapUp(agent: string, interactionId: string): Promise<unknown>;
  onError(err: unknown): void;
}

/** Ring, talk and wrap-up shares of the handle time. */
const RING_SHARE = 0.05;
const TALK_SHARE = 0.75;

/** Plays the call; returns a function that cancels what is left of it (center stop). */
export function playSimulatedCall(offer: OfferMessage, handleMs: number, hooks: SimulatedCallHooks): () => void {
  const base = { interactionId: offer.interactionId, ani: offer.ani, dnis: offer.dnis, queue: offer.queue };
  const at = () => new Date().toISOString();
  const ringMs = Math.round(handleMs * RING_SHARE);
  const talkMs = Math.round(handleMs * TALK_SHARE);
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const later = (ms: number, step: () => Promise<unknown>) => {
    const t = setTimeout(() => void step().catch(hooks.onError), ms);
    t.unref();
    timers.push(t);
  };
  void (async () => {
    await hooks.ingest({ type: 'call_offered', ...base, at: at() });
    await hooks.ingest({ type: 'call_ringing', ...base, agent: offer.agent, at: at() });
  })().catch(hooks.onError);
  later(ringMs, () => hooks.ingest({ type: 'call_answered', ...base, agent: offer.agent, holdTimeSec: Math.round(ringMs / 1000), at: at() }));
  later(ringMs + talkMs, () =>
    hooks.ingest({ type: 'call_ended', ...base, agent: offer.agent, talkTimeSec: Math.round(talkMs / 1000), endedBy: 'caller', at: at() }),
  );
  later(handleMs, () => hooks.finishWrapUp(offer.agent, offer.interactionId));
  return () => timers.forEach(clearTimeout);
}
