// The metrics engine against a plain reference: a seeded ACD run (hundreds of calls, abandons before
// and after T, holds, transfers, wrap-ups, across local midnight) is recorded, and at several instants
// every figure the engine gives is compared with loops over the raw recorded events.
import { describe, expect, it } from 'vitest';
import { AcdSimulator } from '../../cti/acd/simulator';
import { createVirtualClock } from '../../cti/acd/clock';
import { type AcdQueueConfig } from '../../cti/acd/calls';
import type { CtiEvent } from './cti-events';
import { createPrng } from '../../base/random';
import { AGENT_STATES, AgentStates, type AgentStateChange } from './agent-state';
import { QueueMetricsEngine, type QueueMetricSettings } from './metrics';
import { SERVICE_LEVEL_FORMULAS, applyDiff, diff, type PeriodFigures, type QueueMetrics } from '../../../../shared/protocol';

type Item = { t: number; cti: CtiEvent; change?: undefined } | { t: number; change: AgentStateChange; cti?: undefined };

const QUEUES: AcdQueueConfig[] = [
  { id: 'support', arrivalsPerHour: 200, meanPatienceSec: 70, meanTalkSec: 240, meanWrapUpSec: 40 },
  { id: 'sales', arrivalsPerHour: 100, meanPatienceSec: 50, meanTalkSec: 180, meanWrapUpSec: 30 },
  { id: 'billing', arrivalsPerHour: 60, meanPatienceSec: 90, meanTalkSec: 200, meanWrapUpSec: 60 },
];
const SETTINGS: Record<string, QueueMetricSettings> = {
  support: { serviceLevelFormula: 'abandons_count_against', serviceLevelThresholdSec: 20, shortAbandonSec: 5 },
  sales: { serviceLevelFormula: 'early_abandons_ignored', serviceLevelThresholdSec: 30, shortAbandonSec: 8 },
  billing: { serviceLevelFormula: 'abandons_excluded', serviceLevelThresholdSec: 20, shortAbandonSec: 5 },
};

