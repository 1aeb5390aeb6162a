// The VOC loop through real desktops (main/services over SQLite) and a REAL center (PGlite, demo data):
// an agent raises a complaint from the VOC form's fields, the center routes it, a staff member of the
// department works it from the desk (steps queued as voc.act, shown waiting to sync until the center
// has them), answers it and records the customer told; the agent's follow-up call is listed, placed,
// and its "dissatisfied" outcome reopens the item, which the staff desk hears. A step from a state the
// item left is refused by the center and lands in that desktop's rejected list, blocking nothing.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { EventPayload } from '../../shared/api/index';
import type { VocDeskItem } from '../../shared/api/voc';
import type { VocStatus } from '../../shared/domain/index';
import { workEveryDay } from '../support/voc-setup';
import { FAST, waitFor } from './desktop-harness';

describe('the VOC loop between desktops and a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-voc-'));
  let center: RunningCenter;
  const desktops = new Map<string, DesktopServices>();
  const heard: Record<string, Array<EventPayload<'vocChanged'>>> = {};
  let customerId: string;
  let itemId: string;

  async function signIn(username: string): Promise<DesktopServices> {
    const d = createDesktopServices({ dataDir: join(dir, username), centerUrl: center.url }, FAST);
    heard[username] = [];
    d.on('vocChanged', (p) => heard[username]!.push(p));
    await d.start();
    await d.handlers.signIn({ tenant: 'demo', username, password: 'demo' });
    desktops.set(username, d);
    return d;
  }
  const desk = (username: string) => desktops.get(username)!.handlers;

  /** Waits until the center's page (nothing pending on this desktop) shows the item at `status`. */
  async function centerShows(username: string, status: VocStatus): Promise<VocDeskItem> {
    let last: VocDeskItem | null = null;
    return waitFor(
      `${username}'s desk to show the item ${status}`,
      async () => {
        last = await desk(username).getVocItem({ id: itemId });
        return !last.pendingSync && !last.offline && last.item.status === status ? last : undefined;
      },
      () => last && { status: last.item.status, pendingSync: last.pendingSync, actions: last.actions },
    );
  }

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent' });
    await workEveryDay(center.url);
    const [row] = await center.db.query<{ customer_id: string }>(
      "SELECT i.customer_id FROM customer_identities i JOIN tenants t ON t.id = i.tenant_id WHERE t.id = 'demo' AND i.kind = 'phone' ORDER BY i.customer_id LIMIT 1",
    );
    customerId = row!.customer_id;
    await signIn('agent1');
    await signIn('staff5'); // Logistics' lead: delivery topics are routed there.
    await signIn('staff6');
  }, 120_000);
  afterAll(async () => {
    for (const d of desktops.values()) await d.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every desktop the catalogue and the departments', async () => {
    const ref = await waitFor('the reference data', async () => {
      const r = await desk('agent1').getVocReference();
      return r.topics.length > 0 && r.departments.length > 0 ? r : undefined;
    });
    expect(ref.topics).toContainEqual({ id: 'delivery/late', parentId: 'delivery', name: 'Late delivery', labels: { ko: '배송 지연' }, active: true });
    expect(ref.departments.find((d) => d.id === 'logistics')?.members.map((m) => m.name)).toHaveLength(2);
  });

  it('routes a complaint the agent raised to the department, where staff work it to the customer told', async () => {
    itemId = randomUUID();
    const raised = await desk('agent1').createVocItem({
      id: itemId,
      customerId,
      interactionId: null,
      type: 'complaint',
      topic: 'Late delivery',
      topicId: 'delivery/late',
      description: 'The parcel promised for Monday has not come.',
      priority: 'high',
      safety: false,
      wants: 'explanation',
      resolvedOnContact: false,
    });
    expect(raised).toMatchObject({ status: 'raised', number: null, topicId: 'delivery/late', priority: 'high' });

    // On the department's queue (the assigner may already have given it to staff5, who is signed in).
    const entry = await waitFor('the item on the logistics queue', async () => (await desk('staff5').getVocQueue({ scope: 'department' })).items.find((i) => i.id === itemId));
    expect(entry).toMatchObject({ departmentId: 'logistics', priority: 'high', wants: 'explanation', customerName: expect.any(String) });
    expect(entry.number).toMatch(/^VOC-\d{4}-\d{6}$/);
    // The agent's desktop gets the same number back with the next sync (what the call's VOC list shows).
    const mine = await waitFor('the number on the agent\'s copy', async () => (await desk('agent1').getVocItems({ ids: [itemId] })).find((i) => i.number !== null));
    expect(mine).toMatchObject({ id: itemId, number: entry.number, departmentId: 'logistics' });
    let page = await desk('staff5').getVocItem({ id: itemId });
    if (page.item.status === 'routed') {
      await desk('staff5').actOnVocItem({ id: itemId, expectedStatus: 'routed', action: 'take' });
      page = await centerShows('staff5', 'assigned');
    }
    // Round robin may have given it to staff6, also signed in: staff5, the lead, assigns it to himself.
    const [staff5] = await center.db.query<{ id: string }>("SELECT id FROM users WHERE tenant_id = 'demo' AND username = 'staff5'");
    if (page.item.ownerUserId !== staff5!.id) {
      await desk('staff5').actOnVocItem({ id: itemId, expectedStatus: 'assigned', action: 'assign', ownerUserId: staff5!.id });
      page = await waitFor('the item assigned to staff5', async () => {
        const p = await desk('staff5').getVocItem({ id: itemId });
        return !p.pendingSync && p.item.ownerUserId === staff5!.id ? p : undefined;
      });
    }
    expect(page.item.ownerName).toBeTruthy();
    expect(page.customer.id).toBe(customerId);
    expect(page.history.map((h) => h.action).slice(0, 2)).toEqual(['raise', 'route']);

    // A step queued here shows at once, waiting to sync, then as the center has it.
    const started = await desk('staff5').actOnVocItem({ id: itemId, expectedStatus: 'assigned', action: 'start' });
    expect(started.status).toBe('in_progress');
    await centerShows('staff5', 'in_progress');
    await desk('staff5').actOnVocItem({ id: itemId, expectedStatus: 'in_progress', action: 'recordResult', result: 'The courier missed the depot scan.', remedy: 'Redelivered the next morning.' });
    const answered = await centerShows('staff5', 'result_recorded'); // logistics needs no approval
    expect(answered.item).toMatchObject({ result: 'The courier missed the depot scan.', remedy: 'Redelivered the next morning.' });
    await desk('staff5').actOnVocItem({ id: itemId, expectedStatus: 'result_recorded', action: 'notifyCustomer', via: 'sms', at: new Date().toISOString() });
    // A complaint gets a happy call: the center moves it on to follow_up.
    const told = await centerShows('staff5', 'follow_up');
    expect(told.item).toMatchObject({ notifiedVia: 'sms' });
    expect(told.history.map((h) => `${h.from}>${h.to}`)).toContain('result_recorded>customer_notified');
    // The agent who raised it hears it too, through the pull (their follow-ups list asks again).
    await waitFor('agent1 to hear its item reached its happy call', () => heard.agent1!.find((c) => c.id === itemId && c.status === 'follow_up'));
  });

  it("refuses a step from a state the item left, into that desktop's rejected list", async () => {
    // staff6 never opened the item, so the desktop cannot check it: the center refuses it.
    await desk('staff6').actOnVocItem({ id: itemId, expectedStatus: 'routed', action: 'take' });
    const refused = await waitFor('the refusal', async () => (await desk('staff6').getSyncStatus()).rejected.find((r) => r.name === 'voc.act'));
    expect(refused.reason).toMatch(/someone acted on it first/);
    expect((await desk('staff6').getSyncStatus()).pending).toBe(0);
    // Discarding it is all there is to do.
    expect(await desk('staff6').discardRejectedMutation({ mutationId: refused.mutationId })).toEqual({ discarded: true });
  });

  it("lists the agent's follow-up, places the call, and a dissatisfied answer reopens the item for its owner", async () => {
    const task = await waitFor('the follow-up in the list', async () => (await desk('agent1').getFollowUps()).tasks.find((t) => t.vocId === itemId));
    expect(task).toMatchObject({ type: 'complaint', topic: 'Late delivery', result: 'The courier missed the depot scan.', remedy: 'Redelivered the next morning.', pendingOutcome: null });
    const offered: Array<EventPayload<'callOffered'>> = [];
    desktops.get('agent1')!.on('callOffered', (c) => offered.push(c));
    const { interactionId } = await desk('agent1').callFollowUp({ id: task.id });
    await waitFor('the follow-up call to pop', () => offered.find((o) => o.call.interactionId === interactionId));

    const before = heard.staff5!.length;
    await desk('agent1').actOnVocItem({ id: itemId, expectedStatus: 'follow_up', action: 'followUpOutcome', outcome: 'dissatisfied', reason: 'Parcel came, but damaged.' });
    const reopened = await centerShows('staff5', 'reopened');
    expect(reopened.history.at(-1)).toMatchObject({ action: 'followUpOutcome', from: 'follow_up', to: 'reopened', reason: 'Parcel came, but damaged.' });
    expect(reopened.actions).toContain('start');
    await waitFor('staff5 to hear the change', () => heard.staff5!.slice(before).find((c) => c.id === itemId && c.status === 'reopened'));
    await waitFor('the task to leave the list', async () => !(await desk('agent1').getFollowUps()).tasks.some((t) => t.id === task.id));
  });
});
