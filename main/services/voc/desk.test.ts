// The VOC desk on this desktop, over a real socket.io connection on loopback and a real SQLite store:
// answers are kept for offline use, steps are checked by the shared table and queued in the outbox,
// the item shows them until they sync, a refusal puts the center's view back, and pushes are relayed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Server, type Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopApiEvent, DesktopApiHandlers } from '../../../shared/api/index';
import { Customer, VocItem } from '../../../shared/domain/entities';
import { EVENTS, type FollowUpTask, type VocItemPage, type VocQueueResponse } from '../../../shared/protocol/index';
import { applyPullPage, applyPushAck, listOutbox, listRejected } from '../../db/index';
import { aCustomer, aDepartment, tempStore, type TempStore } from '../../db/test-fixtures';
import { dispatchApiCall } from '../api-dispatch';
import { createCenterLink, type CenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createVocDesk, type VocDesk } from './desk';

const STAFF = { userId: randomUUID(), displayName: 'Park Staff', role: 'staff' as const };
const customer: Customer = aCustomer();
const billing = aDepartment({ members: [{ userId: STAFF.userId, name: STAFF.displayName }] });
const item = VocItem.parse({
  id: randomUUID(),
  customerId: customer.id,
  interactionId: null,
  type: 'complaint',
  topic: 'Charged twice',
  description: 'twice in March',
  status: 'routed',
  createdBy: 'agent1',
  createdAt: '2026-11-25T01:00:00.000Z',
  number: 'VOC-2026-000123',
  departmentId: 'billing',
});
const page: VocItemPage = { item, history: [{ at: item.createdAt, by: 'Kim Agent', action: 'create', from: null, to: 'raised', reason: null }], customer, contact: null, actions: ['take'] };
const queueAnswer: VocQueueResponse = { items: [{ ...item, customerName: customer.displayName, nextDue: '2026-11-25T05:00:00.000Z', overdue: false }], next: null, overdueCount: 1 };
const task: FollowUpTask = {
  id: randomUUID(), vocId: item.id, number: item.number, customerId: customer.id, customerName: customer.displayName, phone: '+821012345678', type: 'complaint',
  topic: 'Charged twice', result: 'Refunded', remedy: '12,000 won', dueAt: '2026-11-26T01:00:00.000Z', attempts: 0, maxAttempts: 3, state: 'open', claimedBy: null,
};

let store: TempStore;
const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  store = tempStore();
  // The departments arrive as reference data, as the pull brings them.
  applyPullPage(store.db, { changes: [{ version: '1', entity: 'department', id: billing.id, op: 'upsert', data: billing }], cursor: '1', reset: false });
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
  store.cleanup();
});

