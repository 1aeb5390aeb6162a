// Chat and email capacity set by supervisors over socket.io (PGlite and PostgreSQL): supervisors and
// admins read and set it for their own tenant's queues, every supervisor hears the change, it is
// audited; agents are refused, bad input is refused with a reason and changes nothing; routing uses a
// raised capacity at once (a chat that waited for room is offered without anything else happening).
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ConversationOffered, EVENTS, QueueCapacitiesSet } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { seedDemo } from '../demo/seed';
import { channelsOf, startCenter, type RunningCenter } from '../index';
import { desktop, ok, smallTenant, type Desktop } from '../testing/center-client';

forEachDriver('chat and email capacity from supervisors', ({ freshDatabase }) => {
  let center: RunningCenter;
  const desks: Desktop[] = [];
  let queue = '';
  let other = '';
  /** What the admin's desktop heard pushed. */
  const heard: QueueCapacitiesSet[] = [];

  beforeAll(async () => {
    center = await startCenter({ ...(await freshDatabase()), port: 0, logLevel: 'silent', channels: { offerTimeoutMs: 120_000 } });
    for (const t of [smallTenant('demo', 1), smallTenant('acme', 2)]) await seedDemo(center.db, { data: t, now: new Date('2026-11-01T00:00:00Z') });
    [queue, other] = (await center.db.query<{ id: string }>(`SELECT id FROM queues WHERE tenant_id = 'demo' ORDER BY id LIMIT 2`)).map((r) => r.id) as [string, string];
    desks.push(await desktop(center.url, 'demo', 'admin', undefined, (s) => s.on(EVENTS.queueCapacities, (m: unknown) => heard.push(QueueCapacitiesSet.parse(m)))));
  });
  afterAll(async () => {
    for (const d of desks) d.close();
    await center?.stop();
  });

  const open = async (tenant: string, username: string, listen?: Parameters<typeof desktop>[4]) => {
    const d = await desktop(center.url, tenant, username, undefined, listen);
    desks.push(d);
    return d;
  };
  const stored = () => center.db.query<{ queue_id: string; channel: string; capacity: number; interruptible: boolean }>(
    `SELECT queue_id, channel, capacity, interruptible FROM queue_channel_settings WHERE tenant_id = 'demo' ORDER BY queue_id, channel`,
  );

  it('lets a supervisor read and set a queue’s capacity; every supervisor hears it; audited', async () => {
    const sup = await open('demo', 'super1');
    const before = QueueCapacitiesSet.parse(ok(await sup.call(EVENTS.getQueueCapacities, {})));
    expect(before.defaults).toEqual({ chat: { capacity: 3, interruptible: false, custom: false }, email: { capacity: 2, interruptible: true, custom: false } });
    expect(before.queues[queue]).toEqual(before.defaults);
    expect(Object.keys(before.queues)).toContain(other);

    const after = QueueCapacitiesSet.parse(ok(await sup.call(EVENTS.setQueueCapacity, { queue, channel: 'chat', capacity: 5 })));
    expect(after.queues[queue]!.chat).toEqual({ capacity: 5, interruptible: false, custom: true });
    expect(after.queues[queue]!.email).toEqual(before.defaults.email);
    expect(after.queues[other]).toEqual(before.defaults);
    // interruptible given: stored; absent: kept.
    ok(await sup.call(EVENTS.setQueueCapacity, { queue, channel: 'email', capacity: 4, interruptible: false }));
    ok(await sup.call(EVENTS.setQueueCapacity, { queue, channel: 'email', capacity: 6 }));
    expect(await stored()).toEqual([
      { queue_id: queue, channel: 'chat', capacity: 5, interruptible: false },
      { queue_id: queue, channel: 'email', capacity: 6, interruptible: false },
    ]);
    await vi.waitFor(() => expect(heard.at(-1)?.queues[queue]?.email).toEqual({ capacity: 6, interruptible: false, custom: true }), { timeout: 10_000 });
    const audit = await center.db.query<{ action: string; reason: string }>(`SELECT action, reason FROM audit_log WHERE tenant_id = 'demo' AND action = 'queue.capacity' ORDER BY id`);
    expect(audit.map((a) => a.reason)).toEqual([`${queue} chat: 5`, `${queue} email: 4`, `${queue} email: 6`]);
  });

  it('refuses agents, and another tenant’s supervisor changes only their own queues', async () => {
    const agent = await open('demo', 'agent3');
    for (const [event, payload] of [
      [EVENTS.getQueueCapacities, {}],
      [EVENTS.setQueueCapacity, { queue, channel: 'chat', capacity: 9 }],
    ] as const) expect(await agent.call(event, payload)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const acme = await open('acme', 'super1');
    const acmeQueues = QueueCapacitiesSet.parse(ok(await acme.call(EVENTS.getQueueCapacities, {})));
    // acme sees its own queues with the defaults, not demo's settings.
    for (const c of Object.values(acmeQueues.queues)) expect(c.chat.custom || c.email.custom).toBe(false);
    const somewhere = Object.keys(acmeQueues.queues)[0]!;
    ok(await acme.call(EVENTS.setQueueCapacity, { queue: somewhere, channel: 'chat', capacity: 9 }));
    expect((await stored()).find((r) => r.channel === 'chat')?.capacity).toBe(5);
    // No push to demo's supervisors for acme's change.
    expect(heard.some((h) => Object.values(h.queues).some((c) => c.chat.capacity === 9))).toBe(false);
  });

  it('refuses bad input with a reason and changes nothing', async () => {
    const sup = await open('demo', 'admin');
    const bad = [
      [{ queue, channel: 'voice', capacity: 2 }, /chat or email/],
      [{ queue, channel: 'chat', capacity: 0 }, /from 1 to 50/],
      [{ queue, channel: 'chat', capacity: 51 }, /from 1 to 50/],
      [{ queue, channel: 'chat', capacity: 2.5 }, /whole number/],
      [{ queue, channel: 'chat', capacity: '3' }, /whole number/],
      [{ queue, channel: 'chat' }, /whole number/],
      [{ queue: '', channel: 'chat', capacity: 3 }, /queue/],
      [{ queue, channel: 'chat', capacity: 3, exclusive: true }, /exclusive/],
      [{ queue, channel: 'chat', capacity: 3, interruptible: 'yes' }, /interruptible/],
    ] as const;
    for (const [payload, reason] of bad) {
      const r = await sup.call(EVENTS.setQueueCapacity, payload);
      expect(r, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      if (!r.ok) expect(r.error.message, JSON.stringify(payload)).toMatch(reason);
    }
    expect(await sup.call(EVENTS.setQueueCapacity, { queue: 'no-such-queue', channel: 'chat', capacity: 3 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining('no-such-queue') },
    });
    expect((await stored()).map((r) => r.capacity)).toEqual([5, 6]);
    // Still working.
    ok(await sup.call(EVENTS.getQueueCapacities, {}));
  });

  it('routes with a raised capacity at once', async () => {
    // agent1 alone may take chats: super1 and agent3 (desktops still open) step away; the demo's
    // simulated colleagues have no desktop and are never offered chats.
    for (const d of desks.filter((x) => ['super1', 'agent3'].includes(x.user.username))) ok(await d.call(EVENTS.setAgentState, { state: 'not_ready', reason: 'break' }));
    const sup = desks[0]!;
    ok(await sup.call(EVENTS.setQueueCapacity, { queue: other, channel: 'chat', capacity: 1 }));
    const offers: string[] = [];
    await open('demo', 'agent1', (s) => s.on(EVENTS.conversationOffered, (m: unknown) => offers.push(ConversationOffered.parse(m).conversation.id)));
    const channels = channelsOf(center)!;
    const first = await channels.inbound({ tenantId: 'demo', channel: 'chat', queue: other, identity: { chatVisitorId: 'cap-visitor-1' }, text: 'Hello?' });
    await vi.waitFor(() => expect(offers).toContain(first.conversationId), { timeout: 10_000 });
    const second = await channels.inbound({ tenantId: 'demo', channel: 'chat', queue: other, identity: { chatVisitorId: 'cap-visitor-2' }, text: 'Anyone?' });
    // Full at 1: it waits, through routing passes (the floor's tick routes once a second).
    await channels.kick('demo');
    await channels.kick('demo');
    const [waiting] = await center.db.query<{ state: string }>(`SELECT state FROM conversations WHERE id = $1`, [second.conversationId]);
    expect(waiting?.state).toBe('queued');
    expect(offers).not.toContain(second.conversationId);
    ok(await sup.call(EVENTS.setQueueCapacity, { queue: other, channel: 'chat', capacity: 2 }));
    await vi.waitFor(() => expect(offers).toContain(second.conversationId), { timeout: 10_000 });
  });
});
