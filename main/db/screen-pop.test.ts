import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertCustomer, upsertInteraction, upsertNoteFromCenter, upsertVocItem } from './cache';
import { findCustomerIdByIdentity, HISTORY_LIMIT, readScreenPop, SCREEN_POP_QUERIES } from './screen-pop';
import { aCustomer, aNote, anInteraction, aVocItem, tempStore, type TempStore } from './test-fixtures';

const at = (day: number, minute = 0) => new Date(Date.UTC(2026, 0, 1 + day, 9, minute)).toISOString();

describe('the local screen pop', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  it('finds the caller and assembles the last contacts newest first, each with its own notes (oldest first) and VOC items', () => {
    const c = aCustomer({ identities: [{ kind: 'phone', value: '+821055550000' }] });
    const other = aCustomer({ identities: [{ kind: 'phone', value: '+821055550001' }] });
    upsertCustomer(store.db, c, 1);
    upsertCustomer(store.db, other, 1);
    const contacts = Array.from({ length: HISTORY_LIMIT + 5 }, (_, k) => anInteraction(c.id, { startedAt: at(k) }));
    for (const i of contacts) upsertInteraction(store.db, i);
    upsertInteraction(store.db, anInteraction(other.id, { startedAt: at(500) }));
    const newest = contacts[contacts.length - 1]!;
    const later = aNote(c.id, { interactionId: newest.id, text: 'second', createdAt: at(60, 5), updatedAt: at(60, 5) });
    const earlier = aNote(c.id, { interactionId: newest.id, text: 'first', createdAt: at(60, 1), updatedAt: at(60, 1) });
    upsertNoteFromCenter(store.db, later);
    upsertNoteFromCenter(store.db, earlier);
    upsertNoteFromCenter(store.db, aNote(other.id, { text: 'not this caller' }));
    const open = aVocItem(c.id, { interactionId: newest.id, status: 'raised' });
    const closed = aVocItem(c.id, { interactionId: contacts[contacts.length - 2]!.id, status: 'closed' });
    upsertVocItem(store.db, open);
    upsertVocItem(store.db, closed);

    expect(findCustomerIdByIdentity(store.db, 'phone', '+821055550000')).toBe(c.id);
    expect(findCustomerIdByIdentity(store.db, 'phone', '+821099999999')).toBeNull();
    const pop = readScreenPop(store.db, c.id)!;
    expect(pop.customer).toEqual(c);
    expect(pop.source).toBe('local');
    expect(pop.history).toHaveLength(HISTORY_LIMIT);
    expect(pop.history.map((h) => h.id)).toEqual(contacts.slice(-HISTORY_LIMIT).reverse().map((i) => i.id));
    const [first, second, third] = pop.history;
    expect(first).toEqual({ ...newest, notes: [earlier, later], vocItems: [open] });
    expect(second!.vocItems).toEqual([closed]);
    expect(third).toEqual({ ...contacts[contacts.length - 3]!, notes: [], vocItems: [] });
    expect(pop.openVocItems).toEqual([open]);
    expect(readScreenPop(store.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('reads without writing anything', () => {
    const c = aCustomer();
    upsertCustomer(store.db, c, 1);
    upsertInteraction(store.db, anInteraction(c.id));
    const changes = () => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    for (let k = 0; k < 3; k++) {
      expect(readScreenPop(store.db, findCustomerIdByIdentity(store.db, 'phone', c.identities[0]!.value)!)).not.toBeNull();
    }
    expect(changes()).toBe(before);
  });

  it('searches indexes only: no table scans and no sort of the history', () => {
    for (const [name, sql] of Object.entries(SCREEN_POP_QUERIES)) {
      const args = name === 'FIND_BY_IDENTITY' ? ['phone', '+821000000000'] : ['00000000-0000-4000-8000-000000000000'];
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail);
      // `SCAN h` walks the 50 rows of the history subquery, already in order; every table is searched by index.
      expect(plan.filter((d) => /^SCAN /.test(d) && d !== 'SCAN h'), `${name}: ${plan.join(' | ')}`).toEqual([]);
      if (name === 'HISTORY') {
        expect(plan).toContain('SEARCH interactions USING INDEX interactions_customer (customer_id=?)');
        expect(plan).toContain('SEARCH n USING INDEX notes_interaction (interaction_id=?)');
        expect(plan.some((d) => d.includes('TEMP B-TREE'))).toBe(false);
      }
    }
  });
});