/** Runs a seeded floor of 24 simulated agents from `startIso` for `minutes` and records everything. */
function recordStream(seed: number, startIso: string, minutes: number): Item[] {
  const clock = createVirtualClock(Date.parse(startIso));
  const agents = new AgentStates({ now: clock.now, queueSettings: (q) => ({ wrapUp: q !== 'sales', wrapUpLimitSec: q === 'billing' ? 90 : null }) });
  const names = Array.from({ length: 24 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}`);
  names.forEach((a, i) => agents.register(a, i % 3 === 0 ? ['support', 'sales'] : i % 3 === 1 ? ['support', 'billing'] : ['sales', 'billing']));
  const items: Item[] = [];
  agents.onChange((change) => items.push({ t: change.at, change }));
  const sim = new AcdSimulator({
    clock,
    random: createPrng(seed),
    agents,
    queues: QUEUES,
    dnis: '+8215880000',
    simulated: {
      agents: names,
      answerAfterSec: [1, 8],
      missChance: 0.03,
      holdChance: 0.3,
      meanHoldSec: 45,
      transferToQueueChance: 0.06,
      transferToAgentChance: 0.04,
      callerHangsUpChance: 0.3,
      breakChance: 0.06,
      meanBreakSec: 240,
      backAfterMissSec: 30,
    },
    onEvent: (cti) => items.push({ t: Date.parse(cti.at), cti }),
  });
  sim.start();
  for (let m = 0; m < minutes; m++) sim.advanceBy(60_000);
  return items;
}

// ---------- the reference: plain loops over the raw events, nothing shared with the engine ----------

const round4 = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);
const avg = (ms: number, n: number) => (n > 0 ? Math.round(ms / n / 100) / 10 : null);

function reference(items: Item[], now: number, queue: string, s: QueueMetricSettings, midnights: number[], timeZone: string): QueueMetrics {
  const seen = items.filter((i) => i.t <= now);
  const cti = seen.flatMap((i) => (i.cti ? [i.cti] : []));
  const changes = seen.flatMap((i) => (i.change ? [i.change] : []));
  const at = (e: { at: string }) => Date.parse(e.at);

  // Queue visits: a call's stays in this queue, from being offered to it until it ends or is offered elsewhere.
  type V = { id: string; offeredAt: number; answeredAt: number | null; abandonedAt: number | null; leftAt: number | null };
  const visitList: V[] = [];
  const open = new Map<string, V>();
  for (const e of cti) {
    if (e.type === 'agent_paused') continue;
    const v = open.get(e.interactionId);
    if (e.queue !== queue) {
      if (e.type === 'call_offered' && v) {
        v.leftAt = at(e);
        open.delete(e.interactionId);
      }
      continue;
    }
    if (e.type === 'call_offered') {
      const fresh: V = { id: e.interactionId, offeredAt: at(e), answeredAt: null, abandonedAt: null, leftAt: null };
      visitList.push(fresh);
      open.set(e.interactionId, fresh);
      continue;
    }
    if (!v) continue;
    if (e.type === 'call_answered' && v.answeredAt === null) v.answeredAt = at(e);
    if (e.type === 'call_abandoned') v.abandonedAt = at(e);
    if (e.type === 'call_abandoned' || e.type === 'call_ended') {
      v.leftAt = at(e);
      open.delete(e.interactionId);
    }
  }

  // Agent state intervals, straight from the change records.
  type I = { agent: string; state: string; id: string | null; queue: string | null; queues: readonly string[]; from: number; to: number | null };
  const intervals: I[] = [];
  const lastOf = new Map<string, I>();
  const lastChange = new Map<string, AgentStateChange>();
  const byCall = new Map<string, I[]>();
  for (const c of changes) {
    const prev = lastOf.get(c.agent);
    if (prev) prev.to = c.at;
    const i: I = { agent: c.agent, state: c.to, id: c.interactionId, queue: c.queue, queues: c.queues, from: c.at, to: null };
    intervals.push(i);
    lastOf.set(c.agent, i);
    lastChange.set(c.agent, c);
    if (c.interactionId !== null) byCall.set(c.interactionId, [...(byCall.get(c.interactionId) ?? []), i]);
  }

  const figures = (from: number, to: number, upTo: number): PeriodFigures => {
    const inP = (t: number | null) => t !== null && t >= from && t < to;
    let offered = 0, answered = 0, withinT = 0, abandoned = 0, short = 0, afterT = 0, waitMs = 0;
    let handled = 0, talk = 0, hold = 0, wrap = 0;
    for (const e of cti) if (e.type === 'call_offered' && e.queue === queue && inP(at(e))) offered++;
    for (const v of visitList) {
      if (inP(v.answeredAt)) {
        const w = (v.answeredAt as number) - v.offeredAt;
        answered++;
        waitMs += w;
        if (w <= s.serviceLevelThresholdSec * 1000) withinT++;
      }
      if (inP(v.abandonedAt)) {
        const w = (v.abandonedAt as number) - v.offeredAt;
        if (w < s.shortAbandonSec * 1000) short++;
        else {
          abandoned++;
          if (w > s.serviceLevelThresholdSec * 1000) afterT++;
        }
      }
      // Handled: answered, left the queue, and no agent is still on it; done when the last agent left it.
      if (v.answeredAt === null || v.leftAt === null) continue;
      const mine = (byCall.get(v.id) ?? []).filter((i) => i.queue === queue && i.from >= v.offeredAt && i.from <= (v.leftAt as number));
      if (mine.some((i) => i.to === null)) continue;
      const doneAt = Math.max(v.leftAt, ...mine.map((i) => i.to as number));
      if (!inP(doneAt)) continue;
      handled++;
      for (const i of mine) {
        const d = (i.to as number) - i.from;
        if (i.state === 'on_call') talk += d;
        if (i.state === 'on_hold') hold += d;
        if (i.state === 'wrap_up') wrap += d;
      }
    }
    let busy = 0, idle = 0;
    for (const i of intervals) {
      const a = Math.max(i.from, from);
      const b = Math.min(i.to ?? upTo, to, upTo);
      if (b <= a) continue;
      if ((i.state === 'on_call' || i.state === 'on_hold' || i.state === 'wrap_up') && i.queue === queue) busy += b - a;
      else if (i.state === 'available' && i.queues.includes(queue)) idle += b - a;
    }
    const den = s.serviceLevelFormula === 'abandons_count_against' ? answered + abandoned : s.serviceLevelFormula === 'early_abandons_ignored' ? answered + afterT : answered;
    return {
      from: new Date(from).toISOString(),
      offered, answered, abandoned, shortAbandoned: short, abandonedAfterT: afterT, answeredWithinT: withinT,
      serviceLevel: round4(withinT, den),
      asaSec: avg(waitMs, answered),
      handled,
      ahtSec: avg(talk + hold + wrap, handled),
      avgTalkSec: avg(talk, handled),
      avgHoldSec: avg(hold, handled),
      avgWrapUpSec: avg(wrap, handled),
      abandonRate: round4(abandoned, offered),
      occupancy: round4(busy, busy + idle),
    };
  };

  const midnight = Math.max(...midnights.filter((m) => m <= now));
  const buckets: Record<string, PeriodFigures> = {};
  for (let b = midnight; b <= now; b += 15 * 60_000) buckets[new Date(b).toISOString()] = figures(b, b + 15 * 60_000, Math.min(now, b + 15 * 60_000));
  const waiting = visitList.filter((v) => v.answeredAt === null && v.leftAt === null);
  const agentsByState: Record<string, number> = Object.fromEntries(AGENT_STATES.map((st) => [st, 0]));
  const agents: QueueMetrics['agents'] = {};
  for (const [name, i] of [...lastOf.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!i.queues.includes(queue)) continue;
    agentsByState[i.state] = (agentsByState[i.state] ?? 0) + 1;
    const last = lastChange.get(name) as AgentStateChange;
    agents[name] = { state: i.state, reason: last.reason, since: new Date(i.from).toISOString(), timeInStateSec: Math.floor((now - i.from) / 1000) };
  }
  return {
    queue,
    at: new Date(now).toISOString(),
    timeZone,
    serviceLevel: { formula: s.serviceLevelFormula, expression: SERVICE_LEVEL_FORMULAS[s.serviceLevelFormula], thresholdSec: s.serviceLevelThresholdSec },
    shortAbandonSec: s.shortAbandonSec,
    windowMin: 30,
    waitingNow: waiting.length,
    longestWaitSec: waiting.length === 0 ? 0 : Math.floor((now - Math.min(...waiting.map((v) => v.offeredAt))) / 1000),
    window: figures(now - 30 * 60_000, now + 1, now),
    today: figures(midnight, now + 1, now),
    buckets,
    agentsByState,
    agents,
  };
}

function compareAt(items: Item[], instants: number[], timeZone: string, midnights: number[]): { engineSnapshots: Array<Record<string, QueueMetrics>> } {
  const engine = new QueueMetricsEngine({ timeZone, settingsOf: (q) => SETTINGS[q] ?? {}, queues: QUEUES.map((q) => q.id) });
  let fed = 0;
  const engineSnapshots: Array<Record<string, QueueMetrics>> = [];
  for (const instant of instants) {
    while (fed < items.length && (items[fed] as Item).t <= instant) {
      const item = items[fed++] as Item;
      if (item.cti) engine.ingestCti(item.cti);
      else engine.ingestAgentChange(item.change);
    }
    const snapshot = engine.snapshot(instant);
    engineSnapshots.push(snapshot);
    for (const q of QUEUES) {
      const want = reference(items, instant, q.id, SETTINGS[q.id] as QueueMetricSettings, midnights, timeZone);
      const d = diff(want, snapshot[q.id] as QueueMetrics);
      if (d) console.log(q.id, new Date(instant).toISOString(), JSON.stringify(d).slice(0, 1500));
      expect(snapshot[q.id], `${q.id} at ${new Date(instant).toISOString()}`).toEqual(reference(items, instant, q.id, SETTINGS[q.id] as QueueMetricSettings, midnights, timeZone));
    }
  }
  return { engineSnapshots };
}

describe('queue metrics against a plain reference', () => {
  it('agrees on every figure through a New York night with the spring DST change', () => {
    // 7 March 2026 22:30 EST to 8 March 03:50 EDT: local midnight at 05:00Z, clocks jump at 07:00Z.
    const items = recordStream(11, '2026-03-08T03:30:00Z', 260);
    const midnights = [Date.parse('2026-03-07T05:00:00Z'), Date.parse('2026-03-08T05:00:00Z')];
    const instants = ['2026-03-08T04:10:00Z', '2026-03-08T04:59:59.999Z', '2026-03-08T05:00:00Z', '2026-03-08T05:22:13.5Z', '2026-03-08T06:45:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:37:41Z'].map(Date.parse);
    const { engineSnapshots } = compareAt(items, instants, 'America/New_York', midnights);

    // The stream is worth the comparison: every kind of event and both kinds of abandon occurred.
    const kinds = new Set(items.map((i) => i.cti?.type ?? `agent:${i.change?.to}`));
    for (const k of ['call_offered', 'call_answered', 'call_abandoned', 'call_held', 'call_resumed', 'call_transferred', 'call_ended', 'agent:wrap_up', 'agent:not_ready']) expect(kinds).toContain(k);
    const today = QUEUES.map((q) => (engineSnapshots.at(-1) as Record<string, QueueMetrics>)[q.id]?.today as PeriodFigures);
    const total = (k: keyof PeriodFigures) => today.reduce((n, f) => n + Number(f[k]), 0);
    expect(total('offered')).toBeGreaterThan(500);
    expect(total('handled')).toBeGreaterThan(300);
    expect(total('shortAbandoned')).toBeGreaterThan(0);
    expect(total('abandonedAfterT')).toBeGreaterThan(0);
    expect(total('abandoned')).toBeGreaterThan(total('abandonedAfterT'));
    // Since midnight restarts at local midnight: just before it, "today" holds the evening; just after, almost nothing.
    const beforeMidnight = engineSnapshots[1]?.['support']?.today as PeriodFigures;
    const atMidnight = engineSnapshots[2]?.['support']?.today as PeriodFigures;
    expect(beforeMidnight.offered).toBeGreaterThan(atMidnight.offered);
    expect(Object.keys(engineSnapshots[6]?.['support']?.buckets ?? {})).toHaveLength(11); // 05:00Z..07:30Z, 2h37m in
  });

  it('agrees on every figure across Seoul midnight', () => {
    const items = recordStream(2026, '2026-11-25T13:50:00Z', 150);
    const midnights = [Date.parse('2026-11-24T15:00:00Z'), Date.parse('2026-11-25T15:00:00Z')];
    const instants = ['2026-11-25T14:30:00Z', '2026-11-25T15:00:00.001Z', '2026-11-25T15:31:07Z', '2026-11-25T16:19:59Z'].map(Date.parse);
    compareAt(items, instants, 'Asia/Seoul', midnights);
  });
});

describe('queue metrics by hand', () => {
  it('puts the thresholds where DOMAIN.md says and applies each service-level formula', () => {
    const t0 = Date.parse('2026-11-25T03:00:00Z');
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    const base = (n: number) => ({ interactionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, ani: '+821012345678', dnis: '+8215880000', queue: 'support' });
    const events: CtiEvent[] = [];
    // Calls 1-3 answered after exactly 20 s, 20.001 s and 3 s; 4-6 abandoned after 4.999 s, exactly 5 s and 25 s.
    const answers = [20_000, 20_001, 3_000];
    const abandons = [4_999, 5_000, 25_000];
    answers.forEach((wait, i) => events.push({ type: 'call_offered', ...base(i + 1), at: iso(0) }, { type: 'call_answered', ...base(i + 1), agent: null, holdTimeSec: 0, at: iso(wait) }));
    abandons.forEach((wait, i) => events.push({ type: 'call_offered', ...base(i + 4), at: iso(0) }, { type: 'call_abandoned', ...base(i + 4), holdTimeSec: 0, position: null, originalPosition: null, at: iso(wait) }));
    const serviceLevel = (formula: QueueMetricSettings['serviceLevelFormula']) => {
      const engine = new QueueMetricsEngine({ timeZone: 'Asia/Seoul', settingsOf: () => ({ serviceLevelFormula: formula }) });
      for (const e of [...events].sort((a, b) => a.at.localeCompare(b.at))) engine.ingestCti(e);
      return engine.queueSnapshot('support', t0 + 60_000);
    };
    const m = serviceLevel('abandons_count_against');
    expect(m.window).toMatchObject({ offered: 6, answered: 3, answeredWithinT: 2, shortAbandoned: 1, abandoned: 2, abandonedAfterT: 1, abandonRate: 0.3333, asaSec: 14.3 });
    expect(m.waitingNow).toBe(0);
    expect(m.window.serviceLevel).toBe(0.4); // 2 / (3 + 2)
    expect(serviceLevel('early_abandons_ignored').window.serviceLevel).toBe(0.5); // 2 / (3 + 1)
    expect(serviceLevel('abandons_excluded').window.serviceLevel).toBe(0.6667); // 2 / 3
    expect(serviceLevel('abandons_excluded').serviceLevel).toEqual({ formula: 'abandons_excluded', expression: 'answered_within_T / answered', thresholdSec: 20 });
  });
});

describe('once-a-second pushes', () => {
  it('carry only what changed, and rebuild the next snapshot exactly', () => {
    const items = recordStream(5, '2026-11-25T01:00:00Z', 20);
    const engine = new QueueMetricsEngine({ timeZone: 'Asia/Seoul', settingsOf: (q) => SETTINGS[q] ?? {} });
    let fed = 0;
    let prev: Record<string, QueueMetrics> | null = null;
    let quietSeconds = 0;
    for (let t = Date.parse('2026-11-25T01:05:00Z'); t < Date.parse('2026-11-25T01:08:00Z'); t += 1000) {
      let arrived = 0;
      while (fed < items.length && (items[fed] as Item).t <= t) {
        const item = items[fed++] as Item;
        if (item.cti) engine.ingestCti(item.cti);
        else engine.ingestAgentChange(item.change);
        arrived++;
      }
      const next = engine.snapshot(t);
      if (prev) {
        const d = diff(prev, next);
        expect(applyDiff(prev, d)).toEqual(next);
        const changedQueues = d ? Object.keys(d.changed) : [];
        for (const q of changedQueues) {
          const c = d?.changed[q] as Record<string, unknown>;
          expect(c['at']).toBe(new Date(t).toISOString());
          // Settled figures that did not move are not sent again.
          expect(Object.keys(c).every((k) => JSON.stringify((prev?.[q] as Record<string, unknown>)[k]) !== JSON.stringify((next[q] as Record<string, unknown>)[k]))).toBe(true);
          expect(c['serviceLevel']).toBeUndefined();
        }
        if (arrived === 0) {
          quietSeconds++;
          // Without events only time-driven figures move (occupancy, times in state, waits), never the counts.
          for (const q of changedQueues) {
            const today = (d?.changed[q] as Record<string, unknown>)['today'] as Record<string, unknown> | undefined;
            expect(Object.keys(today ?? {}).filter((k) => k !== 'occupancy')).toEqual([]);
          }
        }
      }
      prev = next;
    }
    expect(quietSeconds).toBeGreaterThan(0);
  });

  it('reports removed keys and nothing at all for equal snapshots', () => {
    const a = { q: { agents: { minji: { state: 'available' }, joon: { state: 'on_call' } }, sl: 0.8, list: [1, 2] } };
    const b = { q: { agents: { minji: { state: 'not_ready' } }, sl: null, list: [1, 2] } };
    expect(diff(a, structuredClone(a))).toBeNull();
    const d = diff(a, b);
    expect(d).toEqual({ changed: { q: { agents: { minji: { state: 'not_ready' } }, sl: null } }, removed: [['q', 'agents', 'joon']] });
    expect(applyDiff(a, d)).toEqual(b);
  });

  it('counts settled buckets again when a queue\'s thresholds change', () => {
    const items = recordStream(9, '2026-11-25T01:00:00Z', 50);
    let threshold = 20;
    const feed = (engine: QueueMetricsEngine) => {
      for (const item of items) {
        if (item.cti) engine.ingestCti(item.cti);
        else engine.ingestAgentChange(item.change);
      }
      return engine;
    };
    const engine = feed(new QueueMetricsEngine({ timeZone: 'Asia/Seoul', settingsOf: () => ({ serviceLevelThresholdSec: threshold }) }));
    const at = Date.parse('2026-11-25T01:50:00Z');
    const within = (m: QueueMetrics) => Object.values(m.buckets).reduce((n, b) => n + b.answeredWithinT, 0);
    const strict = engine.queueSnapshot('support', at);
    threshold = 2;
    const stricter = engine.queueSnapshot('support', at);
    expect(within(strict)).toBeGreaterThan(within(stricter));
    const fresh = feed(new QueueMetricsEngine({ timeZone: 'Asia/Seoul', settingsOf: () => ({ serviceLevelThresholdSec: 2 }) }));
    expect(stricter).toEqual(fresh.queueSnapshot('support', at));
    expect(within(stricter)).toBe(stricter.today.answeredWithinT);
  });

  it('counts a late event in the finished minutes and buckets it is dated in, as an engine fed in order would', () => {
    const items = recordStream(11, '2026-11-25T01:00:00Z', 40);
    // Every event of a third of the abandoned calls (they involve no agent) arrives late, in its own order.
    const abandonedCalls = items.filter((i) => i.cti?.type === 'call_abandoned').map((i) => (i.cti as { interactionId: string }).interactionId);
    const rang = new Set(items.flatMap((i) => (i.change?.interactionId ? [i.change.interactionId] : i.cti?.type === 'call_ringing' ? [i.cti.interactionId] : [])));
    const lateCalls = new Set(abandonedCalls.filter((id) => !rang.has(id)).filter((_, n) => n % 3 === 0));
    const late = new Set(items.filter((i) => i.cti && i.cti.type !== 'agent_paused' && lateCalls.has(i.cti.interactionId)));
    const live = new QueueMetricsEngine({ timeZone: 'Asia/Seoul', settingsOf: (q) => SETTINGS[q] ?? {} });
    const held: Item[] = [];
    let at = Date.parse('2026-11-25T01:00:00Z');
    for (const item of items) {
      // Snapshot every simulated 10 s, so minutes and buckets are cached before the late events arrive.
      while (item.t > at + 10_000) live.snapshot((at += 10_000));
      if (late.has(item)) held.push(item);
      else if (item.cti) live.ingestCti(item.cti);
      else live.ingestAgentChange(item.change);
    }
    const end = Date.parse('2026-11-25T01:40:00Z');
    const before = live.snapshot(end);
    for (const item of held) live.ingestCti(item.cti!); // minutes to half an hour late
    const ordered = new QueueMetricsEngine({ timeZone: 'Asia/Seoul', settingsOf: (q) => SETTINGS[q] ?? {} });
    for (const item of items) {
      if (item.cti) ordered.ingestCti(item.cti);
      else ordered.ingestAgentChange(item.change);
    }
    const after = live.snapshot(end);
    expect(held.length).toBeGreaterThan(5);
    expect(after.support?.today.offered).toBeGreaterThan(before.support?.today.offered ?? Infinity);
    for (const q of ['support', 'sales', 'billing']) {
      expect(after[q]?.window).toEqual(ordered.snapshot(end)[q]?.window);
      expect(after[q]?.buckets).toEqual(ordered.snapshot(end)[q]?.buckets);
    }
  });
});
