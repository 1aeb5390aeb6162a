// The agent floor through real socket.io clients on loopback: agents set their state, supervisors
// force it and see every change, roles are checked at the center, metrics pushes carry only changes.
// A new CTI owner's restore() keeps when each agent's state began.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { AgentStateUpdate, applyDiff, EVENTS, ForceAgentStateResponse, QueueMetricsPush, QueueTrendsResponse, type QueueMetrics } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import type { CtiEvent } from './model/cti-events';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { setQueueSettings } from './queue-settings';
import { desktop, ok, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { createFloor } from './floor';

forEachDriver('agent floor over socket.io', ({ freshDatabase }) => {
  let t: TestCenter;
  let agent: Desktop;
  let sup: Desktop;
  const agentSaw: AgentStateUpdate[] = [];
  const supSaw: AgentStateUpdate[] = [];
  const pushes: QueueMetricsPush[] = [];
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    sup = await desktop(t.center.url, 'demo', 'super1');
    sup.socket.on('agent:state', (m: unknown) => supSaw.push(AgentStateUpdate.parse(m)));
    sup.socket.on('queue:metrics', (m: unknown) => pushes.push(QueueMetricsPush.parse(m)));
    agent = await desktop(t.center.url, 'demo', 'agent1');
    agent.socket.on('agent:state', (m: unknown) => agentSaw.push(AgentStateUpdate.parse(m)));
  });
  afterAll(async () => {
    agent?.close();
    sup?.close();
    await t?.stop();
  });

  it('signs an agent in as available, and the agent sets not_ready with a reason (audited, seen by supervisors)', async () => {
    await vi.waitFor(() => expect(supSaw.some((s) => s.agent === 'agent1' && s.state === 'available')).toBe(true), { timeout: 5000 });
    const set = AgentStateUpdate.parse(ok(await agent.call('agent:setState', { state: 'not_ready', reason: 'break' })));
    expect(set).toMatchObject({ agent: 'agent1', state: 'not_ready', reason: 'break', by: 'agent', forcedBy: null });
    await vi.waitFor(() => expect(supSaw.at(-1)).toMatchObject({ agent: 'agent1', state: 'not_ready', reason: 'break', by: 'agent' }), { timeout: 5000 });
    const noReason = await agent.call('agent:setState', { state: 'not_ready' });
    expect(noReason.ok).toBe(false);
    expect(ok(await agent.call('agent:setState', { state: 'available' }))).toMatchObject({ state: 'available' });
    await vi.waitFor(async () => {
      const rows = await t.center.db.query<{ action: string; reason: string; user_id: string }>(
        `SELECT action, reason, user_id FROM audit_log WHERE tenant_id = 'demo' AND action LIKE 'agent_state.%' ORDER BY id`,
      );
      expect(rows.map((r) => r.action)).toEqual(['agent_state.available', 'agent_state.not_ready', 'agent_state.available']);
      expect(rows[1]).toMatchObject({ reason: 'agent:break', user_id: agent.user.id });
    });
  });

  it('lets a supervisor force not_ready, and the agent sees who did it', async () => {
    const r = ForceAgentStateResponse.parse(ok(await sup.call('agent:force', { agent: 'agent1', state: 'not_ready', reason: 'meeting' })));
    expect(r).toEqual({ applied: true, pending: false });
    await vi.waitFor(() => expect(agentSaw.at(-1)).toMatchObject({ state: 'not_ready', reason: 'meeting', by: 'supervisor', forcedBy: 'super1' }), { timeout: 5000 });
    const unknown = await sup.call('agent:force', { agent: 'nobody', state: 'offline' });
    expect(unknown.ok ? null : unknown.error.code).toBe('not_found');
  });

  it('refuses supervisor events from agents and agent events from supervisors who take no calls', async () => {
    const forced = await agent.call('agent:force', { agent: 'agent2', state: 'offline' });
    expect(forced.ok ? null : forced.error.code).toBe('forbidden');
    const trends = await agent.call('queue:trends', { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' });
    expect(trends.ok ? null : trends.error.code).toBe('forbidden');
    // The demo's admin takes no calls (super1 does: takes-calls.test.ts).
    const admin = await desktop(t.center.url, 'demo', 'admin');
    try {
      const set = await admin.call('agent:setState', { state: 'available' });
      expect(set.ok ? null : set.error.code).toBe('forbidden');
    } finally {
      admin.close();
    }
  });

  it('pushes queue metrics once a second, carrying only what changed', async () => {
    await vi.waitFor(() => expect(pushes.length).toBeGreaterThan(0), { timeout: 5000 });
    const first = pushes.find((p) => p.kind === 'full');
    expect(first).toBeDefined();
    let view: Record<string, QueueMetrics> = first!.kind === 'full' ? first!.queues : {};
    const queue = Object.keys(view)[0]!;
    const seen = pushes.length;
    ok(await agent.call('agent:setState', { state: 'available' }));
    await vi.waitFor(
      () => {
        const later = pushes.slice(seen).filter((p) => p.kind === 'diff');
        expect(later.some((p) => JSON.stringify(p).includes('agent1'))).toBe(true);
      },
      { timeout: 5000 },
    );
    for (const p of pushes.slice(pushes.indexOf(first!) + 1)) {
      if (p.kind === 'full') {
        view = p.queues; // a later whole picture (the first tick of the tenant) replaces the view
        continue;
      }
      // A diff names only what moved: never the queue's fixed settings.
      for (const q of Object.values(p.diff.changed) as Array<Record<string, unknown>>) {
        expect(q).not.toHaveProperty('timeZone');
        expect(q).not.toHaveProperty('serviceLevel');
      }
      view = applyDiff(view, p.diff);
    }
    expect(view[queue]!.agents.agent1).toMatchObject({ state: 'available' });
  });

  it('serves stored 15-minute buckets to supervisors', async () => {
    const figures = { from: '2026-11-01T09:00:00.000Z', offered: 4, answered: 3, abandoned: 1, shortAbandoned: 0, abandonedAfterT: 1, answeredWithinT: 2, serviceLevel: 0.5, asaSec: 12, handled: 3, ahtSec: 200, avgTalkSec: 150, avgHoldSec: 10, avgWrapUpSec: 40, abandonRate: 0.25, occupancy: 0.8 };
    const [q] = await t.center.db.query<{ id: string }>(`SELECT id FROM queues WHERE tenant_id = 'demo' ORDER BY id LIMIT 1`);
    await t.center.db.query(`INSERT INTO queue_metric_buckets (tenant_id, queue_id, bucket_start, figures) VALUES ('demo', $1, $2, $3::jsonb)`, [q!.id, new Date(figures.from), JSON.stringify(figures)]);
    const r = QueueTrendsResponse.parse(ok(await sup.call('queue:trends', { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' })));
    expect(r.buckets).toEqual([{ queue: q!.id, figures }]);
    const other = QueueTrendsResponse.parse(ok(await sup.call('queue:trends', { queue: 'no-such-queue', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' })));
    expect(other.buckets).toEqual([]);
  });
});

forEachDriver('agent floor taken over by a new CTI owner', ({ freshDatabase }) => {
  let db: Db;
  const ids = { ann: randomUUID(), bo: randomUUID(), cy: randomUUID() };
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await db.query(`INSERT INTO tenants (id, name, time_zone) VALUES ('tk', 'Takeover', 'UTC')`);
    await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('tk', 'sales', 'Sales')`);
    for (const [username, id] of Object.entries(ids)) {
      await db.query(`INSERT INTO users (id, tenant_id, username, display_name, role, password_hash) VALUES ($1, 'tk', $2, $2, 'agent', 'x')`, [id, username]);
    }
    await setQueueSettings(db, 'tk', 'sales', { wrapUpLimitSec: 60 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('restores each agent\'s state with the time it began, so time in state and wrap-up limits go on from there', async () => {
    const T0 = Date.parse('2026-12-01T09:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    let clock = T0;
    const silent = pino({ level: 'silent' });
    const first = createFloor(db, silent, { toAgent: () => undefined, toSupervisors: () => undefined }, () => clock);
    for (const [username, userId] of Object.entries(ids)) await first.connected({ userId, tenantId: 'tk', username, role: 'agent' });
    const call = async (agent: string, ended: boolean) => {
      const base = { interactionId: randomUUID(), ani: '+821012345678', dnis: '+8215880000', queue: 'sales' };
      const events: CtiEvent[] = [
        { ...base, type: 'call_offered', at: iso(clock) },
        { ...base, type: 'call_answered', agent, holdTimeSec: 0, at: iso(clock) },
      ];
      if (ended) events.push({ ...base, type: 'call_ended', agent, talkTimeSec: 0, endedBy: 'caller', at: iso(clock) });
      for (const e of events) await first.ingestCti('tk', e);
    };
    clock = T0 + 10_000;
    await call('ann', false);
    clock = T0 + 20_000;
    await first.setState({ userId: ids.bo, tenantId: 'tk', username: 'bo', role: 'agent' }, { state: 'not_ready', reason: 'break' });
    clock = T0 + 40_000;
    await call('cy', true);
    await first.forget(); // the old owner is gone; its changes are in the database

    // Five minutes later another node takes over; supervisors watching get every restored state.
    clock = T0 + 300_000;
    const pushed: AgentStateUpdate[] = [];
    const second = createFloor(db, silent, { toAgent: () => undefined, toSupervisors: (_t, e, p) => e === EVENTS.agentState && pushed.push(AgentStateUpdate.parse(p)) }, () => clock);
    expect(await second.restore('tk', { present: new Set(Object.values(ids)) })).toBe(3);
    const view = async (floor: typeof second) => Object.fromEntries((await floor.agentsOf('tk')).map((a) => [a.agent, [a.state, a.since]]));
    const began = { ann: ['on_call', iso(T0 + 10_000)], bo: ['not_ready', iso(T0 + 20_000)], cy: ['wrap_up', iso(T0 + 40_000)] };
    expect(await view(second)).toEqual(began);
    const lastPushed = (agent: string) => pushed.filter((p) => p.agent === agent).at(-1);
    for (const [agent, [state, since]] of Object.entries(began)) expect(lastPushed(agent)).toMatchObject({ state, since, by: 'system' });

    // cy's wrap-up began 260 s ago: its 60 s limit is long past, so the first tick ends it.
    await second.tick();
    expect((await view(second)).cy).toEqual(['available', iso(T0 + 300_000)]);
    await second.forget();

    // A second takeover finds the restored rows and keeps the same beginnings.
    clock = T0 + 600_000;
    const third = createFloor(db, silent, { toAgent: () => undefined, toSupervisors: () => undefined }, () => clock);
    expect(await third.restore('tk', { present: new Set(Object.values(ids)) })).toBe(3);
    expect(await view(third)).toEqual({ ...began, cy: ['available', iso(T0 + 300_000)] });
    await third.forget();
  });

  it("does not hold a tick's push for the chat and email figures: the last ones read go, the next read is for the next tick", async () => {
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const pushes: QueueMetricsPush[] = [];
    const reads: Array<{ resolve: (figures: Record<string, unknown>) => void }> = [];
    const figures = (waitingNow: number) => ({ sales: { chat: { waitingNow, longestWaitSec: 0, active: 0, firstResponseSec: null }, email: { waitingNow: 0, longestWaitSec: 0, active: 0, firstResponseSec: null } } });
    const floor = createFloor(db, pino({ level: 'silent' }), { toAgent: () => undefined, toSupervisors: (_t, e, p) => e === EVENTS.queueMetrics && pushes.push(QueueMetricsPush.parse(p)) }, () => clock, {
      channelsOf: () => new Promise((resolve) => reads.push({ resolve: resolve as never })),
    });
    await floor.connected({ userId: ids.ann, tenantId: 'tk', username: 'ann', role: 'agent' });
    // The first push waits for the first figures (there are no last ones).
    const first = floor.tick();
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    reads[0]!.resolve(figures(2));
    await first;
    let view = pushes.length === 1 && pushes[0]!.kind === 'full' ? pushes[0]!.queues : {};
    expect(view.sales?.channels?.chat.waitingNow).toBe(2);
    // A slow read from now on: the ticks push at once with the last figures; one read at a time.
    clock += 1000;
    await floor.tick();
    clock += 1000;
    await floor.tick();
    expect(reads).toHaveLength(2);
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    reads[1]!.resolve(figures(5));
    clock += 1000;
    await vi.waitFor(async () => {
      await floor.tick();
      for (const p of pushes.splice(1)) view = p.kind === 'diff' ? applyDiff(view, p.diff) : p.queues;
      expect(view.sales?.channels?.chat.waitingNow).toBe(5);
    });
    reads.forEach((r) => r.resolve(figures(5)));
    await floor.settle();
    await floor.forget();
  });
});
