// Improvements through the desktop's services against a REAL center (PGlite, the demo tenant): a
// supervisor's desktop proposes one for Logistics from two VOC items (staff5's desktop hears
// `improvementChanged`), an agent's desktop may not read them, staff5 (Logistics' lead) accepts it,
// starts it, links one more item, marks it done; the agent's desktop hears `improvementsShared`
// ("Because customers told us") and keeps it; staff5 records the customers as told. Refusals arrive
// as errors a person can act on (out of turn, another tenant's item, customers before done, a decline
// without a reason).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { EventPayload } from '../../shared/api/index';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { FAST, waitFor } from './desktop-harness';

describe('improvements through the desktop against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-improvements-'));
  let center: RunningCenter;
  const desks: Record<'super1' | 'staff5' | 'agent1', DesktopServices> = {} as never;
  const heard: Array<EventPayload<'improvementsShared'>> = [];
  const changes: Array<EventPayload<'improvementChanged'>> = [];
  let items: string[] = [];

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent' });
    // Three of the demo's VOC items with a customer (read only: the demo seeded them).
    items = (await center.db.query<{ id: string }>("SELECT id FROM voc_items WHERE tenant_id = 'demo' AND customer_id IS NOT NULL ORDER BY created_at DESC LIMIT 3")).map((r) => r.id);
    expect(items).toHaveLength(3);
    for (const who of ['super1', 'staff5', 'agent1'] as const) {
      const d = createDesktopServices({ dataDir: join(dir, who), centerUrl: center.url }, FAST);
      await d.start();
      await d.handlers.signIn({ tenant: 'demo', username: who, password: 'demo' });
      desks[who] = d;
    }
    desks.agent1.on('improvementsShared', (p) => heard.push(p));
    desks.staff5.on('improvementChanged', (p) => changes.push(p));
  }, 180_000);
  afterAll(async () => {
    for (const d of Object.values(desks)) await d?.stop();
    await center?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('proposes, works to done, shares with the floor and records customers told', { timeout: 120_000 }, async () => {
    const sup = desks.super1.handlers;
    const staff = desks.staff5.handlers;
    const created = await sup.createImprovement({
      title: 'Evening delivery slots',
      change: 'Offer 18–22 h slots where parcels arrive late.',
      departmentId: 'logistics',
      targetDate: '2099-03-31',
      from: { items: items.slice(0, 2) },
    });
    expect(created).toMatchObject({ status: 'proposed', departmentId: 'logistics', linked: 2, told: 0, targetDate: '2099-03-31' });
    // Logistics' lead hears of it at once, to read the list again.
    expect(await waitFor('staff5 to hear the proposal', () => changes.find((c) => c.id === created.id))).toEqual({ id: created.id, status: 'proposed', departmentId: 'logistics' });
    await expect(sup.createImprovement({ title: 'x', change: 'y', departmentId: 'logistics', from: { item: '0190f000-0000-7000-8000-000000000bad' } })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining("not your tenant's"),
    });
    await expect(desks.agent1.handlers.listImprovements({})).rejects.toMatchObject({ code: 'forbidden' });
    expect((await staff.listImprovements({ open: true })).map((m) => m.id)).toContain(created.id);

    await expect(staff.setImprovementStatus({ id: created.id, status: 'done' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('proposed cannot become done') });
    await staff.setImprovementStatus({ id: created.id, status: 'accepted' });
    await staff.setImprovementStatus({ id: created.id, status: 'in_progress' });
    await expect(staff.getImprovementCustomers({ id: created.id })).rejects.toMatchObject({ code: 'conflict' });
    expect((await staff.linkImprovementItems({ id: created.id, items: [items[2]!] })).linked).toBe(3);
    const done = await staff.setImprovementStatus({ id: created.id, status: 'done' });
    expect(done.status).toBe('done');

    const shared = await waitFor('the agent desktop to hear it', () => heard.find((h) => h.items.some((i) => i.id === created.id)));
    expect(shared.items[0]).toMatchObject({ title: 'Evening delivery slots', departmentName: 'Logistics', voices: 3, message: 'Because customers told us: Evening delivery slots — Logistics.' });
    expect((await desks.agent1.handlers.getImprovementsShared()).items[0]!.id).toBe(created.id);

    const customers = await staff.getImprovementCustomers({ id: created.id });
    expect(customers.flatMap((c) => c.items).sort()).toEqual([...items].sort());
    expect(customers.every((c) => !c.told)).toBe(true);
    const first = customers[0]!;
    expect(await staff.recordImprovementTold({ id: created.id, items: first.items, via: 'call' })).toEqual({ told: first.items.length });
    const after = await staff.getImprovementCustomers({ id: created.id });
    expect(after.find((c) => c.customerId === first.customerId)?.told).toBe(true);
    const detail = await staff.getImprovement({ id: created.id });
    expect(detail.improvement.told).toBe(first.items.length);
    expect(detail.items.filter((i) => i.toldAt !== null).map((i) => i.id).sort()).toEqual([...first.items].sort());
  });

  it('declines only with a reason', { timeout: 60_000 }, async () => {
    const sup = desks.super1.handlers;
    const m = await sup.createImprovement({ title: 'Paper bills again', change: 'Mail paper bills.', departmentId: 'logistics', from: { item: items[0]! } });
    await expect(desks.staff5.handlers.setImprovementStatus({ id: m.id, status: 'declined' })).rejects.toMatchObject({ code: 'bad_request', message: 'Say why the improvement is declined.' });
    const declined = await desks.staff5.handlers.setImprovementStatus({ id: m.id, status: 'declined', reason: 'Not ours: billing sends bills.' });
    expect(declined).toMatchObject({ status: 'declined', declinedReason: 'Not ours: billing sends bills.' });
  });
});
