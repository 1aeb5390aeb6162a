// Looking a customer up by id (deep links, search results): the local store first; offline and
// unknown, null (the renderer says so) — never a provisional customer, never a write.
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { cacheScreenPop, listOutbox } from '../../db/index';
import { aCustomer, anInteraction, aNote, tempStore, type TempStore } from '../../db/test-fixtures';
import { createCenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createScreenPopService } from './screen-pop';
import { createViewRecorder } from '../audit/views';

describe('customer lookup by id', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  function service() {
    store = tempStore();
    // A real link that was never connected: the center cannot be asked.
    const link = createCenterLink({ centerUrl: 'http://127.0.0.1:1', listeners: { connected() {}, disconnected() {}, connectFailed() {} } });
    return createScreenPopService({ db: store.db, link, emit: createEventHub().emit, logger: { info() {}, warn() {}, error() {} }, workingSetCap: 100, onLocalWrite() {}, views: createViewRecorder({ db: store.db, onLocalWrite() {} }) });
  }

  it('answers from the local store with the profile and history', async () => {
    const pops = service();
    const customer = aCustomer();
    const interaction = anInteraction(customer.id);
    cacheScreenPop(store.db, {
      customer,
      openVocItems: [],
      history: [{ ...interaction, notes: [aNote(customer.id, { interactionId: interaction.id })], vocItems: [] }],
      source: 'center',
    });
    const pop = await pops.lookupCustomer(customer.id);
    expect(pop).toMatchObject({ source: 'local', customer: { id: customer.id }, history: [{ id: interaction.id }] });
  });

  it('answers null for an id nobody here knows while offline, and writes nothing', async () => {
    const pops = service();
    cacheScreenPop(store.db, { customer: aCustomer(), openVocItems: [], history: [], source: 'center' });
    expect(await pops.lookupCustomer(randomUUID())).toBeNull();
    expect(listOutbox(store.db)).toEqual([]);
  });
});
