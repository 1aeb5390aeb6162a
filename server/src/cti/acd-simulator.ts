// The full ACD simulator for demos and load tests: Poisson callers per queue who give up when their
// patience runs out, routing to the longest-idle available agent with the skill, ring-no-answer back to
// the queue, call control (answer, hold, resume, transfer, hang up, finish wrap-up) and optional
// simulated agents. It emits our CTI events and moves agents through the agent state machine.
// Time is a virtual clock the owner advances, randomness a seeded Prng: a run is reproducible.
import type { Prng } from '../demo/prng';
import type { AgentStates } from '../queues/agent-state';
import type { CtiEvent } from './events';

export interface AcdQueueConfig {
  id: string;
  /** Mean arrival rate (Poisson), calls per hour. 0 for a queue that only receives transfers. */
  arrivalsPerHour: number;
  /** Mean caller patience in seconds (exponential): a caller still waiting after it hangs up. */
  meanPatienceSec: number;
  /** Mean talk time of simulated agents, seconds (exponential, at least 5 s). */
  meanTalkSec: number;
  /** Mean wrap-up time of simulated agents, seconds (exponential). */
  meanWrapUpSec: number;
}

/** How the simulator plays the agents it drives; people use the call control methods instead. */
export interface SimulatedAgentBehaviour {
  agents: readonly string[];
  /** Seconds from ringing to answering, drawn uniformly. Keep the upper end below the ring timeout. */
  answerAfterSec: [number, number];
  /** Share of offered calls the agent lets ring out. */
  missChance: number;
  holdChance: number;
  meanHoldSec: number;
  /** At the end of the talk: share of calls transferred to another queue, and to another agent. */
  transferToQueueChance: number;
  transferToAgentChance: number;
  /** Share of calls the caller (not the agent) ends. */
  callerHangsUpChance: number;
  /** Share of wrap-ups followed by a break, and its mean length. */
  breakChance: number;
  meanBreakSec: number;
  /** Seconds an agent who missed a call stays not ready before making themself available again. */
  backAfterMissSec: number;
  /** Sign the simulated agents in (available) at start. Default true; false when people sign in from desktops. */
  signIn?: boolean;
  /**
   * The demo's script instead of exponential talk and wrap-up times: each call rung to a simulated
   * agent takes a handle time drawn uniformly from [min, max] seconds (answered after 5 % of it,
   * ended by the caller after 75 % more, wrap-up done after the last 20 %), and the agent is not rung
   * again before the handle time has passed, even when they finish sooner themselves.
   */
  handleTimeSec?: [number, number];
}

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
  onEvent: (event: CtiEvent) => void;
}

export interface VirtualClock {
  now(): number;
  set(ms: number): void;
}

export function createVirtualClock(startMs: number): VirtualClock {
  let now = startMs;
  return {
    now: () => now,
    set(ms) {
      if (ms < now) throw new Error(`The virtual clock cannot go back from ${new Date(now).toISOString()} to ${new Date(ms).toISOString()}.`);
      now = ms;
    },
  };
}

/** A call another node was carrying, as the CTI journal last saw it (see adoptCall). */
export interface AdoptedCall {
  interactionId: string;
  ani: string;
  queue: string;
  /** Entry into the current queue, ms since epoch. */
  enteredAt: number;
  state: 'waiting' | 'ringing' | 'connected' | 'held';
  agent: string | null;
  /** Answered at least once in this queue visit. */
  answered: boolean;
  legStartedAt: number | null;
}

export type TransferTarget = { queue: string } | { agent: string };

/** A refused call control command; the message says why and what to do. */
export class CallControlError extends Error {
  override readonly name = 'CallControlError';
}

export interface AcdStats {
  offered: number;
  answered: number;
  abandoned: number;
  /** Rings that timed out and went back to the queue. */
  missed: number;
  transferred: number;
  ended: number;
}

interface SimCall {
  interactionId: string;
  ani: string;
  queue: string;
  /** Entry into the current queue: waiting order and speed of answer. */
  enteredAt: number;
  originalPosition: number;
  state: 'waiting' | 'ringing' | 'connected' | 'held' | 'ended';
  agent: string | null;
  /** Answered at least once in this queue visit: a later hang-up is an end, not an abandon. */
  answered: boolean;
  legStartedAt: number | null;
  timers: Set<Timer>;
}

