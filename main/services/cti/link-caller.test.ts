// Linking an unknown caller to an existing customer (issue 6), on a real SQLite store with the
// center out of reach: the contact moves locally, the mutation is queued in the same transaction,
// and the pane gets the real customer's pop.
import { afterEach, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../../shared/api/index';
import { cacheScreenPop, listOutbox, saveNote, upsertInteraction } from '../../db/index';
import { aCustomer, anInteraction, tempStore, type TempStore } from '../../db/test-fixtures';
import { createCenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createScreenPopService } from './screen-pop';
import { createViewRecorder } from '../audit/views';

let store: TempStore;
afterEach(() => store.cleanup());

it('links the call on the line to a cached customer, queues interaction.linkCustomer, and keeps the notes readable', async () => {
  store = tempStore();
  const hub = createEventHub();
  const updated: Array<EventPayload<'screenPopUpdated'>> = [];
  hub.on('screenPopUpdated', (e) => updated.push(e));
  const link = createCenterLink({ centerUrl: 'http://127.0.0.1:1', listeners: { connected() {}, disconnected() {}, connectFailed() {} } });
  let kicks = 0;
  const pops = createScreenPopService({
    db: store.db,
    link,
    emit: hub.emit,
    logger: { info() {}, warn() {}, error() {} },
    workingSetCap: 100,
    onLocalWrite: () => (kicks += 1),
    views: createViewRecorder({ db: store.db, onLocalWrite() {} }),
  });
  const known = aCustomer({ displayName: '박서준', identities: [{ kind: 'phone', value: '+821011112222' }] });
  cacheScreenPop(store.db, { customer: known, openVocItems: [], history: [], source: 'center' });

  const call = { interactionId: randomUUID(), ani: '010-5555-0199', dnis: '1588-0000', queue: 'general', agent: 'agent1', offeredAt: '2026-11-25T01:00:00.000Z' };
  await pops.callOffered(call);
  const provisional = updated[0]!.pop!.customer;
  expect(provisional.provisional).toBe(true);
  // The contact as the store will know it, and a note written against the provisional customer.
  upsertInteraction(store.db, anInteraction(provisional.id, { id: call.interactionId }));
  const noteId = randomUUID();
  saveNote(store.db, { id: noteId, customerId: provisional.id, interactionId: call.interactionId, text: 'asked about a refund' }, {
    author: 'agent1',
    mutationId: randomUUID(),
    now: new Date().toISOString(),
  });

  const pop = await pops.linkCaller({ interactionId: call.interactionId, customerId: known.id, addPhone: true });
  expect(pop?.customer.id).toBe(known.id);
  expect(pop?.customer.identities).toContainEqual({ kind: 'phone', value: '+821055550199' });
  expect(pop?.history.map((h) => h.id)).toEqual([call.interactionId]);
  expect(pop?.history[0]!.notes.map((n) => n.id)).toEqual([noteId]);
  expect(updated.at(-1)).toEqual({ interactionId: call.interactionId, pop });
  expect(pops.currentCall()?.pop?.customer.id).toBe(known.id);
  const queued = listOutbox(store.db).filter((e) => e.name !== 'customer.viewed').at(-1)!;
  expect([queued.name, queued.customerId, queued.args]).toEqual([
    'interaction.linkCustomer',
    known.id,
    { interactionId: call.interactionId, customerId: known.id, addPhone: true },
  ]);
  expect(kicks).toBe(2); // the provisional customer, then the link

  // A customer neither the store nor the (unreachable) center knows: still queued, no pop.
  const unknown = await pops.linkCaller({ interactionId: randomUUID(), customerId: randomUUID(), addPhone: false });
  expect(unknown).toBeNull();
  expect(listOutbox(store.db).at(-1)!.name).toBe('interaction.linkCustomer');
});

it('keeps the linked customer when the link comes before the "unknown caller" answer (no provisional profile is made)', async () => {
  store = tempStore();
  const hub = createEventHub();
  const updated: Array<EventPayload<'screenPopUpdated'>> = [];
  hub.on('screenPopUpdated', (e) => updated.push(e));
  const link = createCenterLink({ centerUrl: 'http://127.0.0.1:1', listeners: { connected() {}, disconnected() {}, connectFailed() {} } });
  const pops = createScreenPopService({ db: store.db, link, emit: hub.emit, logger: { info() {}, warn() {}, error() {} }, workingSetCap: 100, onLocalWrite() {}, views: createViewRecorder({ db: store.db, onLocalWrite() {} }) });
  const known = aCustomer({ displayName: '박서준', identities: [] });
  cacheScreenPop(store.db, { customer: known, openVocItems: [], history: [], source: 'center' });
  const call = { interactionId: randomUUID(), ani: '010-5555-0198', dnis: '1588-0000', queue: 'general', agent: 'agent1', offeredAt: '2026-11-25T01:00:00.000Z' };

  const offering = pops.callOffered(call); // the center's answer is still on its way
  const pop = await pops.linkCaller({ interactionId: call.interactionId, customerId: known.id, addPhone: false });
  await offering;
  expect(pop?.customer.id).toBe(known.id);
  expect(pops.currentCall()?.pop?.customer.id).toBe(known.id);
  expect(updated.map((u) => u.pop?.customer.id)).toEqual([known.id]);
  expect(listOutbox(store.db).map((e) => e.name)).toEqual(['interaction.linkCustomer', 'customer.viewed']); // the linked profile, shown from the cache
});
