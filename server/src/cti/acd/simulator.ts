// The full ACD simulator for demos and load tests: Poisson callers per queue who give up when their
// patience runs out, routing (routing.ts) to the longest-idle available agent with the skill,
// ring-no-answer back to the queue, call control (answer, hold, resume, transfer, hang up, finish
// wrap-up) and optional simulated agents (simulated-agents.ts). It emits our CTI events and moves
// agents through the agent state machine. Time is a virtual clock the owner advances (clock.ts),
// randomness a seeded Prng: a run is reproducible.
import type { Prng } from '../../base/random';
import type { AgentStates } from '../../floor/model/agent-state';
import type { CtiEvent } from '../../floor/model/cti-events';
import { CallControlError, type AcdQueueConfig, type AcdStats, type AdoptedCall, type SimCall, type SimulatedAgentBehaviour, type TransferTarget } from './calls';
import { Timers, type VirtualClock } from './clock';
import { QueueBoard } from './routing';
import { SimulatedAgents, type SimulatorForAgents } from './simulated-agents';

export interface AcdSimulatorOptions {
  /** The simulated time (ms); the simulator moves it forward in advanceTo(). */
  clock: VirtualClock;
  random: Prng;
  /** The tenant's agent state machine; agents must be registered with their queues. */
  agents: AgentStates;
  queues: readonly AcdQueueConfig[];
  /** Seconds a ringing call waits for the agent before going back to the queue. Default 15. */
  ringTimeoutSec?: number;
  dnis: string;
  /** Callers' numbers to draw from (e.g. the demo customers'); others are made up. */
  callerNumbers?: readonly string[];
  /** Share (0–1) of callers with a number not in `callerNumbers`. Default 0.2. */
  unknownCallerShare?: number;
  simulated?: SimulatedAgentBehaviour;
  /**
   * An agent who signs in (offline → available) is first rung this many ms later: a desktop that has
   * just connected attaches its handlers as its connect resolves, and a ring in the same moment would
   * be lost on it. Default 0.
   */
  signInSettleMs?: number;
  /** Callers who find this many calls waiting in the queue hear busy and are not offered. Default: no limit. */
  maxWaitingPerQueue?: number;
  /**
   * The share (0–1) of each queue's `arrivalsPerHour` that calls at this moment, asked at every
   * arrival (thinning a Poisson stream keeps it Poisson at the lower rate): the demo's callers follow
   * how many agents are staffed. Default: always 1.
   */
  arrivalLoad?: () => number;
  onEvent: (event: CtiEvent) => void;
}

/** Guards every advance against a runaway schedule (e.g. an arrival rate typed in calls per second). */
const MAX_STEPS_PER_ADVANCE = 5_000_000;

