// Queue settings from the database reach the live metrics and the agent states: a queue with a non-default
// service-level formula and thresholds gets figures computed with them (checked against plain loops over
// the calls fed in), a queue's wrap-up setting and limit decide where its agents go when a call ends and
// when wrap-up ends by itself, an admin's change is picked up by the running floor within seconds, and bad
// settings are refused with a clear message, by the CLI and by the database itself.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDiff, type QueueMetrics, type QueueMetricsPush } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { main } from '../cli';
import type { CtiEvent } from './model/cti-events';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { mulberry32 } from '../base/random';
import { createFloor } from './floor';
import { DEFAULT_WRAP_UP_SETTINGS } from './model/agent-state';
import { DEFAULT_QUEUE_METRIC_SETTINGS, type QueueMetricSettings } from './model/metrics';
import { DEFAULT_QUEUE_SETTINGS, readTenantQueueSettings, setQueueSettings, setTenantTimeZone, SETTINGS_REFRESH_MS, validateQueueSettings } from './queue-settings';

interface Call {
  id: string;
  queue: string;
  offeredAt: number;
  waitSec: number;
  answered: boolean;
}

const START = Date.parse('2026-11-20T03:00:00Z'); // 12:00 in Seoul, 22:00 (the day before) in New York
/** Waits that straddle every threshold used below (3, 5, 10, 20 and 25 s). */
const WAITS = [0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 15, 19, 20, 21, 24, 25, 26, 40];

/** A seeded 20-minute stream of answered and abandoned calls on two queues. */
function makeCalls(seed: number): Call[] {
  const random = mulberry32(seed);
  const calls: Call[] = [];
  for (let i = 0; i < 160; i++) {
    calls.push({
      id: randomUUID(),
      queue: i % 3 === 0 ? 'support' : 'sales',
      offeredAt: START + Math.floor(random() * 18 * 60) * 1000,
      waitSec: WAITS[Math.floor(random() * WAITS.length)]!,
      answered: random() < 0.6,
    });
  }
  return calls;
}

