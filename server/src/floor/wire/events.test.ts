// Thresholds and great service over the real socket.io protocol: role checks at the center, tenant
// scoping, validation, audit rows, and the pushes to supervisors / every desktop of the tenant.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DEFAULT_QUEUE_THRESHOLDS, GreatService, QueueThresholdsSet, type QueueThresholds } from '../../../../shared/protocol';
import { forEachDriver } from '../../../../tests/support/postgres';
import { offerCall } from '../../index';
import { desktop, ok, phoneOf, startTestCenter, type Desktop, type TestCenter } from '../../testing/center-client';

const strict: QueueThresholds = { waitingNow: { amber: 1, red: 2 }, longestWaitSec: { amber: 10, red: 20 }, serviceLevel: { amber: 0.95, red: 0.9 }, abandonRate: { amber: 0.01, red: 0.02 } };

forEachDriver('supervisor events: thresholds and great service', ({ freshDatabase }) => {
  let t: TestCenter;
  let super1: Desktop;
  let agent1: Desktop;
  let agent2: Desktop;
  let acmeAgent: Desktop;
  let acmeSuper: Desktop;
  const pushes: Record<string, unknown[]> = {};
  const hear = (d: Desktop, name: string, event: string) => d.socket.on(event, (m: unknown) => (pushes[name] ??= []).push(m));
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    [super1, agent1, agent2, acmeAgent, acmeSuper] = await Promise.all([
      desktop(t.center.url, 'demo', 'super1'),
      desktop(t.center.url, 'demo', 'agent1'),
      desktop(t.center.url, 'demo', 'agent2'),
      desktop(t.center.url, 'acme', 'agent1'),
      desktop(t.center.url, 'acme', 'super1'),
    ]);
    hear(super1, 'super1', 'queue:thresholds');
    hear(agent1, 'agent1', 'queue:thresholds');
    hear(acmeSuper, 'acmeSuper', 'queue:thresholds');
    for (const [d, n] of [[agent1, 'gs-agent1'], [agent2, 'gs-agent2'], [super1, 'gs-super1'], [acmeAgent, 'gs-acme']] as const) hear(d, n, 'greatService:shared');
  });
  afterAll(async () => {
    for (const d of [super1, agent1, agent2, acmeAgent, acmeSuper]) d?.close();
    await t?.stop();
  });

  it('gives every queue the defaults until a supervisor sets its own; agents may not', async () => {
    const first = QueueThresholdsSet.parse(ok(await super1.call('queue:getThresholds', {})));
    const queues = Object.keys(first.queues);
    expect(queues.length).toBeGreaterThan(0);
    for (const q of Object.values(first.queues)) expect(q).toEqual({ thresholds: DEFAULT_QUEUE_THRESHOLDS, custom: false });
    const queue = queues[0]!;

    expect(await agent1.call('queue:setThresholds', { queue, thresholds: strict })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await agent1.call('queue:getThresholds', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const backwards = { ...strict, waitingNow: { amber: 5, red: 1 } };
    expect(await super1.call('queue:setThresholds', { queue, thresholds: backwards })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await super1.call('queue:setThresholds', { queue: 'no-such-queue', thresholds: strict })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const set = QueueThresholdsSet.parse(ok(await super1.call('queue:setThresholds', { queue, thresholds: strict })));
    expect(set.queues[queue]).toEqual({ thresholds: strict, custom: true });
    await vi.waitFor(() => expect(pushes.super1?.at(-1)).toEqual(set), { timeout: 5000 });
    // Agents do not get the supervisors' pushes; the other tenant's same-named queue keeps the defaults.
    expect(pushes.agent1).toBeUndefined();
    expect(pushes.acmeSuper).toBeUndefined();
    const acme = QueueThresholdsSet.parse(ok(await acmeSuper.call('queue:getThresholds', {})));
    expect(acme.queues[queue]?.custom ?? false).toBe(false);

    const reset = QueueThresholdsSet.parse(ok(await super1.call('queue:setThresholds', { queue, thresholds: null })));
    expect(reset.queues[queue]).toEqual({ thresholds: DEFAULT_QUEUE_THRESHOLDS, custom: false });
    const audit = await t.center.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = 'demo' AND action = 'queue.thresholds'`);
    expect(audit).toHaveLength(2);
  });

  it('shares great service with every desktop of the tenant, once per interaction, marked only by supervisors', async () => {
    const offered = await offerCall(t.center, { tenant: 'demo', username: 'agent2', ani: phoneOf(t.tenants.demo!, 1), queue: 'general' });
    const why = 'Calmed an upset caller and fixed the billing error in one call.';
    expect(await agent1.call('greatService:mark', { interactionId: offered.interactionId, why })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await super1.call('greatService:mark', { interactionId: offered.interactionId, why: '   ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await super1.call('greatService:mark', { interactionId: randomUUID(), why })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Another tenant's supervisor cannot mark this tenant's interaction.
    expect(await acmeSuper.call('greatService:mark', { interactionId: offered.interactionId, why })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const marked = GreatService.parse(ok(await super1.call('greatService:mark', { interactionId: offered.interactionId, why })));
    expect(marked).toMatchObject({ interactionId: offered.interactionId, agent: 'agent2', queue: 'general', markedBy: 'Supervisor 1', why });
    for (const n of ['gs-agent1', 'gs-agent2', 'gs-super1']) await vi.waitFor(() => expect(pushes[n]).toEqual([marked]), { timeout: 5000 });
    expect(pushes['gs-acme']).toBeUndefined();
    expect(await super1.call('greatService:mark', { interactionId: offered.interactionId, why: 'again' })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    expect(ok(await agent1.call('greatService:list', {}))).toEqual({ items: [marked] });
    expect(ok(await acmeAgent.call('greatService:list', {}))).toEqual({ items: [] });
    const audit = await t.center.db.query<{ reason: string }>(`SELECT reason FROM audit_log WHERE tenant_id = 'demo' AND action = 'great_service.marked'`);
    expect(audit).toEqual([{ reason: offered.interactionId }]);
  });
});
