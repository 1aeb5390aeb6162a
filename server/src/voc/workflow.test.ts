// The VOC loop through the real protocol (pushes of voc.create and voc.act, the desk's events) on a
// real center, PGlite and PostgreSQL: routing, ownership, approval, telling the customer, the happy
// call that reopens, and every refusal — a step from a state the item left, by someone without the
// right, of another tenant, to an unknown department — landing in the rejected list, never blocking.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCenter } from '../index';
import { VocItem, type VocStatus } from '../../../shared/domain';
import { SCHEMA_VERSION, VocItemPage, VocQueueResponse, type PushResponse } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { desktop, ok, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { vocSweepOf } from '../center/center';
import { assignRouted } from './worker';

forEachDriver('the VOC workflow', ({ freshDatabase }) => {
  let t: TestCenter;
  const desktops = new Map<string, Desktop>();
  const seqs = new Map<string, number>();
  const as = async (username: string, tenant = 'demo') => {
    const key = `${tenant}/${username}`;
    let d = desktops.get(key);
    if (!d) desktops.set(key, (d = await desktop(t.center.url, tenant, username)));
    return d;
  };
  /** Pushes one mutation as `username`; returns the refusal's reason, or null when it applied. */
  const push = async (username: string, name: string, args: unknown, tenant = 'demo'): Promise<string | null> => {
    const d = await as(username, tenant);
    const seq = (seqs.get(d.clientId) ?? 0) + 1;
    seqs.set(d.clientId, seq);
    const r = ok(await d.call<PushResponse>('sync:push', { schemaVersion: SCHEMA_VERSION, clientId: d.clientId, mutations: d.mutations(seq, [{ name, args }]) }));
    expect(r.lastSeq).toBe(seq); // processed, applied or set aside: never blocking
    return r.rejected[0]?.reason ?? null;
  };
  const act = (username: string, id: string, expectedStatus: VocStatus, step: Record<string, unknown>) => push(username, 'voc.act', { id, expectedStatus, ...step });
  const item = async (id: string) => {
    const [row] = await t.center.db.query<{ status: VocStatus; number: string | null; department_id: string | null; owner: string | null; acknowledge_due: Date | null; acknowledged_at: Date | null; resolve_due: Date | null; topic_id: string | null }>(
      `SELECT v.status, v.number, v.department_id, u.username AS owner, v.acknowledge_due, v.acknowledged_at, v.resolve_due, v.topic_id
         FROM voc_items v LEFT JOIN users u ON u.id = v.owner_user_id WHERE v.id = $1`,
      [id],
    );
    return row!;
  };
  const history = async (id: string) =>
    (await t.center.db.query<{ action: string; from_status: string | null; to_status: string; by_name: string; reason: string | null }>('SELECT action, from_status, to_status, by_name, reason FROM voc_history WHERE voc_id = $1 ORDER BY id', [id])).map(
      (h) => `${h.action}:${h.from_status ?? '-'}>${h.to_status}`,
    );
  let customerId: string;
  const raise = async (args: Record<string, unknown>, by = 'agent1') => {
    const id = randomUUID();
    const reason = await push(by, 'voc.create', { id, customerId, interactionId: null, type: 'complaint', topic: 'Double charge', description: 'Charged twice this month.', ...args });
    expect(reason).toBeNull();
    return id;
  };

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    customerId = t.tenants.demo!.customers[0]!.customer.id;
  });
  afterAll(async () => {
    for (const d of desktops.values()) d.close();
    await t?.stop();
  });

  it('registers a raised complaint: a number, routed by the rules, clocks on the business calendar', async () => {
    const id = await raise({ topicId: 'billing/double-charge', priority: 'high', wants: 'refund' });
    const it1 = await item(id);
    expect(it1).toMatchObject({ status: 'routed', department_id: 'billing', owner: null, topic_id: 'billing/double-charge' });
    expect(it1.number).toMatch(/^VOC-\d{4}-\d{6}$/);
    expect(it1.acknowledge_due).not.toBeNull();
    expect(new Date(it1.resolve_due!).getTime()).toBeGreaterThan(new Date(it1.acknowledge_due!).getTime());
    expect(await history(id)).toEqual(['raise:->raised', 'route:raised>routed']);
    // The agent's desktop gets the registered item through the change log.
    const logged = await t.center.db.query<{ data: unknown }>("SELECT data FROM change_log WHERE entity = 'voc_item' AND entity_id = $1 ORDER BY version DESC LIMIT 1", [id]);
    expect(VocItem.parse(logged[0]!.data)).toMatchObject({ id, status: 'routed', number: it1.number, departmentId: 'billing', priority: 'high', wants: 'refund' });
  });

  it('works an item from owner to approval to the customer told, then a dissatisfied happy call reopens it', async () => {
    const id = await raise({ topicId: 'billing/double-charge' });
    expect(await act('staff4', id, 'routed', { action: 'take' })).toBeNull();
    expect(await item(id)).toMatchObject({ status: 'assigned', owner: 'staff4' });
    expect((await item(id)).acknowledged_at).not.toBeNull();
    expect(await act('staff4', id, 'assigned', { action: 'start' })).toBeNull();
    expect(await act('staff4', id, 'in_progress', { action: 'recordResult', result: 'Billed twice by a batch error.', remedy: 'Refunded the second charge.' })).toBeNull();
    // Billing requires its lead's approval before the customer is told.
    expect((await item(id)).status).toBe('awaiting_approval');
    expect(await act('staff4', id, 'awaiting_approval', { action: 'approve' })).toMatch(/Only its department's lead or a supervisor may approve this item/);
    expect(await act('staff3', id, 'awaiting_approval', { action: 'approve' })).toBeNull();
    expect(await act('agent1', id, 'result_recorded', { action: 'notifyCustomer', via: 'call', at: new Date().toISOString() })).toBeNull();
    // Complaints get a follow-up call: the task is in the agents' list.
    expect((await item(id)).status).toBe('follow_up');
    const agent2 = await as('agent2');
    const tasks = ok(await agent2.call<{ tasks: Array<{ vocId: string; number: string }> }>('voc:followUps', {})).tasks;
    // Due the next working day: listed once it is within the hour; the row itself is there now.
    const [task] = await t.center.db.query<{ state: string; due_at: Date }>('SELECT state, due_at FROM voc_follow_ups WHERE voc_id = $1', [id]);
    expect(task).toMatchObject({ state: 'open' });
    expect(tasks.some((x) => x.vocId === id)).toBe(new Date(task!.due_at).getTime() <= Date.now() + 3_600_000);
    expect(await act('agent2', id, 'follow_up', { action: 'followUpOutcome', outcome: 'dissatisfied', reason: 'Still charged twice on the new bill.' })).toBeNull();
    // Back to its owner, with fresh clocks; the task is done.
    expect(await item(id)).toMatchObject({ status: 'reopened', owner: 'staff4' });
    expect((await t.center.db.query<{ state: string; outcome: string }>('SELECT state, outcome FROM voc_follow_ups WHERE voc_id = $1', [id]))[0]).toEqual({ state: 'done', outcome: 'dissatisfied' });
    expect(await history(id)).toEqual([
      'raise:->raised',
      'route:raised>routed',
      'take:routed>assigned',
      'start:assigned>in_progress',
      'recordResult:in_progress>awaiting_approval',
      'approve:awaiting_approval>result_recorded',
      'notifyCustomer:result_recorded>customer_notified',
      'scheduleFollowUp:customer_notified>follow_up',
      'followUpOutcome:follow_up>reopened',
    ]);
    // The item page: history, customer, and what the owner may do now.
    const page = VocItemPage.parse(ok(await (await as('staff4')).call('voc:item', { id })));
    expect(page.history.at(-1)).toMatchObject({ action: 'followUpOutcome', to: 'reopened', reason: 'Still charged twice on the new bill.' });
    expect(page.customer.id).toBe(customerId);
    expect(page.actions).toContain('start');
    expect(page.actions).not.toContain('approve');
  });

  it('lets exactly one of two people act on an item at once; the other is told', async () => {
    const id = await raise({ topicId: 'billing/refund' });
    const [a, b] = await Promise.all([act('staff3', id, 'routed', { action: 'take' }), act('staff4', id, 'routed', { action: 'take' })]);
    expect([a, b].filter((r) => r === null)).toHaveLength(1);
    expect([a, b].find((r) => r !== null)).toMatch(/someone acted on it first/);
    expect((await history(id)).filter((h) => h.startsWith('take'))).toHaveLength(1);
  });

  it('refuses what the table, the department or the tenant does not allow, and nothing else changes', async () => {
    const id = await raise({ topicId: 'billing/plan-change' });
    // A member of another department, an agent closing a department's item, a step the state does not have.
    expect(await act('staff5', id, 'routed', { action: 'take' })).toMatch(/Only a member of its department or its department's lead may take this item/);
    expect(await act('agent1', id, 'routed', { action: 'withdraw', reason: 'done' })).toMatch(/Only its department's lead or a supervisor may withdraw this item/);
    expect(await act('staff3', id, 'routed', { action: 'recordResult', result: 'x', remedy: '' })).toMatch(/You cannot record the result of an item that is waiting in its department for an owner/);
    // An unknown department, a topic not in the catalogue, an item of another tenant, a step that does not exist.
    expect(await act('staff3', id, 'routed', { action: 'handOver', departmentId: 'nowhere', reason: 'not ours' })).toMatch(/no department "nowhere"/);
    expect(await act('super1', id, 'routed', { action: 'reclassify', topicId: 'billing/nonsense' })).toMatch(/not in the catalogue/);
    expect(await push('agent1', 'voc.act', { id, expectedStatus: 'routed', action: 'teleport' }, 'acme')).toMatch(/Invalid arguments/);
    expect(await act('agent1', randomUUID(), 'routed', { action: 'take' })).toMatch(/does not exist/);
    const acmeItem = (await t.center.db.query<{ id: string }>("SELECT id FROM voc_items WHERE tenant_id = 'acme' AND status = 'routed' LIMIT 1"))[0];
    if (acmeItem) expect(await act('staff3', acmeItem.id, 'routed', { action: 'take' })).toMatch(/does not exist/);
    expect(await item(id)).toMatchObject({ status: 'routed', owner: null, department_id: 'billing', topic_id: 'billing/plan-change' });
    expect(await history(id)).toEqual(['raise:->raised', 'route:raised>routed']);
    // A hand-over keeps the history and says why.
    expect(await act('staff3', id, 'routed', { action: 'handOver', departmentId: 'cs', reason: 'A plan question, not billing.' })).toBeNull();
    expect(await item(id)).toMatchObject({ status: 'routed', department_id: 'cs' });
  });

  it('closes an inquiry answered on the contact and keeps an unknown topic as unclassified', async () => {
    const answered = await raise({ type: 'inquiry', topicId: 'product/how-to', resolvedOnContact: true });
    expect(await item(answered)).toMatchObject({ status: 'closed', department_id: null });
    expect(await history(answered)).toEqual(['raise:->raised', 'resolveOnContact:raised>closed']);
    const free = await raise({ topicId: 'billing/made-up' });
    expect(await item(free)).toMatchObject({ topic_id: null, status: 'routed', department_id: 'cs' });
    expect(await history(free)).toContain('unclassify:raised>raised');
  });

  it("shows a department's queue overdue first, then by due, and keeps staff to their own departments", async () => {
    const id = await raise({ topicId: 'billing/pricing', priority: 'urgent' });
    await t.center.db.query("UPDATE voc_items SET acknowledge_due = now() - interval '1 minute' WHERE id = $1", [id]);
    const lead = await as('staff3');
    const overdue = vi.fn();
    lead.socket.on('voc:overdue', overdue);
    const supervisor = await as('super1');
    const supervisorHeard = vi.fn();
    supervisor.socket.on('voc:overdue', supervisorHeard);
    // Whichever sweep marks it — this one, or the center's own every 15 s — the lead and every
    // supervisor (an urgent item) hear of it on their desktops.
    await vocSweepOf(t.center)!();
    await vi.waitFor(() => expect(overdue).toHaveBeenCalledWith(expect.objectContaining({ id, deadline: 'acknowledge', priority: 'urgent' })), { timeout: 5_000 });
    await vi.waitFor(() => expect(supervisorHeard).toHaveBeenCalledWith(expect.objectContaining({ id })), { timeout: 5_000 });
    expect(await history(id)).toContain('overdue:routed>routed');
    const q = VocQueueResponse.parse(ok(await lead.call('voc:queue', { scope: 'department' })));
    expect(q.items[0]).toMatchObject({ id, overdue: true });
    expect(q.overdueCount).toBeGreaterThanOrEqual(1);
    const dues = q.items.filter((i) => !i.overdue).map((i) => i.nextDue ?? '9999');
    expect(dues).toEqual([...dues].sort());
    const staff5 = await as('staff5');
    expect((await staff5.call('voc:queue', { scope: 'department', departmentId: 'billing' })).ok).toBe(false);
    expect((await staff5.call('voc:queue', { scope: 'all' })).ok).toBe(false);
    expect(VocQueueResponse.parse(ok(await supervisor.call('voc:queue', { scope: 'all', overdueOnly: true }))).items.map((i) => i.id)).toContain(id);
    // A second sweep marks nothing twice.
    await vocSweepOf(t.center)!();
    expect((await history(id)).filter((h) => h.startsWith('overdue'))).toHaveLength(1);
  });

  it('filters the queue and pages through it without a gap or a repeat', async () => {
    for (const priority of ['normal', 'high', 'urgent', 'normal'] as const) await raise({ topicId: 'billing/refund', priority, type: 'complaint' });
    await raise({ topicId: 'billing/pricing', type: 'suggestion' });
    const lead = await as('staff3');
    const all = VocQueueResponse.parse(ok(await lead.call('voc:queue', { scope: 'department', departmentId: 'billing', limit: 200 }))).items.map((i) => i.id);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: VocQueueResponse = VocQueueResponse.parse(ok(await lead.call('voc:queue', { scope: 'department', departmentId: 'billing', limit: 2, after })));
      paged.push(...page.items.map((i) => i.id));
      after = page.next;
    } while (after);
    expect(paged).toEqual(all);
    const urgent = VocQueueResponse.parse(ok(await lead.call('voc:queue', { scope: 'department', priorities: ['urgent'], types: ['complaint'], topicId: 'billing' }))).items;
    expect(urgent.length).toBeGreaterThan(0);
    expect(urgent.every((i) => i.priority === 'urgent' && i.type === 'complaint' && i.topicId!.startsWith('billing/'))).toBe(true);
    const routed = VocQueueResponse.parse(ok(await lead.call('voc:queue', { scope: 'department', statuses: ['routed'] }))).items;
    expect(routed.every((i) => i.status === 'routed')).toBe(true);
    expect(await lead.call('voc:queue', { scope: 'department', after: 'not-a-cursor' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('gives a routed item of a round-robin department to a member who is signed in', async () => {
    const id = await raise({ type: 'inquiry', topicId: 'service/store' }); // → cs (default), round robin
    expect((await item(id)).status).toBe('routed');
    const staff2 = await as('staff2');
    const present = new Set([staff2.user.id]);
    const n = await assignRouted(t.center.db, async () => present, () => undefined);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(await item(id)).toMatchObject({ status: 'assigned', owner: 'staff2' });
    expect(await history(id)).toContain('assign:routed>assigned');
    // Nobody present: items wait in the department's queue.
    const waiting = await raise({ type: 'inquiry', topicId: 'service/staff' });
    await assignRouted(t.center.db, async () => new Set(), () => undefined);
    expect((await item(waiting)).status).toBe('routed');
  });
});

describe('VOC clocks across a restart', () => {
  it('marks a deadline that passed while the center was down as soon as it starts again', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-voc-restart-'));
    try {
      const t = await startTestCenter({ dataDir: dir });
      const agent = await desktop(t.center.url, 'demo', 'agent1');
      const id = randomUUID();
      const customerId = t.tenants.demo!.customers[0]!.customer.id;
      const r = ok(
        await agent.call<PushResponse>('sync:push', {
          schemaVersion: SCHEMA_VERSION,
          clientId: agent.clientId,
          mutations: agent.mutations(1, [{ name: 'voc.create', args: { id, customerId, interactionId: null, type: 'complaint', topic: 'Late', description: 'Late again.', topicId: 'delivery/late' } }]),
        }),
      );
      expect(r.rejected).toEqual([]);
      agent.close();
      await t.center.db.query("UPDATE voc_items SET acknowledge_due = now() - interval '5 minutes' WHERE id = $1", [id]);
      await t.stop();
      const again = await startCenter({ dataDir: dir, port: 0, logLevel: 'silent' });
      try {
        await vi.waitFor(
          async () => expect((await again.db.query<{ acknowledge_overdue: boolean }>('SELECT acknowledge_overdue FROM voc_items WHERE id = $1', [id]))[0]).toEqual({ acknowledge_overdue: true }),
          { timeout: 15_000, interval: 200 },
        );
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