function eventsOf(calls: Call[]): CtiEvent[] {
  const out: CtiEvent[] = [];
  for (const c of calls) {
    const base = { interactionId: c.id, ani: '+821012345678', dnis: '+8215880000', queue: c.queue };
    const at = (ms: number) => new Date(ms).toISOString();
    const decidedAt = c.offeredAt + c.waitSec * 1000;
    out.push({ ...base, type: 'call_offered', at: at(c.offeredAt) });
    if (c.answered) {
      out.push({ ...base, type: 'call_answered', agent: null, holdTimeSec: c.waitSec, at: at(decidedAt) });
      out.push({ ...base, type: 'call_ended', agent: null, talkTimeSec: 30, endedBy: 'caller', at: at(decidedAt + 30_000) });
    } else {
      out.push({ ...base, type: 'call_abandoned', holdTimeSec: c.waitSec, position: 1, originalPosition: 1, at: at(decidedAt) });
    }
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The plain reference: DOMAIN.md's definitions as loops over the calls, nothing shared with the engine. */
function reference(calls: Call[], queue: string, s: QueueMetricSettings) {
  const mine = calls.filter((c) => c.queue === queue);
  const answered = mine.filter((c) => c.answered);
  const gaveUp = mine.filter((c) => !c.answered);
  const shortAbandoned = gaveUp.filter((c) => c.waitSec < s.shortAbandonSec).length;
  const abandoned = gaveUp.filter((c) => c.waitSec >= s.shortAbandonSec);
  const abandonedAfterT = abandoned.filter((c) => c.waitSec > s.serviceLevelThresholdSec).length;
  const within = answered.filter((c) => c.waitSec <= s.serviceLevelThresholdSec).length;
  const den =
    s.serviceLevelFormula === 'abandons_count_against'
      ? answered.length + abandoned.length
      : s.serviceLevelFormula === 'early_abandons_ignored'
        ? answered.length + abandonedAfterT
        : answered.length;
  return {
    offered: mine.length,
    answered: answered.length,
    answeredWithinT: within,
    abandoned: abandoned.length,
    shortAbandoned,
    abandonedAfterT,
    serviceLevel: den > 0 ? within / den : null,
    asaSec: answered.length > 0 ? answered.reduce((n, c) => n + c.waitSec, 0) / answered.length : null,
    abandonRate: mine.length > 0 ? abandoned.length / mine.length : null,
  };
}

function expectFigures(m: QueueMetrics | undefined, calls: Call[], s: QueueMetricSettings): void {
  expect(m).toBeDefined();
  expect(m!.serviceLevel).toMatchObject({ formula: s.serviceLevelFormula, thresholdSec: s.serviceLevelThresholdSec });
  expect(m!.shortAbandonSec).toBe(s.shortAbandonSec);
  const ref = reference(calls, m!.queue, s);
  for (const period of [m!.window, m!.today]) {
    const { serviceLevel, asaSec, abandonRate, ...counts } = ref;
    expect(period).toMatchObject(counts);
    expect(period.serviceLevel).toBeCloseTo(serviceLevel!, 4);
    expect(Math.abs(period.asaSec! - asaSec!)).toBeLessThanOrEqual(0.051); // shown to a tenth of a second
    expect(period.abandonRate).toBeCloseTo(abandonRate!, 4);
  }
}

const SALES: QueueMetricSettings = { serviceLevelFormula: 'early_abandons_ignored', serviceLevelThresholdSec: 10, shortAbandonSec: 3 };

forEachDriver('queue settings in the live metrics', ({ freshDatabase }) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await db.query(`INSERT INTO tenants (id, name, time_zone) VALUES ('acme', 'Acme', 'Asia/Seoul'), ('other', 'Other', 'UTC')`);
    await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('acme', 'sales', 'Sales'), ('acme', 'support', 'Support'), ('other', 'sales', 'Sales')`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('computes a queue\'s figures with its stored formula and thresholds, and follows an admin\'s change', async () => {
    expect(await setQueueSettings(db, 'acme', 'sales', SALES)).toEqual({ ...SALES, ...DEFAULT_WRAP_UP_SETTINGS });
    const stored = await readTenantQueueSettings(db, 'acme');
    expect(stored?.queues.get('sales')).toEqual({ ...SALES, ...DEFAULT_WRAP_UP_SETTINGS });
    expect(stored?.queues.get('support')).toEqual(DEFAULT_QUEUE_SETTINGS);
    // Tenant scoping: the other tenant's queue of the same name keeps the defaults.
    expect((await readTenantQueueSettings(db, 'other'))?.queues.get('sales')).toEqual(DEFAULT_QUEUE_SETTINGS);

    const calls = makeCalls(7);
    // The test can fail: with the defaults, the sales service level would be another number.
    expect(reference(calls, 'sales', SALES).serviceLevel).not.toBeCloseTo(reference(calls, 'sales', DEFAULT_QUEUE_METRIC_SETTINGS).serviceLevel!, 3);

    let clock = START;
    const pushes: QueueMetricsPush[] = [];
    const floor = createFloor(db, pino({ level: 'silent' }), { toAgent: () => undefined, toSupervisors: (_t, _e, p) => pushes.push(p as QueueMetricsPush) }, () => clock);
    for (const e of eventsOf(calls)) {
      clock = Date.parse(e.at);
      await floor.ingestCti('acme', e);
    }
    clock = START + 20 * 60_000;
    await floor.tick();
    const first = pushes.at(-1)!;
    expect(first.kind).toBe('full');
    let view = first.kind === 'full' ? first.queues : {};
    expectFigures(view.sales, calls, SALES);
    expectFigures(view.support, calls, DEFAULT_QUEUE_METRIC_SETTINGS);
    expect(view.sales!.today.from).toBe('2026-11-19T15:00:00.000Z'); // Seoul midnight

    // An admin changes the settings (as `queue set` does) and the tenant's zone; the floor re-reads them.
    const changed: QueueMetricSettings = { serviceLevelFormula: 'abandons_excluded', serviceLevelThresholdSec: 25, shortAbandonSec: 5 };
    await setQueueSettings(db, 'acme', 'sales', { serviceLevelFormula: 'abandons_excluded', serviceLevelThresholdSec: '25', shortAbandonSec: 5 });
    await setTenantTimeZone(db, 'acme', 'America/New_York');
    clock += SETTINGS_REFRESH_MS;
    await floor.tick();
    const next = pushes.at(-1)!;
    expect(next.kind).toBe('diff');
    if (next.kind === 'diff') view = applyDiff(view, next.diff);
    expectFigures(view.sales, calls, changed);
    expectFigures(view.support, calls, DEFAULT_QUEUE_METRIC_SETTINGS);
    expect(view.sales!.timeZone).toBe('America/New_York');
    expect(view.sales!.today.from).toBe('2026-11-19T05:00:00.000Z'); // New York midnight
    await floor.settle();
  });

  it('sends agents to wrap-up per their queue\'s stored setting, ends it at the limit, and follows an admin\'s change', async () => {
    await db.query(`INSERT INTO tenants (id, name, time_zone) VALUES ('wrap', 'Wrap', 'UTC')`);
    await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('wrap', 'claims', 'Claims'), ('wrap', 'callback', 'Callback')`);
    await setQueueSettings(db, 'wrap', 'claims', { wrapUp: 'on', wrapUpLimitSec: '5' });
    await setQueueSettings(db, 'wrap', 'callback', { wrapUp: 'off' });
    const userId = randomUUID();
    await db.query(`INSERT INTO users (id, tenant_id, username, display_name, role, password_hash) VALUES ($1, 'wrap', 'wrapper', 'Wrapper', 'agent', 'x')`, [userId]);

    let clock = START;
    const floor = createFloor(db, pino({ level: 'silent' }), { toAgent: () => undefined, toSupervisors: () => undefined }, () => clock);
    await floor.connected({ userId, tenantId: 'wrap', username: 'wrapper', role: 'agent' });
    const stateOf = async () => (await floor.agentsOf('wrap')).find((a) => a.agent === 'wrapper')!.state;
    /** One answered call on a queue, ended now; the agent's state right after. */
    const callOn = async (queue: string) => {
      const base = { interactionId: randomUUID(), ani: '+821012345678', dnis: '+8215880000', queue };
      const at = () => new Date(clock).toISOString();
      await floor.ingestCti('wrap', { ...base, type: 'call_offered', at: at() });
      await floor.ingestCti('wrap', { ...base, type: 'call_answered', agent: 'wrapper', holdTimeSec: 0, at: at() });
      clock += 30_000;
      await floor.ingestCti('wrap', { ...base, type: 'call_ended', agent: 'wrapper', talkTimeSec: 30, endedBy: 'caller', at: at() });
      return stateOf();
    };
    const tickAt = async (at: number) => {
      clock = at;
      await floor.tick();
      return stateOf();
    };

    expect(await stateOf()).toBe('available');
    // claims: wrap-up, ended by the center 5 s after the call (not a millisecond before).
    expect(await callOn('claims')).toBe('wrap_up');
    const ended = clock;
    expect(await tickAt(ended + 4_999)).toBe('wrap_up');
    expect(await tickAt(ended + 5_000)).toBe('available');
    // callback: no wrap-up at all.
    expect(await callOn('callback')).toBe('available');

    // An admin turns wrap-up on for callback, with no limit; the running floor re-reads it.
    await setQueueSettings(db, 'wrap', 'callback', { wrapUp: 'on', wrapUpLimitSec: 'none' });
    await tickAt(clock + SETTINGS_REFRESH_MS);
    expect(await callOn('callback')).toBe('wrap_up');
    expect(await tickAt(clock + 3_600_000)).toBe('wrap_up');
    await floor.finishWrapUp('wrap', 'wrapper', (await floor.agentsOf('wrap')).find((a) => a.agent === 'wrapper')!.interactionId!);
    expect(await stateOf()).toBe('available');
    await floor.settle();
  });

  it('refuses bad settings in the setters and in the database itself', async () => {
    expect(validateQueueSettings({ wrapUp: ' OFF ', wrapUpLimitSec: 'none' })).toEqual({ wrapUp: false, wrapUpLimitSec: null });
    expect(validateQueueSettings({ wrapUp: true, wrapUpLimitSec: '0' })).toEqual({ wrapUp: true, wrapUpLimitSec: 0 });
    expect(await setQueueSettings(db, 'acme', 'support', { wrapUpLimitSec: 7200 })).toMatchObject({ wrapUp: true, wrapUpLimitSec: 7200 });
    // Only what is given changes; the limit can be cleared again.
    expect(await setQueueSettings(db, 'acme', 'support', { wrapUp: 'off' })).toMatchObject({ wrapUp: false, wrapUpLimitSec: 7200 });
    expect(await setQueueSettings(db, 'acme', 'support', { wrapUpLimitSec: null })).toEqual({ ...DEFAULT_QUEUE_METRIC_SETTINGS, wrapUp: false, wrapUpLimitSec: null });
    await expect(setQueueSettings(db, 'acme', 'sales', { wrapUp: 'maybe' })).rejects.toThrow(/Wrap-up "maybe" is neither on nor off; use on/);
    await expect(setQueueSettings(db, 'acme', 'sales', { wrapUpLimitSec: '7201' })).rejects.toThrow(/wrap-up limit "7201" is not a whole number of seconds from 0 to 7200, or none for no limit/);
    await expect(setQueueSettings(db, 'acme', 'sales', { wrapUpLimitSec: -1 })).rejects.toThrow(/wrap-up limit "-1"/);
    await expect(setQueueSettings(db, 'acme', 'sales', { wrapUpLimitSec: '' })).rejects.toThrow(/wrap-up limit ""/);
    await expect(db.query(`UPDATE queues SET wrap_up_limit_sec = 7201 WHERE tenant_id = 'acme' AND id = 'sales'`)).rejects.toThrow();
    await expect(db.query(`UPDATE queues SET wrap_up_limit_sec = -1 WHERE tenant_id = 'acme' AND id = 'sales'`)).rejects.toThrow();
    await expect(db.query(`UPDATE queues SET wrap_up = NULL WHERE tenant_id = 'acme' AND id = 'sales'`)).rejects.toThrow();
    await expect(setQueueSettings(db, 'acme', 'sales', { serviceLevelFormula: 'fastest' })).rejects.toThrow(/Unknown service-level formula "fastest"; use one of: abandons_count_against/);
    await expect(setQueueSettings(db, 'acme', 'sales', { serviceLevelThresholdSec: '0' })).rejects.toThrow(/not a whole number of seconds from 1 to 3600/);
    await expect(setQueueSettings(db, 'acme', 'sales', { shortAbandonSec: 2.5 })).rejects.toThrow(/short-abandon threshold "2.5"/);
    await expect(setQueueSettings(db, 'acme', 'billing', { shortAbandonSec: 4 })).rejects.toThrow(/Tenant acme has no queue "billing"; its queues: sales, support/);
    await expect(setQueueSettings(db, 'nope', 'sales', { shortAbandonSec: 4 })).rejects.toThrow(/No tenant nope/);
    await expect(setQueueSettings(db, 'acme', 'sales', {})).rejects.toThrow(/Nothing to change/);
    await expect(setTenantTimeZone(db, 'acme', 'Mars/Olympus_Mons')).rejects.toThrow(/not an IANA zone/);
    await expect(db.query(`UPDATE queues SET sl_threshold_sec = 0 WHERE tenant_id = 'acme' AND id = 'sales'`)).rejects.toThrow();
    await expect(db.query(`UPDATE queues SET sl_formula = 'fastest' WHERE tenant_id = 'acme' AND id = 'sales'`)).rejects.toThrow();
  });
});