interface Timer {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** A binary min-heap of timers by (at, seq): events due at the same instant run in the order they were set. */
class TimerHeap {
  private readonly items: Timer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i] as Timer, a[parent] as Timer)) break;
      [a[i], a[parent]] = [a[parent] as Timer, a[i] as Timer];
      i = parent;
    }
  }
  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l] as Timer, a[m] as Timer)) m = l;
        if (r < a.length && before(a[r] as Timer, a[m] as Timer)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Timer, a[i] as Timer];
        i = m;
      }
    }
    return top;
  }
}
const before = (x: Timer, y: Timer) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

/** handleTimeSec mode: the ring's and the talk's shares of a call's handle time (the rest is wrap-up). */
const HANDLE_RING_SHARE = 0.05;
const HANDLE_TALK_SHARE = 0.75;

/** Guards every advance against a runaway schedule (e.g. an arrival rate typed in calls per second). */
const MAX_STEPS_PER_ADVANCE = 5_000_000;

export class AcdSimulator {
  private readonly heap = new TimerHeap();
  private timerSeq = 0;
  private readonly queues = new Map<string, AcdQueueConfig>();
  private readonly waiting = new Map<string, SimCall[]>();
  private readonly callOfAgent = new Map<string, SimCall>();
  private readonly robots: Set<string>;
  private readonly statsNow: AcdStats = { offered: 0, answered: 0, abandoned: 0, missed: 0, transferred: 0, ended: 0 };
  private readonly ringTimeoutMs: number;
  private started = false;
  private realtime: ReturnType<typeof setInterval> | null = null;
  private routing = false;
  private readonly unsubscribe: () => void;
  /** handleTimeSec mode: each rung call's handle time (ms), and until when each agent is not rung again. */
  private readonly handleMs = new Map<string, number>();
  private readonly busyUntil = new Map<string, number>();

