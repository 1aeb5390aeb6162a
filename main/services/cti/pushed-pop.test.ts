// The pop pushed with a call's offer, on a real SQLite store: a caller the store does not hold paints
// from the push (no lookup) and is stored; an older push never replaces what the store holds; a push
// that is not the call's caller is refused. The center is out of reach here (a real link never
// connected): any lookup the service tried would fail, and is counted.
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../../shared/api/index';
import type { Customer, ScreenPop } from '../../../shared/domain/entities';
import type { CallOffered } from '../../../shared/protocol/index';
import { applyPullPage, cacheScreenPop, readScreenPop } from '../../db/index';
import { aCustomer, anInteraction, tempStore, type TempStore } from '../../db/test-fixtures';
import { createCenterLink, type CenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createScreenPopService } from './screen-pop';
import { createViewRecorder } from '../audit/views';

const callTo = (ani: string): CallOffered => ({
  interactionId: randomUUID(),
  ani,
  dnis: '1588-0000',
  queue: 'general',
  agent: 'agent1',
  offeredAt: '2026-11-25T01:00:00.000Z',
});

/** The center's pop of `customer` for `call`, read at `asOf`: the call heads the history. */
function centerPop(customer: Customer, call: CallOffered, asOf: string): ScreenPop {
  return { customer, openVocItems: [], history: [{ ...anInteraction(customer.id, { id: call.interactionId }), notes: [], vocItems: [] }], source: 'center', asOf };
}