describe('earshot-center queue set', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-queue-set-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...args, '--data-dir', dir], { stdin: Readable.from([]), stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('validates its input, writes the settings, and says what is now in force', async () => {
    expect((await run(['tenant', 'add', '--id', 'acme', '--name', 'Acme'])).code).toBe(0);
    const db = await openDb({ dataDir: dir });
    await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('acme', 'sales', 'Sales')`);
    await db.close();

    expect(await run(['queue', 'set', 'acme', 'sales', '--sl-seconds', 'abc'])).toMatchObject({ code: 1, err: expect.stringMatching(/"abc" is not a whole number of seconds/) });
    expect(await run(['queue', 'set', 'acme', 'sales', '--sl-formula', 'fastest'])).toMatchObject({ code: 1, err: expect.stringMatching(/early_abandons_ignored/) });
    expect(await run(['queue', 'set', 'acme', 'billing', '--sl-seconds', '15'])).toMatchObject({ code: 1, err: expect.stringMatching(/no queue "billing"; its queues: sales/) });
    expect((await run(['queue', 'set', 'acme'])).code).toBe(64);
    expect(await run(['tenant', 'set-time-zone', '--id', 'acme', '--time-zone', 'Nowhere'])).toMatchObject({ code: 1, err: expect.stringMatching(/not an IANA zone/) });

    const ok = await run(['queue', 'set', 'acme', 'sales', '--sl-formula', 'abandons_excluded', '--sl-seconds', '30', '--short-abandon-seconds', '8']);
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/service level abandons_excluded with T = 30 s, short abandons under 8 s/) });
    expect((await run(['queue', 'set', 'acme', 'sales', '--sl-seconds', '15'])).out).toMatch(/abandons_excluded with T = 15 s, short abandons under 8 s/);
    expect((await run(['tenant', 'set-time-zone', '--id', 'acme', '--time-zone', 'Asia/Seoul'])).code).toBe(0);

    const check = await openDb({ dataDir: dir });
    try {
      const s = await readTenantQueueSettings(check, 'acme');
      expect(s?.timeZone).toBe('Asia/Seoul');
      expect(s?.queues.get('sales')).toEqual({ serviceLevelFormula: 'abandons_excluded', serviceLevelThresholdSec: 15, shortAbandonSec: 8, ...DEFAULT_WRAP_UP_SETTINGS });
    } finally {
      await check.close();
    }
  });

  it('sets a queue\'s wrap-up with --wrap-up and --wrap-up-limit, refusing bad values before touching the database', async () => {
    expect((await run(['tenant', 'add', '--id', 'beta', '--name', 'Beta'])).code).toBe(0);
    const db = await openDb({ dataDir: dir });
    await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('beta', 'claims', 'Claims')`);
    await db.close();

    expect(await run(['queue', 'set', 'beta', 'claims', '--wrap-up', 'yes'])).toMatchObject({ code: 1, err: expect.stringMatching(/Wrap-up "yes" is neither on nor off/) });
    expect(await run(['queue', 'set', 'beta', 'claims', '--wrap-up-limit', '2h'])).toMatchObject({ code: 1, err: expect.stringMatching(/"2h" is not a whole number of seconds from 0 to 7200, or none/) });
    expect(await run(['queue', 'set', 'beta', 'claims', '--wrap-up-limit', '9000'])).toMatchObject({ code: 1, err: expect.stringMatching(/"9000" is not a whole number/) });
    expect(await run(['queue', 'set', 'beta', 'billing', '--wrap-up', 'off'])).toMatchObject({ code: 1, err: expect.stringMatching(/no queue "billing"; its queues: claims/) });
    expect((await run(['queue', 'set', 'beta', 'claims', '--wrap-up'])).code).toBe(64); // a flag without its value

    expect(await run(['queue', 'set', 'beta', 'claims', '--wrap-up-limit', '90'])).toMatchObject({ code: 0, out: expect.stringMatching(/; wrap-up ending by itself after 90 s\.\n$/) });
    expect((await run(['queue', 'set', 'beta', 'claims', '--wrap-up', 'off'])).out).toMatch(/; no wrap-up \(agents are available when a call ends\)\.\n$/);
    const check = await openDb({ dataDir: dir });
    try {
      expect((await readTenantQueueSettings(check, 'beta'))?.queues.get('claims')).toEqual({ ...DEFAULT_QUEUE_METRIC_SETTINGS, wrapUp: false, wrapUpLimitSec: 90 });
    } finally {
      await check.close();
    }
    expect((await run(['queue', 'set', 'beta', 'claims', '--wrap-up', 'on', '--wrap-up-limit', 'none'])).out).toMatch(/; wrap-up until the agent ends it\.\n$/);
    const after = await openDb({ dataDir: dir });
    try {
      expect((await readTenantQueueSettings(after, 'beta'))?.queues.get('claims')).toEqual(DEFAULT_QUEUE_SETTINGS);
    } finally {
      await after.close();
    }
  });
});
