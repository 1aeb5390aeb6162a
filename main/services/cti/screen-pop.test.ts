import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../../shared/api/index';
import { cacheScreenPop, listOutbox } from '../../db/index';
import { aCustomer, anInteraction, aNote, tempStore, type TempStore } from '../../db/test-fixtures';
import { createCenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createScreenPopService } from './screen-pop';
import { createViewRecorder } from '../audit/views';

const call = (ani: string) => ({
  interactionId: randomUUID(),
  ani,
  dnis: '1588-0000',
  queue: 'general',
  agent: 'agent1',
  offeredAt: '2026-11-25T01:00:00.000Z',
});

describe('screen pop with the center out of reach', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  function service() {
    store = tempStore();
    const hub = createEventHub();
    const offered: Array<EventPayload<'callOffered'>> = [];
    const updated: Array<EventPayload<'screenPopUpdated'>> = [];
    hub.on('callOffered', (e) => offered.push(e));
    hub.on('screenPopUpdated', (e) => updated.push(e));
    // A real link that was never connected: every request fails at once as offline.
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
    return { hub, pops, offered, updated, kicks: () => kicks };
  }

  it('pops a cached caller at once from the local cache, whatever format the ANI comes in', async () => {
    const s = service();
    const customer = aCustomer();
    const interaction = anInteraction(customer.id);
    cacheScreenPop(store.db, {
      customer,
      openVocItems: [],
      history: [{ ...interaction, notes: [aNote(customer.id, { interactionId: interaction.id })], vocItems: [] }],
      source: 'center',
    });
    const offered = call('010-1234-5678');
    await s.pops.callOffered(offered);
    expect(s.offered).toHaveLength(1);
    expect(s.offered[0]!.pop).toMatchObject({ source: 'local', customer: { id: customer.id }, history: [{ id: interaction.id }] });
    expect(s.updated).toEqual([]); // the center could not be asked: the local pop stands
    expect(s.pops.currentCall()).toEqual({ call: offered, pop: s.offered[0]!.pop });
  });

  it('hands the pop to the screen before it records the view (that write is not what the agent waits for)', async () => {
    const s = service();
    const customer = aCustomer();
    cacheScreenPop(store.db, { customer, openVocItems: [], history: [], source: 'center' });
    const queuedWhenHanded: string[][] = [];
    s.hub.on('callOffered', () => queuedWhenHanded.push(listOutbox(store.db).map((e) => e.name)));
    await s.pops.callOffered(call('010-1234-5678'));
    expect(queuedWhenHanded).toEqual([[]]);
    expect(listOutbox(store.db).map((e) => [e.name, e.args])).toEqual([['customer.viewed', { customerIds: [customer.id], how: 'popped', at: expect.any(String) }]]);
  });

  it('gives an unknown caller a provisional customer queued for the center', async () => {
    const s = service();
    const offered = call('+82 10-5555-0101');
    await s.pops.callOffered(offered);
    expect(s.offered[0]!.pop).toBeNull();
    const pop = s.updated[0]!.pop!;
    expect(pop.customer).toMatchObject({ provisional: true, displayName: '010-5555-0101', identities: [{ kind: 'phone', value: '+821055550101' }] });
    expect(listOutbox(store.db).map((e) => [e.name, e.customerId])).toEqual([['customer.createProvisional', pop.customer.id]]);
    expect(s.kicks()).toBe(1);
    // The same number calls again: the provisional customer pops from the cache, no second one is made;
    // that it was shown from the cache is queued for the center's audit trail.
    await s.pops.callOffered(call('01055550101'));
    expect(s.offered[1]!.pop?.customer.id).toBe(pop.customer.id);
    expect(listOutbox(store.db).map((e) => [e.name, e.args])).toEqual([
      ['customer.createProvisional', expect.anything()],
      ['customer.viewed', { customerIds: [pop.customer.id], how: 'popped', at: expect.any(String) }],
    ]);
  });

  it('keeps the pop when the center offers the same call again (this desktop reconnected mid-call)', async () => {
    const s = service();
    const offered = call('+82 10-5555-0102');
    await s.pops.callOffered(offered);
    const before = s.pops.currentCall();
    await s.pops.callOffered({ ...offered });
    expect(s.offered).toHaveLength(1);
    expect(s.updated).toHaveLength(1);
    expect(s.pops.currentCall()).toBe(before);
    expect(listOutbox(store.db).filter((e) => e.name === 'customer.createProvisional')).toHaveLength(1); // one provisional customer, not two
  });
});