describe('the pop pushed with an offer', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  function service() {
    store = tempStore();
    const hub = createEventHub();
    const offered: Array<EventPayload<'callOffered'>> = [];
    const updated: Array<EventPayload<'screenPopUpdated'>> = [];
    hub.on('callOffered', (e) => offered.push(e));
    hub.on('screenPopUpdated', (e) => updated.push(e));
    const real = createCenterLink({ centerUrl: 'http://127.0.0.1:1', listeners: { connected() {}, disconnected() {}, connectFailed() {} } });
    const lookups: unknown[] = [];
    const link: CenterLink = { ...real, request: (event, payload, answer, timeoutMs) => (lookups.push(payload), real.request(event, payload, answer, timeoutMs)) };
    const pops = createScreenPopService({
      db: store.db,
      link,
      emit: hub.emit,
      logger: { info() {}, warn() {}, error() {} },
      workingSetCap: 100,
      onLocalWrite() {},
      views: createViewRecorder({ db: store.db, onLocalWrite() {} }),
    });
    return { pops, offered, updated, lookups };
  }

  /** The store as a pull leaves it: the customer at change-log version `version`, the cursor at `cursor`. */
  function pulled(customer: Customer, version: string, cursor = version) {
    applyPullPage(store.db, { changes: [{ version, entity: 'customer', id: customer.id, op: 'upsert', data: customer }], cursor, reset: false });
  }

  it('paints a caller the store does not hold from the push, stores it, and asks the center nothing', async () => {
    const s = service();
    const customer = aCustomer({ identities: [{ kind: 'phone', value: '+821077770001' }] });
    const call = callTo('010-7777-0001');
    await s.pops.callOffered({ ...call, caller: { asOf: '12', pop: centerPop(customer, call, '12') } });
    expect(s.offered).toHaveLength(1);
    expect(s.offered[0]!.pop).toMatchObject({ source: 'center', asOf: '12', customer: { id: customer.id } });
    expect(s.offered[0]!.call).toEqual(call); // the renderer gets the call without the pop inside it
    expect(s.updated).toEqual([]);
    expect(s.lookups).toEqual([]);
    // Stored: the same caller pops from the store offline.
    expect(readScreenPop(store.db, customer.id)).toMatchObject({ source: 'local', customer: { id: customer.id }, history: [{ id: call.interactionId }] });
    expect(await s.pops.lookupCaller('010-7777-0001')).toMatchObject({ source: 'local', customer: { id: customer.id } });
  });

  it('gives a caller the center does not know a provisional customer at once, without a lookup', async () => {
    const s = service();
    const call = callTo('010-7777-0002');
    await s.pops.callOffered({ ...call, caller: { asOf: '12', pop: null } });
    expect(s.offered[0]!.pop).toBeNull();
    expect(s.updated[0]!.pop).toMatchObject({ source: 'local', customer: { provisional: true } });
    expect(s.lookups).toEqual([]);
  });

  it('shows the store and keeps it when the push is older than what the store holds', async () => {
    const s = service();
    const id = randomUUID();
    const phone = [{ kind: 'phone' as const, value: '+821077770003' }];
    pulled(aCustomer({ id, displayName: '새 이름', identities: phone }), '20');
    const call = callTo('010-7777-0003');
    await s.pops.callOffered({ ...call, caller: { asOf: '10', pop: centerPop(aCustomer({ id, displayName: '옛 이름', identities: phone }), call, '10') } });
    expect(s.offered[0]!.pop).toMatchObject({ source: 'local', customer: { displayName: '새 이름' } });
    expect(s.updated).toEqual([]);
    expect(readScreenPop(store.db, id)!.customer.displayName).toBe('새 이름');
    expect(s.pops.currentCall()!.pop!.customer.displayName).toBe('새 이름');
    expect(s.lookups).toEqual([]);
  });

  it('replaces a push it painted by the store when the store turns out newer (the store knew the customer by another number)', async () => {
    const s = service();
    const id = randomUUID();
    pulled(aCustomer({ id, displayName: '새 이름', identities: [{ kind: 'phone', value: '+821077770004' }] }), '30');
    const call = callTo('010-7777-0005'); // a number the store does not have for them yet
    const old = aCustomer({ id, displayName: '옛 이름', identities: [{ kind: 'phone', value: '+821077770005' }] });
    await s.pops.callOffered({ ...call, caller: { asOf: '25', pop: centerPop(old, call, '25') } });
    expect(s.offered[0]!.pop!.customer.displayName).toBe('옛 이름'); // painted from the push at once
    expect(s.updated.map((u) => u.pop?.customer.displayName)).toEqual(['새 이름']);
    expect(readScreenPop(store.db, id)!.customer.displayName).toBe('새 이름');
  });

  it('does not store a push the pull has already passed (cursor at or beyond its version)', async () => {
    const s = service();
    const id = randomUUID();
    const phone = [{ kind: 'phone' as const, value: '+821077770006' }];
    pulled(aCustomer({ id, displayName: '당긴 이름', identities: phone }), '5', '40');
    const call = callTo('010-7777-0006');
    await s.pops.callOffered({ ...call, caller: { asOf: '40', pop: centerPop(aCustomer({ id, displayName: '밀린 이름', identities: phone }), call, '40') } });
    expect(s.updated).toEqual([]);
    expect(readScreenPop(store.db, id)!.customer.displayName).toBe('당긴 이름');
  });

  it('replaces the local pop by a newer push, and a pull older than the push does not take it back', async () => {
    const s = service();
    const id = randomUUID();
    const phone = [{ kind: 'phone' as const, value: '+821077770007' }];
    pulled(aCustomer({ id, displayName: '옛 이름', identities: phone }), '5');
    const call = callTo('010-7777-0007');
    await s.pops.callOffered({ ...call, caller: { asOf: '50', pop: centerPop(aCustomer({ id, displayName: '새 이름', identities: phone }), call, '50') } });
    expect(s.offered[0]!.pop).toMatchObject({ source: 'local', customer: { displayName: '옛 이름' } });
    expect(s.updated.map((u) => [u.interactionId, u.pop?.customer.displayName, u.pop?.asOf])).toEqual([[call.interactionId, '새 이름', '50']]);
    // A pull page from before the push (version 45) arrives late: the store keeps the push.
    pulled(aCustomer({ id, displayName: '중간 이름', identities: phone }), '45');
    expect(readScreenPop(store.db, id)!.customer.displayName).toBe('새 이름');
    // A later change (version 60) applies as always.
    pulled(aCustomer({ id, displayName: '최신 이름', identities: phone }), '60');
    expect(readScreenPop(store.db, id)!.customer.displayName).toBe('최신 이름');
  });

  it("refuses a push that is not the call's caller: nothing stored or shown, the center is asked instead", async () => {
    const s = service();
    const stranger = aCustomer({ displayName: '다른 사람', identities: [{ kind: 'phone', value: '+821077770008' }] });
    const call = callTo('010-7777-0008');
    const otherCall = callTo('010-7777-0008');
    // A pop whose history does not hold this call (say, another call's or another tenant's customer).
    await s.pops.callOffered({ ...call, caller: { asOf: '70', pop: centerPop(stranger, otherCall, '70') } });
    expect(s.offered[0]!.pop).toBeNull();
    expect(readScreenPop(store.db, stranger.id)).toBeNull();
    expect(s.lookups).toEqual([{ by: 'phone', value: '+821077770008', reason: 'screen_pop' }]);
    // Offline, so the agent gets a provisional customer, never the refused one.
    expect(s.updated.map((u) => u.pop?.customer.provisional)).toEqual([true]);
  });

  it('never shows an older reading of the customer on the line after a newer one', async () => {
    const s = service();
    const customer = aCustomer({ identities: [{ kind: 'phone', value: '+821077770009' }] });
    const call = callTo('010-7777-0009');
    await s.pops.callOffered({ ...call, caller: { asOf: '90', pop: centerPop(customer, call, '90') } });
    // An answer read before the push (a background refresh that was slow) must not replace it.
    cacheScreenPop(store.db, centerPop({ ...customer, displayName: '늦은 답' }, call, '80'));
    await s.pops.linkCaller({ interactionId: call.interactionId, customerId: customer.id, addPhone: false });
    expect(s.pops.currentCall()!.pop!.customer.displayName).toBe(customer.displayName);
    expect(readScreenPop(store.db, customer.id)!.customer.displayName).toBe(customer.displayName);
  });
});
