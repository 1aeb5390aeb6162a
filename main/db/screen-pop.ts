// Reading a screen pop out of the local cache (indexed by identity) and caching the center's answer.
// The read path is three cached statements and no writes: profile, VOC items, and the last 50
// contacts with their notes gathered inside SQLite (one statement, not one query per contact).
// Rows are trusted as stored: every one was validated against its schema on the way in.
import { isVocOpen } from '../../shared/domain/voc';
import { type Customer, type HistoryItem, type IdentityKind, type Interaction, type Note, type ScreenPop, type VocItem } from '../../shared/domain/entities';
import type { Db } from './connection';
import { upsertCustomer, upsertInteraction, upsertNoteFromCenter, upsertVocItem } from './cache';
import { cached } from './statements';
import { touchCustomer } from './working-set';
import { withRelaxedSync } from './pull-apply';
import { readSyncState } from './sync-state';

export const HISTORY_LIMIT = 50;

const FIND_BY_IDENTITY = `SELECT c.id FROM identities i JOIN customers c ON c.id = i.customer_id
  WHERE i.kind = ? AND i.value = ? ORDER BY c.provisional ASC, c.touched_at DESC LIMIT 1`;
const CUSTOMER = 'SELECT data FROM customers WHERE id = ?';
const HAS_CUSTOMER = 'SELECT 1 FROM customers WHERE id = ?';
const VOC_ITEMS = 'SELECT data FROM voc_items WHERE customer_id = ? ORDER BY created_at DESC';
/** The last contacts, each with its notes as a JSON array (json_group_array over notes_interaction; sorted in JS). */
const HISTORY = `
  SELECT h.data,
    (SELECT json_group_array(json_object('id', n.id, 'customerId', n.customer_id, 'interactionId', n.interaction_id,
              'author', n.author, 'text', n.text, 'revision', n.revision, 'createdAt', n.created_at, 'updatedAt', n.updated_at))
       FROM notes n WHERE n.interaction_id = h.id) AS notes
  FROM (SELECT id, started_at, data FROM interactions WHERE customer_id = ? ORDER BY started_at DESC LIMIT ${HISTORY_LIMIT}) h
  ORDER BY h.started_at DESC`;

/** The SQL of the read path, for EXPLAIN QUERY PLAN checks. */
export const SCREEN_POP_QUERIES = { FIND_BY_IDENTITY, CUSTOMER, VOC_ITEMS, HISTORY } as const;

/** The cached customer holding this identity (phone in E.164, email lower-case), most recently used first. */
export function findCustomerIdByIdentity(db: Db, kind: IdentityKind, value: string): string | null {
  const id = cached(db, FIND_BY_IDENTITY, 'pluck').get(kind, value) as string | undefined;
  return id ?? null;
}

/** Assembles the pop from the cache: profile, open VOC items, the last 50 contacts with their notes and VOC items. */
export function readScreenPop(db: Db, customerId: string): ScreenPop | null {
  const data = cached(db, CUSTOMER, 'pluck').get(customerId) as string | undefined;
  if (data === undefined) return null;
  const customer = JSON.parse(data) as Customer;
  const vocItems = (cached(db, VOC_ITEMS, 'pluck').all(customerId) as string[]).map((v) => JSON.parse(v) as VocItem);
  const vocByInteraction = new Map<string, VocItem[]>();
  for (const v of vocItems) {
    if (v.interactionId === null) continue;
    const list = vocByInteraction.get(v.interactionId);
    if (list) list.push(v);
    else vocByInteraction.set(v.interactionId, [v]);
  }
  const rows = cached(db, HISTORY, 'raw').all(customerId) as Array<[string, string]>;
  const history = rows.map(([interaction, notes]): HistoryItem => {
    const i = JSON.parse(interaction) as Interaction;
    const list = JSON.parse(notes) as Note[];
    // Oldest first; sorted here rather than by a sorter per contact in SQL (most contacts have 0 or 1 note).
    if (list.length > 1) list.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    return { ...i, notes: list, vocItems: vocByInteraction.get(i.id) ?? [] };
  });
  return {
    customer,
    openVocItems: vocItems.filter((v) => isVocOpen(v.status)),
    history,
    source: 'local',
  };
}

/**
 * Caches a pop the center sent (customer, history, notes, VOC items) in one transaction, unless the
 * store holds the customer at a newer version than the pop's `asOf` (then nothing is written and it
 * returns false: what the store has is the newer answer). `offered`: a pop pushed with a call's offer;
 * the offer granted the customer before the pop was read, so a store whose pull cursor has reached the
 * pop's `asOf` has pulled every change the pop holds, and a customer it holds is as new as the pop.
 * Written with `synchronous = NORMAL`, like a pull page: the center can send all of it again.
 */
export function cacheScreenPop(db: Db, pop: ScreenPop, now: number = Date.now(), opts: { offered?: boolean } = {}): boolean {
  return withRelaxedSync(db, () =>
    db.transaction((): boolean => {
      const asOf = pop.asOf;
      const cursor = opts.offered && asOf !== undefined ? readSyncState(db).cursor : null;
      if (asOf !== undefined && cursor && BigInt(cursor) >= BigInt(asOf) && cached(db, HAS_CUSTOMER, 'pluck').get(pop.customer.id) !== undefined) {
        touchCustomer(db, pop.customer.id, now);
        return false;
      }
      if (!upsertCustomer(db, pop.customer, now, pop.asOf)) {
        touchCustomer(db, pop.customer.id, now);
        return false;
      }
      touchCustomer(db, pop.customer.id, now);
      for (const v of pop.openVocItems) upsertVocItem(db, v);
      for (const item of pop.history) {
        const { notes, vocItems, ...interaction } = item;
        upsertInteraction(db, interaction);
        for (const n of notes) upsertNoteFromCenter(db, n);
        for (const v of vocItems) upsertVocItem(db, v);
      }
      return true;
    })(),
  );
}

/** VOC items by id as this desktop has them (the center's copy once synced: number, step, department). */
export function readVocItems(db: Db, ids: readonly string[]): VocItem[] {
  if (ids.length === 0) return [];
  const rows = db.prepare(`SELECT data FROM voc_items WHERE id IN (${ids.map(() => '?').join(', ')})`).pluck().all(...ids) as string[];
  return rows.map((v) => JSON.parse(v) as VocItem);
}
