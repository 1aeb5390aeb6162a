// The agents the ACD simulator plays itself (load tests, the demo's colleagues): they answer after a
// while or let it ring out, hold, transfer or end the call, wrap up and sometimes take a break. People
// use the simulator's call control instead. In the demo's script (`handleTimeSec`) each call takes a
// handle time drawn once: answered after 5 % of it, talked for 75 %, wrapped up for the rest.
import type { Prng } from '../../base/random';
import type { AgentStates } from '../../floor/model/agent-state';
import type { AcdQueueConfig, SimCall, SimulatedAgentBehaviour, TransferTarget } from './calls';

/** handleTimeSec mode: the ring's and the talk's shares of a call's handle time (the rest is wrap-up). */
const HANDLE_RING_SHARE = 0.05;
const HANDLE_TALK_SHARE = 0.75;
/** Calls of a queue without wrap-up never reach their scripted wrap-up: the script map stays bounded. */
const MAX_SCRIPTED_CALLS = 10_000;

/** What the simulated agents may see and do of the simulator. */
export interface SimulatorForAgents {
  readonly agents: AgentStates;
  readonly random: Prng;
  readonly queues: ReadonlyMap<string, AcdQueueConfig>;
  now(): number;
  callOf(agent: string): SimCall | undefined;
  /** Runs `run` after `ms`; `call`: the timer dies with that call. */
  after(ms: number, run: () => void, call?: SimCall): void;
  exponential(meanMs: number): number;
  /** The agent is not rung before `untilMs` (the script's handle time). */
  holdBack(agent: string, untilMs: number): void;
  answer(agent: string): void;
  hold(agent: string): void;
  resume(agent: string): void;
  transfer(agent: string, target: TransferTarget): void;
  endCall(call: SimCall, endedBy: 'agent' | 'caller'): void;
  finishWrapUp(agent: string, next?: 'available' | { notReady: string }): void;
}

export class SimulatedAgents {
  /** handleTimeSec mode: each rung call's handle time (ms). */
  private readonly handleMs = new Map<string, number>();
  private readonly names: ReadonlySet<string>;

  constructor(
    private readonly sim: SimulatorForAgents,
    private readonly b: SimulatedAgentBehaviour,
  ) {
    this.names = new Set(b.agents);
  }

  plays(agent: string): boolean {
    return this.names.has(agent);
  }

  /** A played agent's state changed: they act on it as the behaviour says. */
  react(agent: string, state: string, cause: string): void {
    if (state === 'ringing') this.rung(agent);
    else if (state === 'on_call' && cause === 'call_answered') this.answered(agent);
    else if (state === 'wrap_up') this.wrapUp(agent);
    else if (state === 'not_ready' && cause === 'ring_timeout') this.backLater(agent, this.b.backAfterMissSec * 1000);
  }

  /** A call adopted from another node, in talk or on hold with a played agent: its plans are drawn afresh. */
  carryOn(agent: string, call: SimCall, q: AcdQueueConfig): void {
    const talkMs = Math.max(5_000, this.sim.exponential(q.meanTalkSec * 1000));
    if (call.state === 'held') {
      const holdMs = Math.min(talkMs, this.sim.exponential(this.b.meanHoldSec * 1000));
      this.sim.after(holdMs, () => call.agent === agent && call.state === 'held' && this.sim.resume(agent), call);
    }
    this.sim.after(talkMs, () => this.endsTalk(agent, call), call);
  }

  private rung(agent: string): void {
    const { sim, b } = this;
    const call = sim.callOf(agent);
    if (!call) return;
    let answerMs: number;
    if (b.handleTimeSec) {
      const [hMin, hMax] = b.handleTimeSec;
      const handleMs = (hMin + sim.random.next() * (hMax - hMin)) * 1000;
      this.handleMs.set(call.interactionId, handleMs);
      if (this.handleMs.size > MAX_SCRIPTED_CALLS) this.handleMs.delete(this.handleMs.keys().next().value as string);
      sim.holdBack(agent, sim.now() + handleMs);
      if (sim.random.chance(b.missChance)) return;
      answerMs = handleMs * HANDLE_RING_SHARE;
    } else {
      if (sim.random.chance(b.missChance)) return;
      const [lo, hi] = b.answerAfterSec;
      answerMs = (lo + sim.random.next() * (hi - lo)) * 1000;
    }
    sim.after(answerMs, () => call.state === 'ringing' && call.agent === agent && sim.answer(agent), call);
  }

  private answered(agent: string): void {
    const { sim, b } = this;
    const call = sim.callOf(agent);
    if (!call) return;
    const q = sim.queues.get(call.queue) as AcdQueueConfig;
    const scripted = this.handleMs.get(call.interactionId);
    const talkMs = scripted !== undefined ? scripted * HANDLE_TALK_SHARE : Math.max(5_000, sim.exponential(q.meanTalkSec * 1000));
    if (sim.random.chance(b.holdChance)) {
      const holdAt = talkMs * (0.2 + 0.5 * sim.random.next());
      const holdMs = Math.min(sim.exponential(b.meanHoldSec * 1000), talkMs - holdAt - 1000);
      if (holdMs > 0) {
        sim.after(holdAt, () => call.agent === agent && call.state === 'connected' && sim.hold(agent), call);
        sim.after(holdAt + holdMs, () => call.agent === agent && call.state === 'held' && sim.resume(agent), call);
      }
    }
    sim.after(talkMs, () => this.endsTalk(agent, call), call);
  }

  private wrapUp(agent: string): void {
    const { sim, b } = this;
    const status = sim.agents.get(agent);
    const q = status.queue !== null ? sim.queues.get(status.queue) : undefined;
    const interactionId = status.interactionId;
    const scripted = interactionId !== null ? this.handleMs.get(interactionId) : undefined;
    if (interactionId !== null) this.handleMs.delete(interactionId);
    const wrapMs = scripted !== undefined ? scripted * (1 - HANDLE_RING_SHARE - HANDLE_TALK_SHARE) : sim.exponential((q?.meanWrapUpSec ?? 30) * 1000);
    sim.after(wrapMs, () => {
      const now = sim.agents.get(agent);
      if (now.state !== 'wrap_up' || now.interactionId !== interactionId) return;
      if (sim.random.chance(b.breakChance)) {
        sim.finishWrapUp(agent, { notReady: 'break' });
        this.backLater(agent, sim.exponential(b.meanBreakSec * 1000));
      } else {
        sim.finishWrapUp(agent);
      }
    });
  }

  private endsTalk(agent: string, call: SimCall): void {
    const { sim, b } = this;
    if (call.agent !== agent || (call.state !== 'connected' && call.state !== 'held')) return;
    const roll = sim.random.next();
    if (roll < b.transferToQueueChance) {
      const others = [...sim.queues.keys()].filter((q) => q !== call.queue);
      if (others.length > 0) {
        sim.transfer(agent, { queue: sim.random.pick(others) });
        return;
      }
    } else if (roll < b.transferToQueueChance + b.transferToAgentChance) {
      const [colleague] = sim.agents.longestIdle(call.queue).filter((a) => a !== agent);
      if (colleague !== undefined) {
        sim.transfer(agent, { agent: colleague });
        return;
      }
    }
    sim.endCall(call, sim.random.chance(b.callerHangsUpChance) ? 'caller' : 'agent');
  }

  private backLater(agent: string, ms: number): void {
    this.sim.after(ms, () => {
      if (this.sim.agents.get(agent).state === 'not_ready') this.sim.agents.setByAgent(agent, 'available');
    });
  }
}