export class AcdSimulator {
  private readonly timers: Timers;
  private readonly queues = new Map<string, AcdQueueConfig>();
  private readonly board: QueueBoard;
  private readonly callOfAgent = new Map<string, SimCall>();
  private readonly played: SimulatedAgents | null;
  private readonly statsNow: AcdStats = { offered: 0, answered: 0, abandoned: 0, missed: 0, transferred: 0, ended: 0 };
  private readonly ringTimeoutMs: number;
  private started = false;
  private realtime: ReturnType<typeof setInterval> | null = null;
  private routing = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: AcdSimulatorOptions) {
    for (const q of o.queues) {
      if (!(q.arrivalsPerHour >= 0) || !(q.meanPatienceSec > 0) || !(q.meanTalkSec > 0) || !(q.meanWrapUpSec >= 0)) {
        throw new Error(`ACD queue ${q.id} needs arrivalsPerHour >= 0 and positive patience and talk times; check its configuration.`);
      }
      this.queues.set(q.id, q);
    }
    this.timers = new Timers(o.clock);
    this.board = new QueueBoard(this.queues.keys());
    this.ringTimeoutMs = (o.ringTimeoutSec ?? 15) * 1000;
    this.played = o.simulated ? new SimulatedAgents(this.forAgents(), o.simulated) : null;
    this.unsubscribe = o.agents.onChange((change) => {
      const settleMs = this.o.signInSettleMs ?? 0;
      if (settleMs > 0 && change.from === 'offline' && change.to === 'available') this.holdBack(change.agent, this.o.clock.now() + settleMs);
      if (this.played?.plays(change.agent)) this.played.react(change.agent, change.to, change.cause);
      // Anyone becoming available may take a waiting call (after the current step, not inside it).
      if (change.to === 'available') this.timers.after(0, () => this.route());
    });
  }

  /** Starts arrivals and signs the simulated agents in. Nothing happens until time is advanced. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const settleMs = this.o.signInSettleMs ?? 0;
    const now = this.o.clock.now();
    for (const s of settleMs > 0 ? this.o.agents.list() : []) {
      // Signed in just before the simulator started: they settle too.
      if (s.state === 'available' && s.since + settleMs > now) this.holdBack(s.agent, s.since + settleMs);
    }
    for (const q of this.queues.values()) this.scheduleArrival(q);
    if (this.o.simulated?.signIn !== false) {
      for (const agent of this.o.simulated?.agents ?? []) {
        if (this.o.agents.get(agent).state === 'offline') this.o.agents.setByAgent(agent, 'available');
      }
    }
    this.route();
  }

  /** Runs everything due up to `ms`, in time order, leaving the clock at `ms`. */
  advanceTo(ms: number): void {
    for (let step = 0; ; step++) {
      if (step >= MAX_STEPS_PER_ADVANCE) {
        throw new Error(`The ACD simulator did more than ${MAX_STEPS_PER_ADVANCE} steps in one advance; lower the arrival rates or advance in smaller steps.`);
      }
      const agentDeadline = this.o.agents.nextDeadline();
      const timerAt = this.timers.nextAt();
      const next = Math.min(timerAt, agentDeadline ?? Infinity);
      if (next > ms) break;
      this.o.clock.set(Math.max(next, this.o.clock.now()));
      if (agentDeadline !== null && agentDeadline <= timerAt) {
        this.o.agents.tick();
        continue;
      }
      this.timers.runNext();
    }
    this.o.clock.set(Math.max(ms, this.o.clock.now()));
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.o.clock.now() + ms);
  }

  /** For the demo: follow the wall clock, advancing every `tickMs`. The virtual clock should start at Date.now(). */
  runRealtime(tickMs = 200): void {
    if (this.realtime) return;
    this.start();
    const wallStart = Date.now();
    const simStart = this.o.clock.now();
    this.realtime = setInterval(() => this.advanceTo(simStart + (Date.now() - wallStart)), tickMs);
  }

  /** Stops following the wall clock; the simulation can still be advanced by hand. */
  stop(): void {
    if (this.realtime) clearInterval(this.realtime);
    this.realtime = null;
  }

  /** Stops for good and lets go of the agent state machine (which outlives a simulator). */
  close(): void {
    this.stop();
    this.unsubscribe();
  }

  stats(): AcdStats {
    return { ...this.statsNow };
  }

  /** Calls waiting in a queue, oldest first. */
  waitingIn(queue: string): Array<{ interactionId: string; waitingSinceMs: number }> {
    return this.board.waitingIn(queue).map((c) => ({ interactionId: c.interactionId, waitingSinceMs: c.enteredAt }));
  }

  /** The call an agent is ringing with, talking on or holding, if any. */
  callOf(agent: string): { interactionId: string; queue: string; state: SimCall['state'] } | null {
    const call = this.callOfAgent.get(agent);
    return call ? { interactionId: call.interactionId, queue: call.queue, state: call.state } : null;
  }

  /** A caller dials in now (besides the random arrivals). Returns the interaction id. */
  placeCall(queue: string, ani?: string): string {
    const q = this.requireQueue(queue);
    const call = this.newCall({ interactionId: this.o.random.uuid(), ani: ani ?? this.callerNumber(), queue: q.id, enteredAt: this.o.clock.now(), answered: false });
    this.enterQueue(call, q);
    return call.interactionId;
  }

  /**
   * Takes over a call another center node's simulator was carrying when it died (rebuilt from the
   * CTI journal). Nothing is re-offered: the call keeps its id and its time of entry, so waiting
   * order, hold time and speed of answer go on as before. A waiting or ringing call waits again (its
   * ring died with the old node); a call in talk stays with its agent if this node's agent states
   * show the agent on it; otherwise nobody can carry it on and it ends (`endedBy: 'unknown'`).
   * Callers' patience is exponential, hence memoryless: a fresh draw is as good as the lost timer.
   */
  adoptCall(call: AdoptedCall): 'queued' | 'attached' | 'ended' {
    const q = this.requireQueue(call.queue);
    const sim = this.newCall({ interactionId: call.interactionId, ani: call.ani, queue: q.id, enteredAt: call.enteredAt, answered: call.answered });
    if (call.state === 'waiting' || call.state === 'ringing') {
      sim.originalPosition = this.requeue(sim);
      this.timers.afterIn(sim.timers, this.exponential(q.meanPatienceSec * 1000), () => this.callerGivesUp(sim));
      this.route();
      return 'queued';
    }
    const agent = call.agent;
    const status = agent !== null ? this.o.agents.get(agent) : null;
    const onIt = status !== null && status.interactionId === call.interactionId && (status.state === 'on_call' || status.state === 'on_hold');
    if (agent === null || !onIt || this.callOfAgent.has(agent)) {
      sim.state = 'ended';
      this.statsNow.ended += 1;
      this.emit({ type: 'call_ended', ...this.base(sim), agent: null, talkTimeSec: null, endedBy: 'unknown' });
      return 'ended';
    }
    sim.state = status.state === 'on_hold' ? 'held' : 'connected';
    sim.agent = agent;
    sim.legStartedAt = call.legStartedAt ?? this.o.clock.now();
    this.callOfAgent.set(agent, sim);
    // A simulated agent's plans for the call died with the old node: drawn afresh.
    if (this.played?.plays(agent)) this.played.carryOn(agent, sim, q);
    return 'attached';
  }

  // ---------- call control ----------

  answer(agent: string): void {
    const call = this.requireCall(agent, ['ringing'], 'answer');
    this.timers.cancel(call.timers);
    call.state = 'connected';
    call.legStartedAt = this.o.clock.now();
    if (!call.answered) {
      call.answered = true;
      this.statsNow.answered += 1;
    }
    this.emit({ type: 'call_answered', ...this.base(call), agent, holdTimeSec: Math.floor((this.o.clock.now() - call.enteredAt) / 1000) });
    this.o.agents.setBySystem(agent, { to: 'on_call', interactionId: call.interactionId, queue: call.queue }, 'call_answered');
  }

  hold(agent: string): void {
    const call = this.requireCall(agent, ['connected'], 'hold');
    call.state = 'held';
    this.emit({ type: 'call_held', ...this.base(call), agent });
    this.o.agents.setBySystem(agent, { to: 'on_hold' }, 'call_held');
  }

  resume(agent: string): void {
    const call = this.requireCall(agent, ['held'], 'resume');
    call.state = 'connected';
    this.emit({ type: 'call_resumed', ...this.base(call), agent });
    this.o.agents.setBySystem(agent, { to: 'on_call' }, 'call_resumed');
  }

  /** Transfers the agent's call to another queue (it waits there afresh) or straight to an available agent. */
  transfer(agent: string, target: TransferTarget): void {
    const call = this.requireCall(agent, ['connected', 'held'], 'transfer');
    if ('queue' in target) {
      const q = this.requireQueue(target.queue);
      if (q.id === call.queue) throw new CallControlError(`The call is already in queue ${q.id}; pick another queue or an agent.`);
      this.leaveCall(agent, call, `queue:${q.id}`);
      call.queue = q.id;
      call.enteredAt = this.o.clock.now();
      call.answered = false;
      this.enterQueue(call, q);
      return;
    }
    const to = target.agent;
    if (to === agent) throw new CallControlError('An agent cannot transfer a call to themself; pick another agent or a queue.');
    const status = this.o.agents.get(to);
    if (status.state !== 'available') {
      throw new CallControlError(`Agent ${to} is ${status.state.replace('_', ' ')}, not available; transfer to a queue instead or try again later.`);
    }
    this.leaveCall(agent, call, `agent:${to}`);
    this.ring(call, to);
  }

  /** The agent ends the call. */
  hangUp(agent: string): void {
    const call = this.requireCall(agent, ['connected', 'held'], 'hang up');
    this.endCall(call, 'agent');
  }

  /** Ends the agent's wrap-up: available, or not ready with a reason. */
  finishWrapUp(agent: string, next: 'available' | { notReady: string } = 'available'): void {
    const state = this.o.agents.get(agent).state;
    if (state !== 'wrap_up') throw new CallControlError(`Agent ${agent} is ${state.replace('_', ' ')}, not in wrap-up; there is no wrap-up to finish.`);
    if (next === 'available') this.o.agents.setByAgent(agent, 'available');
    else this.o.agents.setByAgent(agent, 'not_ready', next.notReady);
  }

  // ---------- the queue ----------

  private scheduleArrival(q: AcdQueueConfig): void {
    if (q.arrivalsPerHour <= 0) return;
    const gapMs = this.exponential(3_600_000 / q.arrivalsPerHour);
    this.timers.after(gapMs, () => {
      const full = this.o.maxWaitingPerQueue !== undefined && this.board.count(q.id) >= this.o.maxWaitingPerQueue;
      const calls = this.o.arrivalLoad === undefined || this.o.random.next() < this.o.arrivalLoad();
      if (!full && calls) this.placeCall(q.id);
      this.scheduleArrival(q);
    });
  }

  private enterQueue(call: SimCall, q: AcdQueueConfig): void {
    call.state = 'waiting';
    call.agent = null;
    call.originalPosition = this.board.enter(call);
    this.statsNow.offered += 1;
    this.emit({ type: 'call_offered', ...this.base(call) });
    this.timers.afterIn(call.timers, this.exponential(q.meanPatienceSec * 1000), () => this.callerGivesUp(call));
    this.route();
  }

  /** Puts a call back in its queue in order of entry; returns its position. */
  private requeue(call: SimCall): number {
    call.state = 'waiting';
    call.agent = null;
    return this.board.requeue(call);
  }

  /** Offers waiting calls, oldest first across queues, to the longest-idle agent with the skill. */
  private route(): void {
    if (this.routing) return;
    this.routing = true;
    try {
      const now = this.o.clock.now();
      for (const call of this.board.oldestFirst()) {
        const agent = this.board.agentFor(call, this.o.agents, now);
        if (agent === undefined) continue;
        this.board.remove(call);
        this.ring(call, agent);
      }
    } finally {
      this.routing = false;
    }
  }

  /** The agent is not rung before `untilMs`; waiting calls are routed again then. */
  private holdBack(agent: string, untilMs: number): void {
    this.board.holdBack(agent, untilMs);
    this.timers.after(untilMs - this.o.clock.now(), () => this.route());
  }

  private ring(call: SimCall, agent: string): void {
    call.state = 'ringing';
    call.agent = agent;
    this.callOfAgent.set(agent, call);
    this.o.agents.setBySystem(agent, { to: 'ringing', interactionId: call.interactionId, queue: call.queue }, 'call_ringing');
    this.emit({ type: 'call_ringing', ...this.base(call), agent });
    this.timers.afterIn(call.timers, this.ringTimeoutMs, () => this.ringTimedOut(call, agent));
  }

  private ringTimedOut(call: SimCall, agent: string): void {
    if (call.state !== 'ringing' || call.agent !== agent) return;
    this.statsNow.missed += 1;
    this.callOfAgent.delete(agent);
    this.requeue(call);
    this.o.agents.setBySystem(agent, { to: 'not_ready', reason: 'missed' }, 'ring_timeout');
    // An unanswered caller's patience is still running; one already answered (then transferred) gets a new one.
    if (call.answered) this.timers.afterIn(call.timers, this.exponential(this.requireQueue(call.queue).meanPatienceSec * 1000), () => this.callerGivesUp(call));
    this.route();
  }

  private callerGivesUp(call: SimCall): void {
    if (call.state === 'connected' || call.state === 'held' || call.state === 'ended') return;
    if (call.answered) {
      // Already talked to someone (then transferred): this is the end of a call, not an abandon.
      this.endCall(call, 'caller');
      return;
    }
    const position = this.board.remove(call);
    const ringing = call.state === 'ringing' ? call.agent : null;
    this.timers.cancel(call.timers);
    call.state = 'ended';
    this.statsNow.abandoned += 1;
    this.emit({
      type: 'call_abandoned',
      ...this.base(call),
      holdTimeSec: Math.floor((this.o.clock.now() - call.enteredAt) / 1000),
      position,
      originalPosition: call.originalPosition,
    });
    if (ringing !== null) {
      this.callOfAgent.delete(ringing);
      this.o.agents.setBySystem(ringing, { to: 'available' }, 'caller_abandoned');
    }
  }

  private endCall(call: SimCall, endedBy: 'agent' | 'caller'): void {
    const agent = call.agent;
    const connected = call.state === 'connected' || call.state === 'held';
    this.board.remove(call);
    this.timers.cancel(call.timers);
    call.state = 'ended';
    this.statsNow.ended += 1;
    const talkTimeSec = connected && call.legStartedAt !== null ? Math.floor((this.o.clock.now() - call.legStartedAt) / 1000) : null;
    this.emit({ type: 'call_ended', ...this.base(call), agent: connected ? agent : null, talkTimeSec, endedBy });
    if (agent !== null) {
      this.callOfAgent.delete(agent);
      if (connected) this.afterCall(agent, call, 'call_ended');
      else this.o.agents.setBySystem(agent, { to: 'available' }, 'caller_hung_up');
    }
  }

  /** The agent's leg of a call ends by transfer: wrap-up for this agent, the call goes on. */
  private leaveCall(agent: string, call: SimCall, target: string): void {
    this.statsNow.transferred += 1;
    this.emit({ type: 'call_transferred', ...this.base(call), agent, target });
    this.callOfAgent.delete(agent);
    this.timers.cancel(call.timers); // the leaving agent's plans for this call (hold, end of talk) go with them
    call.legStartedAt = null;
    this.afterCall(agent, call, 'call_transferred');
  }

  private afterCall(agent: string, call: SimCall, cause: string): void {
    const to = this.o.agents.wrapUpAfter(call.queue) ? 'wrap_up' : 'available';
    this.o.agents.setBySystem(agent, { to, interactionId: call.interactionId, queue: call.queue }, cause);
  }

  // ---------- plumbing ----------

  /** What the simulated agents see and do of this simulator. */
  private forAgents(): SimulatorForAgents {
    return {
      agents: this.o.agents,
      random: this.o.random,
      queues: this.queues,
      now: () => this.o.clock.now(),
      callOf: (agent) => this.callOfAgent.get(agent),
      after: (ms, run, call) => (call ? this.timers.afterIn(call.timers, ms, run) : void this.timers.after(ms, run)),
      exponential: (meanMs) => this.exponential(meanMs),
      holdBack: (agent, untilMs) => this.holdBack(agent, untilMs),
      answer: (agent) => this.answer(agent),
      hold: (agent) => this.hold(agent),
      resume: (agent) => this.resume(agent),
      transfer: (agent, target) => this.transfer(agent, target),
      endCall: (call, endedBy) => this.endCall(call, endedBy),
      finishWrapUp: (agent, next) => this.finishWrapUp(agent, next),
    };
  }

  private newCall(c: Pick<SimCall, 'interactionId' | 'ani' | 'queue' | 'enteredAt' | 'answered'>): SimCall {
    return { ...c, originalPosition: 0, state: 'waiting', agent: null, legStartedAt: null, timers: new Set() };
  }

  private emit(event: CtiEvent): void {
    this.o.onEvent(event);
  }

  private base(call: SimCall) {
    return { interactionId: call.interactionId, ani: call.ani, dnis: this.o.dnis, queue: call.queue, at: new Date(this.o.clock.now()).toISOString() };
  }

  private exponential(meanMs: number): number {
    return -meanMs * Math.log(1 - this.o.random.next());
  }

  private callerNumber(): string {
    const numbers = this.o.callerNumbers ?? [];
    if (numbers.length > 0 && !this.o.random.chance(this.o.unknownCallerShare ?? 0.2)) return this.o.random.pick(numbers);
    return `+8210${String(this.o.random.int(0, 99_999_999)).padStart(8, '0')}`;
  }

  private requireQueue(queue: string): AcdQueueConfig {
    const q = this.queues.get(queue);
    if (!q) throw new CallControlError(`There is no queue ${queue} in the ACD; use one of ${[...this.queues.keys()].join(', ')}.`);
    return q;
  }

  private requireCall(agent: string, states: ReadonlyArray<SimCall['state']>, action: string): SimCall {
    const call = this.callOfAgent.get(agent);
    if (!call || !states.includes(call.state)) {
      const what = call ? `their call is ${call.state}` : 'they have no call';
      throw new CallControlError(`Agent ${agent} cannot ${action}: ${what}.`);
    }
    return call;
  }
}