  constructor(private readonly o: AcdSimulatorOptions) {
    for (const q of o.queues) {
      if (!(q.arrivalsPerHour >= 0) || !(q.meanPatienceSec > 0) || !(q.meanTalkSec > 0) || !(q.meanWrapUpSec >= 0)) {
        throw new Error(`ACD queue ${q.id} needs arrivalsPerHour >= 0 and positive patience and talk times; check its configuration.`);
      }
      this.queues.set(q.id, q);
      this.waiting.set(q.id, []);
    }
    this.ringTimeoutMs = (o.ringTimeoutSec ?? 15) * 1000;
    this.robots = new Set(o.simulated?.agents ?? []);
    this.unsubscribe = o.agents.onChange((change) => {
      const settleMs = this.o.signInSettleMs ?? 0;
      if (settleMs > 0 && change.from === 'offline' && change.to === 'available') {
        this.busyUntil.set(change.agent, Math.max(this.busyUntil.get(change.agent) ?? 0, this.o.clock.now() + settleMs));
        this.after(settleMs, () => this.route());
      }
      if (this.robots.has(change.agent)) this.robotReacts(change.agent, change.to, change.cause);
      // Anyone becoming available may take a waiting call (after the current step, not inside it).
      if (change.to === 'available') this.after(0, () => this.route());
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
      if (s.state === 'available' && s.since + settleMs > now) {
        this.busyUntil.set(s.agent, s.since + settleMs);
        this.after(s.since + settleMs - now, () => this.route());
      }
    }
    for (const q of this.queues.values()) this.scheduleArrival(q);
    if (this.o.simulated?.signIn !== false) {
      for (const agent of this.robots) {
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
      const timer = this.heap.peek();
      const agentDeadline = this.o.agents.nextDeadline();
      const timerAt = timer?.at ?? Infinity;
      const next = Math.min(timerAt, agentDeadline ?? Infinity);
      if (next > ms) break;
      this.o.clock.set(Math.max(next, this.o.clock.now()));
      if (agentDeadline !== null && agentDeadline <= timerAt) {
        this.o.agents.tick();
        continue;
      }
      this.heap.pop();
      if (timer && !timer.cancelled) timer.run();
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
    return (this.waiting.get(queue) ?? []).map((c) => ({ interactionId: c.interactionId, waitingSinceMs: c.enteredAt }));
  }

  /** The call an agent is ringing with, talking on or holding, if any. */
  callOf(agent: string): { interactionId: string; queue: string; state: SimCall['state'] } | null {
    const call = this.callOfAgent.get(agent);
    return call ? { interactionId: call.interactionId, queue: call.queue, state: call.state } : null;
  }

  /** A caller dials in now (besides the random arrivals). Returns the interaction id. */
  placeCall(queue: string, ani?: string): string {
    const q = this.requireQueue(queue);
    const call: SimCall = {
      interactionId: this.o.random.uuid(),
      ani: ani ?? this.callerNumber(),
      queue: q.id,
      enteredAt: this.o.clock.now(),
      originalPosition: 0,
      state: 'waiting',
      agent: null,
      answered: false,
      legStartedAt: null,
      timers: new Set(),
    };
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
    const sim: SimCall = {
      interactionId: call.interactionId,
      ani: call.ani,
      queue: q.id,
      enteredAt: call.enteredAt,
      originalPosition: 0,
      state: 'waiting',
      agent: null,
      answered: call.answered,
      legStartedAt: null,
      timers: new Set(),
    };
    if (call.state === 'waiting' || call.state === 'ringing') {
      this.requeue(sim);
      sim.originalPosition = (this.waiting.get(q.id) as SimCall[]).indexOf(sim) + 1;
      this.atCall(sim, this.exponential(q.meanPatienceSec * 1000), () => this.callerGivesUp(sim));
      this.route();
      return 'queued';
    }
    const agent = call.agent;
    const status = agent !== null ? this.o.agents.get(agent) : null;
    const onIt = status !== null && status.interactionId === call.interactionId && (status.state === 'on_call' || status.state === 'on_hold');
    if (agent === null || !onIt || this.callOfAgent.has(agent)) {
      this.clearTimers(sim);
      sim.state = 'ended';
      this.statsNow.ended += 1;
      this.emit({ type: 'call_ended', ...this.base(sim), agent: null, talkTimeSec: null, endedBy: 'unknown' });
      return 'ended';
    }
    sim.state = status.state === 'on_hold' ? 'held' : 'connected';
    sim.agent = agent;
    sim.legStartedAt = call.legStartedAt ?? this.o.clock.now();
    this.callOfAgent.set(agent, sim);
    if (this.robots.has(agent)) {
      // A simulated agent's plans for the call died with the old node: draw the rest afresh.
      const talkMs = Math.max(5_000, this.exponential(q.meanTalkSec * 1000));
      if (sim.state === 'held') {
        const holdMs = Math.min(talkMs, this.exponential((this.o.simulated?.meanHoldSec ?? 30) * 1000));
        this.atCall(sim, holdMs, () => {
          if (sim.agent === agent && sim.state === 'held') this.resume(agent);
        });
      }
      this.atCall(sim, talkMs, () => this.robotEndsTalk(agent, sim));
    }
    return 'attached';
  }

  // ---------- call control ----------

  answer(agent: string): void {
    const call = this.requireCall(agent, ['ringing'], 'answer');
    this.clearTimers(call);
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
    this.after(gapMs, () => {
      const full = this.o.maxWaitingPerQueue !== undefined && (this.waiting.get(q.id) as SimCall[]).length >= this.o.maxWaitingPerQueue;
      if (!full) this.placeCall(q.id);
      this.scheduleArrival(q);
    });
  }

  private enterQueue(call: SimCall, q: AcdQueueConfig): void {
    const list = this.waiting.get(q.id) as SimCall[];
    call.state = 'waiting';
    call.agent = null;
    list.push(call);
    call.originalPosition = list.length;
    this.statsNow.offered += 1;
    this.emit({ type: 'call_offered', ...this.base(call) });
    this.atCall(call, this.exponential(q.meanPatienceSec * 1000), () => this.callerGivesUp(call));
    this.route();
  }

  /** Puts a call back in its queue in order of entry (a missed ring keeps the caller's place). */
  private requeue(call: SimCall): void {
    const list = this.waiting.get(call.queue) as SimCall[];
    call.state = 'waiting';
    call.agent = null;
    let i = list.length;
    while (i > 0 && (list[i - 1] as SimCall).enteredAt > call.enteredAt) i--;
    list.splice(i, 0, call);
  }

  private removeWaiting(call: SimCall): number | null {
    const list = this.waiting.get(call.queue) as SimCall[];
    const i = list.indexOf(call);
    if (i < 0) return null;
    list.splice(i, 1);
    return i + 1;
  }

  /** Offers waiting calls, oldest first across queues, to the longest-idle agent with the skill. */
  private route(): void {
    if (this.routing) return;
    this.routing = true;
    try {
      const calls = [...this.waiting.values()].flat().sort((a, b) => a.enteredAt - b.enteredAt);
      const now = this.o.clock.now();
      for (const call of calls) {
        const [agent] = this.o.agents.longestIdle(call.queue).filter((a) => (this.busyUntil.get(a) ?? 0) <= now);
        if (agent === undefined) continue;
        this.removeWaiting(call);
        this.ring(call, agent);
      }
    } finally {
      this.routing = false;
    }
  }

  private ring(call: SimCall, agent: string): void {
    call.state = 'ringing';
    call.agent = agent;
    this.callOfAgent.set(agent, call);
    this.o.agents.setBySystem(agent, { to: 'ringing', interactionId: call.interactionId, queue: call.queue }, 'call_ringing');
    this.emit({ type: 'call_ringing', ...this.base(call), agent });
    this.atCall(call, this.ringTimeoutMs, () => this.ringTimedOut(call, agent));
  }

  private ringTimedOut(call: SimCall, agent: string): void {
    if (call.state !== 'ringing' || call.agent !== agent) return;
    this.statsNow.missed += 1;
    this.callOfAgent.delete(agent);
    this.requeue(call);
    this.o.agents.setBySystem(agent, { to: 'not_ready', reason: 'missed' }, 'ring_timeout');
    // An unanswered caller's patience is still running; one already answered (then transferred) gets a new one.
    if (call.answered) this.atCall(call, this.exponential(this.requireQueue(call.queue).meanPatienceSec * 1000), () => this.callerGivesUp(call));
    this.route();
  }

  private callerGivesUp(call: SimCall): void {
    if (call.state === 'connected' || call.state === 'held' || call.state === 'ended') return;
    if (call.answered) {
      // Already talked to someone (then transferred): this is the end of a call, not an abandon.
      this.endCall(call, 'caller');
      return;
    }
    const position = this.removeWaiting(call);
    const ringing = call.state === 'ringing' ? call.agent : null;
    this.clearTimers(call);
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
    this.removeWaiting(call);
    this.clearTimers(call);
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
    this.clearTimers(call); // the leaving agent's plans for this call (hold, end of talk) go with them
    call.legStartedAt = null;
    this.afterCall(agent, call, 'call_transferred');
  }

  private afterCall(agent: string, call: SimCall, cause: string): void {
    const to = this.o.agents.wrapUpAfter(call.queue) ? 'wrap_up' : 'available';
    this.o.agents.setBySystem(agent, { to, interactionId: call.interactionId, queue: call.queue }, cause);
  }

  // ---------- simulated agents ----------

  private robotReacts(agent: string, state: string, cause: string): void {
    const b = this.o.simulated;
    if (!b) return;
    const r = this.o.random;
    if (state === 'ringing') {
      const call = this.callOfAgent.get(agent);
      if (!call) return;
      let answerMs: number;
      if (b.handleTimeSec) {
        const [hMin, hMax] = b.handleTimeSec;
        const handleMs = (hMin + r.next() * (hMax - hMin)) * 1000;
        this.handleMs.set(call.interactionId, handleMs);
        // Calls of a queue without wrap-up never reach the delete below: keep the map bounded.
        if (this.handleMs.size > 10_000) this.handleMs.delete(this.handleMs.keys().next().value as string);
        this.busyUntil.set(agent, this.o.clock.now() + handleMs);
        this.after(handleMs, () => this.route());
        if (r.chance(b.missChance)) return;
        answerMs = handleMs * HANDLE_RING_SHARE;
      } else {
        if (r.chance(b.missChance)) return;
        const [lo, hi] = b.answerAfterSec;
        answerMs = (lo + r.next() * (hi - lo)) * 1000;
      }
      this.atCall(call, answerMs, () => {
        if (call.state === 'ringing' && call.agent === agent) this.answer(agent);
      });
    } else if (state === 'on_call' && cause === 'call_answered') {
      const call = this.callOfAgent.get(agent);
      if (!call) return;
      const q = this.requireQueue(call.queue);
      const scripted = this.handleMs.get(call.interactionId);
      const talkMs = scripted !== undefined ? scripted * HANDLE_TALK_SHARE : Math.max(5_000, this.exponential(q.meanTalkSec * 1000));
      if (r.chance(b.holdChance)) {
        const holdAt = talkMs * (0.2 + 0.5 * r.next());
        const holdMs = Math.min(this.exponential(b.meanHoldSec * 1000), talkMs - holdAt - 1000);
        if (holdMs > 0) {
          this.atCall(call, holdAt, () => {
            if (call.agent === agent && call.state === 'connected') this.hold(agent);
          });
          this.atCall(call, holdAt + holdMs, () => {
            if (call.agent === agent && call.state === 'held') this.resume(agent);
          });
        }
      }
      this.atCall(call, talkMs, () => this.robotEndsTalk(agent, call));
    } else if (state === 'wrap_up') {
      const status = this.o.agents.get(agent);
      const q = status.queue !== null ? this.queues.get(status.queue) : undefined;
      const interactionId = status.interactionId;
      const scripted = interactionId !== null ? this.handleMs.get(interactionId) : undefined;
      if (interactionId !== null) this.handleMs.delete(interactionId);
      const wrapMs = scripted !== undefined ? scripted * (1 - HANDLE_RING_SHARE - HANDLE_TALK_SHARE) : this.exponential((q?.meanWrapUpSec ?? 30) * 1000);
      this.after(wrapMs, () => {
        const now = this.o.agents.get(agent);
        if (now.state !== 'wrap_up' || now.interactionId !== interactionId) return;
        if (r.chance(b.breakChance)) {
          this.finishWrapUp(agent, { notReady: 'break' });
          this.backLater(agent, this.exponential(b.meanBreakSec * 1000));
        } else {
          this.finishWrapUp(agent);
        }
      });
    } else if (state === 'not_ready' && cause === 'ring_timeout') {
      this.backLater(agent, b.backAfterMissSec * 1000);
    }
  }

  private robotEndsTalk(agent: string, call: SimCall): void {
    const b = this.o.simulated;
    if (!b || call.agent !== agent || (call.state !== 'connected' && call.state !== 'held')) return;
    const r = this.o.random;
    const roll = r.next();
    if (roll < b.transferToQueueChance) {
      const others = [...this.queues.keys()].filter((q) => q !== call.queue);
      if (others.length > 0) {
        this.transfer(agent, { queue: r.pick(others) });
        return;
      }
    } else if (roll < b.transferToQueueChance + b.transferToAgentChance) {
      const [colleague] = this.o.agents.longestIdle(call.queue).filter((a) => a !== agent);
      if (colleague !== undefined) {
        this.transfer(agent, { agent: colleague });
        return;
      }
    }
    this.endCall(call, r.chance(b.callerHangsUpChance) ? 'caller' : 'agent');
  }

  private backLater(agent: string, ms: number): void {
    this.after(ms, () => {
      const status = this.o.agents.get(agent);
      if (status.state === 'not_ready') this.o.agents.setByAgent(agent, 'available');
    });
  }

  // ---------- plumbing ----------

  private after(ms: number, run: () => void): Timer {
    // Whole milliseconds, as in the events' ISO timestamps, so durations from either agree to the ms.
    const timer: Timer = { at: this.o.clock.now() + Math.max(0, Math.round(ms)), seq: this.timerSeq++, run, cancelled: false };
    this.heap.push(timer);
    return timer;
  }

  /** A timer that belongs to a call and dies with it (or when the call is answered). */
  private atCall(call: SimCall, ms: number, run: () => void): void {
    const timer = this.after(ms, () => {
      call.timers.delete(timer);
      run();
    });
    call.timers.add(timer);
  }

  private clearTimers(call: SimCall): void {
    for (const t of call.timers) t.cancelled = true;
    call.timers.clear();
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