async function setUp() {
  const http = createServer();
  const io = new Server(http);
  const asked: Array<{ event: string; payload: unknown }> = [];
  const answer = (event: string, reply: (payload: unknown) => unknown) => (s: Socket) =>
    s.on(event, (payload: unknown, ack: (a: unknown) => void) => {
      asked.push({ event, payload });
      ack(reply(payload));
    });
  const handlers = [
    answer(EVENTS.vocQueue, () => ({ ok: true, value: queueAnswer })),
    answer(EVENTS.vocItem, (p) => ((p as { id: string }).id === item.id ? { ok: true, value: page } : { ok: false, error: { code: 'not_found', message: 'no such item' } })),
    answer(EVENTS.followUps, () => ({ ok: true, value: { tasks: [task] } })),
    answer(EVENTS.followUpCall, (p) => ((p as { id: string }).id === task.id ? { ok: true, value: { interactionId: randomUUID() } } : { ok: false, error: { code: 'conflict', message: 'claimed' } })),
    answer(EVENTS.followUpSkip, () => ({ ok: true, value: {} })),
  ];
  io.on('connection', (s) => handlers.forEach((h) => h(s)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const link: CenterLink = createCenterLink({ centerUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, listeners: { connected: () => onConnected(), disconnected() {}, connectFailed() {} } });
  const hub = createEventHub();
  const heard: Array<{ event: DesktopApiEvent; payload: unknown }> = [];
  for (const event of ['vocChanged', 'vocOverdue'] as const) hub.on(event, (payload) => heard.push({ event, payload }));
  let kicks = 0;
  let clock = new Date('2026-11-25T03:00:00.000Z');
  const desk: VocDesk = createVocDesk({ db: store.db, link, emit: hub.emit, self: () => STAFF, onLocalWrite: () => (kicks += 1), now: () => clock });
  link.connect({ token: 't', clientId: 'c' });
  await connected;
  cleanups.push(() => link.disconnect(), () => new Promise<void>((r) => io.close(() => r())));
  const api = {
    getVocQueue: (r) => desk.queue(r),
    getVocItem: ({ id }) => desk.item(id),
    actOnVocItem: async (a) => desk.act(a),
  } as Partial<DesktopApiHandlers> as DesktopApiHandlers;
  return { desk, link, io, asked, heard, api, kicks: () => kicks, setClock: (d: string) => (clock = new Date(d)) };
}

describe('VOC desk relay', () => {
  it('keeps the last answer per set of filters and shows it offline with its time', async () => {
    const { desk, link, setClock } = await setUp();
    const online = await desk.queue({ scope: 'department', priorities: ['urgent', 'high'], types: ['complaint'] });
    expect(online).toMatchObject({ offline: false, asOf: '2026-11-25T03:00:00.000Z', overdueCount: 1, items: [{ id: item.id, pendingSync: false, customerName: customer.displayName }] });
    await desk.item(item.id);
    link.disconnect();
    setClock('2026-11-25T04:00:00.000Z');
    // The same filters written in another order are the same question.
    const offline = await desk.queue({ types: ['complaint'], scope: 'department', priorities: ['urgent', 'high'] });
    expect(offline).toEqual({ ...online, offline: true });
    expect(await desk.item(item.id)).toMatchObject({ offline: true, asOf: '2026-11-25T03:00:00.000Z', item: { number: 'VOC-2026-000123' } });
    await expect(desk.queue({ scope: 'mine' })).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/offline.*when the connection returns/) });
    await expect(desk.item(randomUUID())).rejects.toMatchObject({ code: 'offline' });
  });

  it("says what a refusal means, in the desk's words", async () => {
    const { desk } = await setUp();
    await expect(desk.item(randomUUID())).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/not in the records you may see/) });
  });

  it('checks a step against the table, queues it, and shows the item moved until the center answers; a refusal puts the center view back', async () => {
    const { desk, api, kicks } = await setUp();
    await desk.item(item.id);
    // Not a step the table allows for a member of a routed item: refused at once, nothing queued.
    const refused = await dispatchApiCall(api, 'actOnVocItem', [{ id: item.id, expectedStatus: 'routed', action: 'approve' }]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/cannot approve an item that is waiting in its department/) } });
    const stale = await dispatchApiCall(api, 'actOnVocItem', [{ id: item.id, expectedStatus: 'in_progress', action: 'start' }]);
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/someone acted on it first/) } });
    // The contract refuses a key the step does not define before any service runs.
    const smuggled = await dispatchApiCall(api, 'actOnVocItem', [{ id: item.id, expectedStatus: 'routed', action: 'take', ownerUserId: randomUUID() }]);
    expect(smuggled).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/ownerUserId/) } });
    expect(listOutbox(store.db)).toEqual([]);

    const took = await dispatchApiCall(api, 'actOnVocItem', [{ id: item.id, expectedStatus: 'routed', action: 'take' }]);
    expect(took).toMatchObject({ ok: true, value: { status: 'assigned' } });
    expect(kicks()).toBe(1);
    const [queued] = listOutbox(store.db);
    expect(queued).toMatchObject({ name: 'voc.act', customerId: customer.id, args: { id: item.id, expectedStatus: 'routed', action: 'take' } });
    // The center still says routed; here the item is the person's, waiting to sync, with the owner's steps.
    const shown = await desk.item(item.id);
    expect(shown).toMatchObject({ pendingSync: true, item: { status: 'assigned', ownerUserId: STAFF.userId, ownerName: 'Park Staff' } });
    expect(shown.actions).toEqual(['handOver', 'start', 'reclassify']);
    expect((await desk.queue({ scope: 'department' })).items[0]).toMatchObject({ status: 'assigned', pendingSync: true });
    // A further step builds on the one waiting.
    expect(desk.act({ id: item.id, expectedStatus: 'assigned', action: 'start' })).toMatchObject({ status: 'in_progress' });

    const rows = listOutbox(store.db);
    applyPushAck(store.db, { lastSeq: rows.at(-1)!.seq, version: '5', rejected: rows.map((r) => ({ mutationId: r.mutationId, seq: r.seq, reason: 'This item is now assigned to an owner; someone acted on it first.' })) }, '2026-11-25T03:00:05.000Z');
    expect(listRejected(store.db).map((r) => r.name)).toEqual(['voc.act', 'voc.act']);
    expect(await desk.item(item.id)).toMatchObject({ pendingSync: false, item: { status: 'routed', ownerUserId: null }, actions: ['take'] });
  });

  it('relays voc:changed and voc:overdue, and drops a push it cannot read', async () => {
    const { io, heard } = await setUp();
    const changed = { id: item.id, number: item.number, status: 'assigned', departmentId: 'billing', ownerUserId: STAFF.userId };
    const overdue = { id: item.id, number: item.number, deadline: 'acknowledge', priority: 'urgent', safety: true, departmentId: 'billing', dueAt: '2026-11-25T02:00:00.000Z' };
    io.emit(EVENTS.vocChanged, { id: 'not-a-uuid' });
    io.emit(EVENTS.vocChanged, changed);
    io.emit(EVENTS.vocOverdue, overdue);
    for (let i = 0; i < 200 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(heard).toEqual([{ event: 'vocChanged', payload: changed }, { event: 'vocOverdue', payload: overdue }]);
  });

  it('lists follow-ups with an outcome recorded here, places the call, and refreshes after a skip', async () => {
    const { desk, asked, link } = await setUp();
    expect(await desk.followUps()).toMatchObject({ offline: false, tasks: [{ id: task.id, pendingOutcome: null }] });
    expect((await desk.callFollowUp(task.id)).interactionId).toMatch(/-/);
    await expect(desk.callFollowUp(randomUUID())).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/Another agent/) });
    // The outcome is a step like any other; the item is not on this desktop, so the center decides.
    desk.act({ id: item.id, expectedStatus: 'follow_up', action: 'followUpOutcome', outcome: 'dissatisfied', reason: 'still charged twice' });
    expect(listOutbox(store.db)[0]).toMatchObject({ name: 'voc.act', customerId: null });
    expect((await desk.skipFollowUp({ id: task.id, reason: 'customer in a meeting' })).tasks[0]).toMatchObject({ pendingOutcome: 'dissatisfied' });
    expect(asked.map((a) => a.event)).toEqual([EVENTS.followUps, EVENTS.followUpCall, EVENTS.followUpCall, EVENTS.followUpSkip, EVENTS.followUps]);
    link.disconnect();
    expect(await desk.followUps()).toMatchObject({ offline: true, tasks: [{ pendingOutcome: 'dissatisfied' }] });
    await expect(desk.callFollowUp(task.id)).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/follow-up calls can be placed when the connection returns/) });
  });
});
