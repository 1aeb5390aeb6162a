// Live queue metrics (DOMAIN.md, "Agents, queues and the live view"): fed with our CTI events and the
// agent state machine's changes, it answers per queue for the rolling window, since local midnight and
// in 15-minute buckets. Each queue visit of a call is followed from offer to the end of its wrap-up.
import type { CtiEvent } from './cti-events';
import { AGENT_STATES, type AgentState, type AgentStateChange } from './agent-state';
import { startOfLocalDay } from './local-day';
import { SERVICE_LEVEL_FORMULAS, type PeriodFigures, type QueueMetrics, type ServiceLevelFormula } from '../../../../shared/protocol';

export interface QueueMetricSettings {
  serviceLevelFormula: ServiceLevelFormula;
  /** T: answered within this many seconds counts towards the service level. Default 20. */
  serviceLevelThresholdSec: number;
  /** Abandons sooner than this are short abandons, counted apart. Default 5. */
  shortAbandonSec: number;
}

export const DEFAULT_QUEUE_METRIC_SETTINGS: QueueMetricSettings = {
  serviceLevelFormula: 'abandons_count_against',
  serviceLevelThresholdSec: 20,
  shortAbandonSec: 5,
};

export interface QueueMetricsOptions {
  /** The tenant's IANA time zone, e.g. Asia/Seoul: "today" starts at its midnight. */
  timeZone: string;
  /** Rolling window length. Default 30 minutes. */
  windowMs?: number;
  settingsOf?: (queue: string) => Partial<QueueMetricSettings>;
  /** Queues to report even before any call reaches them. */
  queues?: readonly string[];
}

export const BUCKET_MS = 15 * 60_000;
const HANDLE_STATES: readonly AgentState[] = ['on_call', 'on_hold', 'wrap_up'];

/** One call's stay in one queue: from entering it to the end of the last agent's work on it. */
interface Visit {
  interactionId: string;
  queue: string;
  /** When the engine first saw the visit (its first event). */
  createdAt: number;
  /** The latest `createdAt` of this and every earlier visit of the queue: never decreases along the list. */
  prefixMax: number;
  offeredAt: number | null;
  answeredAt: number | null;
  abandonedAt: number | null;
  /** Queue entry to answer or abandon. */
  waitMs: number | null;
  /** The call ended or left this queue. */
  endedAt: number | null;
  /** Time agents were connected to the caller (talk and hold). */
  connectedMs: number;
  connectedSince: number | null;
  holdMs: number;
  holdSince: number | null;
  wrapUpMs: number;
  /** Agents whose current state is about this visit (ringing, on the call, in its wrap-up). */
  agentsOn: Set<string>;
  lastAgentLeftAt: number | null;
}

interface AgentInterval {
  state: AgentState;
  queue: string | null;
  queues: readonly string[];
  from: number;
  to: number | null;
}

interface AgentNow {
  state: AgentState;
  reason: string | null;
  since: number;
  queues: readonly string[];
  visit: Visit | null;
  intervals: AgentInterval[];
  /** Every queue this agent served or handled a call of, ever: a tally skips agents who never touched its queue. */
  touched: Set<string>;
}

const visitKey = (interactionId: string, queue: string) => `${interactionId}\u0000${queue}`;

/**
 * A queue's visits in the order they were created, and what lets a period's tally look only at the recent
 * end of that list: the visits that may still change (`open`), the longest a finished visit spanned from
 * creation to its last timestamp, and how far out of time order visits were created.
 */
interface QueueVisits {
  list: Visit[];
  open: Set<Visit>;
  maxCreated: number;
  disorder: number;
  /** Of finished visits: the most any timestamp came after `createdAt`, and before it. */
  maxSpan: number;
  maxBack: number;
}

const newQueueVisits = (): QueueVisits => ({ list: [], open: new Set(), maxCreated: -Infinity, disorder: 0, maxSpan: 0, maxBack: 0 });

const SLICE_MS = 60_000;

/** First index of `list` whose prefixMax is at least (`strict`: more than) `x`. */
function firstIndex(list: readonly Visit[], x: number, strict: boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = (list[mid] as Visit).prefixMax;
    if (strict ? p > x : p >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Handling is over: the call left the queue and no agent is still on it (talking or in wrap-up). */
function completedAt(v: Visit): number | null {
  if (v.endedAt === null || v.agentsOn.size > 0) return null;
  return Math.max(v.endedAt, v.lastAgentLeftAt ?? v.endedAt);
}

interface Period {
  from: number;
  /** Exclusive. */
  to: number;
  /** Intervals still open are counted up to here. */
  now: number;
}

interface Tally {
  offered: number;
  answered: number;
  answeredWithinT: number;
  abandoned: number;
  shortAbandoned: number;
  abandonedAfterT: number;
  waitMs: number;
  handled: number;
  connectedMs: number;
  holdMs: number;
  wrapUpMs: number;
  /** Occupancy: agents' time on the queue's calls, and available time of agents serving it. */
  handleMs: number;
  idleMs: number;
}

const emptyTally = (): Tally => ({
  offered: 0, answered: 0, answeredWithinT: 0, abandoned: 0, shortAbandoned: 0, abandonedAfterT: 0,
  waitMs: 0, handled: 0, connectedMs: 0, holdMs: 0, wrapUpMs: 0, handleMs: 0, idleMs: 0,
});

function addTally(into: Tally, t: Tally): void {
  for (const k of Object.keys(into) as Array<keyof Tally>) into[k] += t[k];
}

const ratio = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
const avgSec = (totalMs: number, count: number): number | null => (count > 0 ? Math.round(totalMs / count / 100) / 10 : null);

/** The figures supervisors see, from a period's tally under the queue's settings. */
function figuresOf(from: number, t: Tally, s: QueueMetricSettings): PeriodFigures {
  const slDenominator = {
    abandons_count_against: t.answered + t.abandoned,
    early_abandons_ignored: t.answered + t.abandonedAfterT,
    abandons_excluded: t.answered,
  }[s.serviceLevelFormula];
  return {
    from: new Date(from).toISOString(),
    offered: t.offered,
    answered: t.answered,
    abandoned: t.abandoned,
    shortAbandoned: t.shortAbandoned,
    abandonedAfterT: t.abandonedAfterT,
    answeredWithinT: t.answeredWithinT,
    serviceLevel: ratio(t.answeredWithinT, slDenominator),
    asaSec: avgSec(t.waitMs, t.answered),
    handled: t.handled,
    ahtSec: avgSec(t.connectedMs + t.wrapUpMs, t.handled),
    avgTalkSec: avgSec(t.connectedMs - t.holdMs, t.handled),
    avgHoldSec: avgSec(t.holdMs, t.handled),
    avgWrapUpSec: avgSec(t.wrapUpMs, t.handled),
    abandonRate: ratio(t.abandoned, t.offered),
    occupancy: ratio(t.handleMs, t.handleMs + t.idleMs),
  };
}

export class QueueMetricsEngine {
  private readonly visits = new Map<string, Visit>();
  private readonly byQueue = new Map<string, QueueVisits>();
  private lastPruneAt = -Infinity;
  private readonly currentVisit = new Map<string, Visit>();
  private readonly agents = new Map<string, AgentNow>();
  /** The agents by name, for the live view; dropped when an agent is added. */
  private agentsByName: Array<[string, AgentNow]> | null = null;
  private readonly windowMs: number;
  private timeZone: string;
  /** Tallies of finished buckets, keyed by queue and bucket start; an event dated inside one drops it. */
  private readonly bucketCache = new Map<string, { from: number; to: number; tally: Tally }>();
  /** No cached tally ends after this: an event dated here or later leaves the cache alone. */
  private cachedEnd = -Infinity;

  constructor(private readonly options: QueueMetricsOptions) {
    this.windowMs = options.windowMs ?? 30 * 60_000;
    startOfLocalDay(0, options.timeZone); // refuse an unknown zone now, not at the first snapshot
    this.timeZone = options.timeZone;
    for (const q of options.queues ?? []) this.byQueue.set(q, newQueueVisits());
  }

  /** The tenant's time zone changed: "today" and its buckets start at the new zone's midnight from the next snapshot. */
  setTimeZone(timeZone: string): void {
    startOfLocalDay(0, timeZone); // throws on an unknown zone, keeping the current one
    this.timeZone = timeZone;
  }

  /** Reports a queue (e.g. one created while the center runs) before any call reaches it. */
  knowQueue(queue: string): void {
    if (!this.byQueue.has(queue)) this.byQueue.set(queue, newQueueVisits());
  }

  settings(queue: string): QueueMetricSettings {
    return { ...DEFAULT_QUEUE_METRIC_SETTINGS, ...this.options.settingsOf?.(queue) };
  }

  ingestCti(event: CtiEvent): void {
    const at = Date.parse(event.at);
    this.seen(at);
    if (event.type === 'agent_paused') return; // the agent state machine turns pauses into state changes
    const { interactionId, queue } = event;
    switch (event.type) {
      case 'call_offered': {
        const previous = this.currentVisit.get(interactionId);
        if (previous && previous.endedAt === null) {
          this.closeConnection(previous, at, true);
          this.byQueue.get(previous.queue)?.open.add(previous);
        }
        const visit = this.newVisit(interactionId, queue, at);
        visit.offeredAt = at;
        return;
      }
      case 'call_ringing':
        this.visitOf(interactionId, queue, at);
        return;
      case 'call_answered': {
        const visit = this.visitOf(interactionId, queue, at);
        if (visit.answeredAt === null && visit.abandonedAt === null) {
          visit.answeredAt = at;
          visit.waitMs = visit.offeredAt !== null ? at - visit.offeredAt : event.holdTimeSec * 1000;
        }
        visit.connectedSince ??= at;
        return;
      }
      case 'call_held': {
        const visit = this.visitOf(interactionId, queue, at);
        if (visit.connectedSince !== null) visit.holdSince ??= at;
        return;
      }
      case 'call_resumed': {
        const visit = this.visitOf(interactionId, queue, at);
        if (visit.holdSince !== null) {
          visit.holdMs += at - visit.holdSince;
          visit.holdSince = null;
        }
        return;
      }
      case 'call_transferred':
        this.closeConnection(this.visitOf(interactionId, queue, at), at, false);
        return;
      case 'call_ended':
        this.closeConnection(this.visitOf(interactionId, queue, at), at, true);
        return;
      case 'call_abandoned': {
        const visit = this.visitOf(interactionId, queue, at);
        if (visit.answeredAt === null && visit.abandonedAt === null) {
          visit.abandonedAt = at;
          visit.waitMs = visit.offeredAt !== null ? at - visit.offeredAt : event.holdTimeSec * 1000;
        }
        visit.endedAt ??= at;
        return;
      }
    }
  }

  /**
   * Makes an agent known before their first change (e.g. every registered agent at start-up, or after
   * a change of skills), so the live view lists them; their time in state starts at `since`.
   */
  knowAgent(status: { agent: string; state: AgentState; reason: string | null; since: number; queues: readonly string[] }): void {
    const known = this.agents.get(status.agent);
    if (known) {
      known.queues = [...status.queues];
      for (const q of status.queues) known.touched.add(q);
      return;
    }
    const interval: AgentInterval = { state: status.state, queue: null, queues: [...status.queues], from: status.since, to: null };
    this.agentsByName = null;
    this.agents.set(status.agent, { state: status.state, reason: status.reason, since: status.since, queues: interval.queues, visit: null, intervals: [interval], touched: new Set(status.queues) });
  }

  ingestAgentChange(change: AgentStateChange): void {
    const at = change.at;
    this.seen(at);
    let agent = this.agents.get(change.agent);
    if (!agent) {
      agent = { state: change.from, reason: null, since: at, queues: change.queues, visit: null, intervals: [], touched: new Set() };
      this.agentsByName = null;
      this.agents.set(change.agent, agent);
    }
    const last = agent.intervals[agent.intervals.length - 1];
    if (last && last.to === null) last.to = at;
    if (agent.visit) {
      const v = agent.visit;
      if (agent.state === 'wrap_up') v.wrapUpMs += at - agent.since;
      v.agentsOn.delete(change.agent);
      v.lastAgentLeftAt = at;
    }
    agent.state = change.to;
    agent.reason = change.reason;
    agent.since = at;
    agent.queues = change.queues;
    for (const q of change.queues) agent.touched.add(q);
    if (change.queue !== null) agent.touched.add(change.queue);
    agent.visit = change.interactionId !== null && change.queue !== null ? this.visitOf(change.interactionId, change.queue, at) : null;
    agent.visit?.agentsOn.add(change.agent);
    agent.intervals.push({ state: change.to, queue: change.queue, queues: change.queues, from: at, to: null });
  }

  /** Every queue's metrics at `now` (ms). */
  snapshot(now: number): Record<string, QueueMetrics> {
    this.prune(now);
    const out: Record<string, QueueMetrics> = {};
    for (const queue of this.byQueue.keys()) out[queue] = this.queueSnapshot(queue, now);
    return out;
  }

  queueSnapshot(queue: string, now: number): QueueMetrics {
    const settings = this.settings(queue);
    const qv = this.byQueue.get(queue) ?? newQueueVisits();
    this.sweep(qv);
    const dayStart = startOfLocalDay(now, this.timeZone);
    let waitingNow = 0;
    let oldest: number | null = null;
    for (const v of qv.open) {
      if (v.offeredAt !== null && v.answeredAt === null && v.endedAt === null) {
        waitingNow += 1;
        if (oldest === null || v.offeredAt < oldest) oldest = v.offeredAt;
      }
    }
    // "Today" is the sum of its buckets: finished ones are cached, so a snapshot only counts the last.
    const buckets: Record<string, PeriodFigures> = {};
    const today = emptyTally();
    for (let from = dayStart; from <= now; from += BUCKET_MS) {
      const to = from + BUCKET_MS;
      // The thresholds are in the key: a tally counted under other settings is not reused.
      const key = `${queue}\u0000${from}\u0000${settings.serviceLevelThresholdSec}\u0000${settings.shortAbandonSec}`;
      let tally = to <= now ? this.bucketCache.get(key)?.tally : undefined;
      if (!tally) {
        tally = this.periodTally(queue, qv, settings, from, to, now);
        if (to <= now) this.cache(key, from, to, tally);
      }
      addTally(today, tally);
      buckets[new Date(from).toISOString()] = figuresOf(from, tally, settings);
    }
    const agentsByState: Record<string, number> = Object.fromEntries(AGENT_STATES.map((s) => [s, 0]));
    const agents: QueueMetrics['agents'] = {};
    this.agentsByName ??= [...this.agents.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (const [name, a] of this.agentsByName) {
      if (!a.queues.includes(queue)) continue;
      agentsByState[a.state] = (agentsByState[a.state] ?? 0) + 1;
      agents[name] = { state: a.state, reason: a.reason, since: new Date(a.since).toISOString(), timeInStateSec: Math.max(0, Math.floor((now - a.since) / 1000)) };
    }
    return {
      queue,
      at: new Date(now).toISOString(),
      timeZone: this.timeZone,
      serviceLevel: {
        formula: settings.serviceLevelFormula,
        expression: SERVICE_LEVEL_FORMULAS[settings.serviceLevelFormula],
        thresholdSec: settings.serviceLevelThresholdSec,
      },
      shortAbandonSec: settings.shortAbandonSec,
      windowMin: this.windowMs / 60_000,
      waitingNow,
      longestWaitSec: oldest === null ? 0 : Math.max(0, Math.floor((now - oldest) / 1000)),
      window: figuresOf(now - this.windowMs, this.periodTally(queue, qv, settings, now - this.windowMs, now + 1, now), settings),
      today: figuresOf(dayStart, today, settings),
      buckets,
      agentsByState,
      agents,
    };
  }

  /** The raw sums of a period; they add up across adjacent periods, which "today" relies on. */
  private tally(queue: string, visits: readonly Visit[], s: QueueMetricSettings, p: Period): Tally {
    const inP = (t: number | null): t is number => t !== null && t >= p.from && t < p.to;
    const tMs = s.serviceLevelThresholdSec * 1000;
    const shortMs = s.shortAbandonSec * 1000;
    const t = emptyTally();
    for (const v of visits) {
      if (inP(v.offeredAt)) t.offered += 1;
      const wait = v.waitMs ?? 0;
      if (inP(v.answeredAt)) {
        t.answered += 1;
        t.waitMs += wait;
        if (wait <= tMs) t.answeredWithinT += 1;
      }
      if (inP(v.abandonedAt)) {
        if (wait < shortMs) t.shortAbandoned += 1;
        else {
          t.abandoned += 1;
          if (wait > tMs) t.abandonedAfterT += 1;
        }
      }
      if (v.answeredAt !== null && inP(completedAt(v))) {
        t.handled += 1;
        t.connectedMs += v.connectedMs;
        t.holdMs += v.holdMs;
        t.wrapUpMs += v.wrapUpMs;
      }
    }
    const end = Math.min(p.to, p.now);
    for (const a of this.agents.values()) {
      if (!a.touched.has(queue)) continue; // none of its intervals can count here
      // Intervals are back to back in time: start at the first one still running at p.from.
      const list = a.intervals;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const i = list[mid] as AgentInterval;
        if (i.to !== null && i.to <= p.from) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < list.length; k++) {
        const i = list[k] as AgentInterval;
        if (i.from >= end) break;
        const d = Math.min(i.to ?? p.now, end) - Math.max(i.from, p.from);
        if (d <= 0) continue;
        if (i.queue === queue && HANDLE_STATES.includes(i.state)) t.handleMs += d;
        else if (i.state === 'available' && i.queues.includes(queue)) t.idleMs += d;
      }
    }
    return t;
  }

  private seen(at: number): void {
    // Normally events come in time order and finished periods stay finished; a late one reopens its own.
    if (at >= this.cachedEnd) return;
    for (const [key, cached] of this.bucketCache) if (cached.to > at) this.bucketCache.delete(key);
    this.cachedEnd = at;
  }

  private cache(key: string, from: number, to: number, tally: Tally): void {
    this.bucketCache.set(key, { from, to, tally });
    this.cachedEnd = Math.max(this.cachedEnd, to);
  }

  /**
   * The tally of [from, min(to, now + 1)), as the sum of whole minutes (finished ones cached, like finished
   * buckets) and the partial minutes at its ends, so the once-a-second window and current bucket count
   * only the last minute's visits and intervals again, however busy the 30 minutes were.
   */
  private periodTally(queue: string, qv: QueueVisits, s: QueueMetricSettings, from: number, to: number, now: number): Tally {
    const end = Math.min(to, now + 1);
    const t = emptyTally();
    const slice = (a: number, b: number) => addTally(t, this.tally(queue, this.visitsBetween(qv, a, b), s, { from: a, to: b, now: Math.min(now, b) }));
    let cursor = from;
    const firstMinute = Math.ceil(from / SLICE_MS) * SLICE_MS;
    if (firstMinute > cursor) {
      slice(cursor, Math.min(firstMinute, end));
      cursor = Math.min(firstMinute, end);
    }
    for (; cursor + SLICE_MS <= end && cursor + SLICE_MS <= now; cursor += SLICE_MS) {
      const key = `${queue}\u0000m${cursor}\u0000${s.serviceLevelThresholdSec}\u0000${s.shortAbandonSec}`;
      let minute = this.bucketCache.get(key)?.tally;
      if (!minute) {
        minute = this.tally(queue, this.visitsBetween(qv, cursor, cursor + SLICE_MS), s, { from: cursor, to: cursor + SLICE_MS, now: cursor + SLICE_MS });
        this.cache(key, cursor, cursor + SLICE_MS, minute);
      }
      addTally(t, minute);
    }
    if (cursor < end) slice(cursor, end);
    return t;
  }

  /** The connection (talk and hold) of an agent leg ends; `ended` when the call also leaves the queue. */
  private closeConnection(v: Visit, at: number, ended: boolean): void {
    if (v.holdSince !== null) {
      v.holdMs += at - v.holdSince;
      v.holdSince = null;
    }
    if (v.connectedSince !== null) {
      v.connectedMs += at - v.connectedSince;
      v.connectedSince = null;
    }
    if (ended) v.endedAt ??= at;
  }

  /** Visits that finished since the last sweep leave `open`; how far their timestamps reach is kept for `visitsBetween`. */
  private sweep(qv: QueueVisits): void {
    for (const v of qv.open) {
      const done = completedAt(v);
      if (done === null) continue;
      const times = [done, v.offeredAt, v.answeredAt, v.abandonedAt].filter((x): x is number => x !== null);
      qv.maxSpan = Math.max(qv.maxSpan, Math.max(...times) - v.createdAt);
      qv.maxBack = Math.max(qv.maxBack, v.createdAt - Math.min(...times));
      qv.open.delete(v);
    }
  }

  /**
   * Every visit that can have a timestamp in [from, to): the open ones, and the finished ones within the
   * stretch of the list where one can (found by binary search on prefixMax, widened by the longest span,
   * the furthest reach back and the creation disorder seen). A tally of a short period then costs only
   * the visits around it, not the whole day's.
   */
  private visitsBetween(qv: QueueVisits, from: number, to: number): Visit[] {
    const out = [...qv.open];
    const lo = firstIndex(qv.list, from - qv.maxSpan, false);
    const hi = firstIndex(qv.list, to + qv.maxBack + qv.disorder, true);
    for (let i = lo; i < hi; i++) {
      const v = qv.list[i] as Visit;
      if (!qv.open.has(v)) out.push(v);
    }
    return out;
  }

  private newVisit(interactionId: string, queue: string, at: number): Visit {
    const visit: Visit = {
      interactionId,
      queue,
      createdAt: at,
      prefixMax: at,
      offeredAt: null,
      answeredAt: null,
      abandonedAt: null,
      waitMs: null,
      endedAt: null,
      connectedMs: 0,
      connectedSince: null,
      holdMs: 0,
      holdSince: null,
      wrapUpMs: 0,
      agentsOn: new Set(),
      lastAgentLeftAt: null,
    };
    this.visits.set(visitKey(interactionId, queue), visit);
    this.currentVisit.set(interactionId, visit);
    let qv = this.byQueue.get(queue);
    if (!qv) {
      qv = newQueueVisits();
      this.byQueue.set(queue, qv);
    }
    qv.disorder = Math.max(qv.disorder, qv.maxCreated - at);
    qv.maxCreated = Math.max(qv.maxCreated, at);
    visit.prefixMax = qv.maxCreated;
    qv.list.push(visit);
    qv.open.add(visit);
    return visit;
  }

  /** The visit an event about (call, queue) belongs to; an engine started mid-call creates it on first sight. */
  private visitOf(interactionId: string, queue: string, at: number): Visit {
    const known = this.visits.get(visitKey(interactionId, queue));
    if (!known) return this.newVisit(interactionId, queue, at);
    this.byQueue.get(queue)?.open.add(known); // it may change again: the next sweep looks at it
    return known;
  }

  /** Forgets finished visits and agent intervals older than both the window and today. */
  private prune(now: number): void {
    // A pass over the whole day's visits: once a minute of engine time is enough to bound memory.
    if (now >= this.lastPruneAt && now - this.lastPruneAt < 60_000) return;
    this.lastPruneAt = now;
    const horizon = Math.min(now - this.windowMs, startOfLocalDay(now, this.timeZone));
    for (const qv of this.byQueue.values()) {
      const keep = qv.list.filter((v) => {
        const done = completedAt(v);
        const old = done !== null && done < horizon && (v.offeredAt ?? done) < horizon;
        if (old) {
          if (this.visits.get(visitKey(v.interactionId, v.queue)) === v) this.visits.delete(visitKey(v.interactionId, v.queue));
          if (this.currentVisit.get(v.interactionId) === v) this.currentVisit.delete(v.interactionId);
          qv.open.delete(v);
        }
        return !old;
      });
      if (keep.length !== qv.list.length) qv.list = keep;
    }
    for (const a of this.agents.values()) {
      const firstKept = a.intervals.findIndex((i) => i.to === null || i.to >= horizon);
      if (firstKept > 0) a.intervals.splice(0, firstKept);
    }
    for (const [key, cached] of this.bucketCache) if (cached.to < horizon) this.bucketCache.delete(key);
  }
}
