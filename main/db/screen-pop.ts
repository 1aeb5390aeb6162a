// Reading a screen pop out of the local cache (indexed by identity) and caching the center's answer.
import { Customer, Interaction, Note, VocItem, isVocOpen, type IdentityKind, type ScreenPop } from '../../shared/domain/entities';
import type { Db } from './connection';
import { upsertCustomer, upsertInteraction, upsertNoteFromCenter, upsertVocItem } from './cache';
import { touchCustomer } from './working-set';

const HISTORY_LIMIT = 50;

/** The cached customer holding this identity (phone in E.164, email lower-case), most recently used first. */
export function findCustomerIdByIdentity(db: Db, kind: IdentityKind, value: string): string | null {
  const row = db
    .prepare(
      `SELECT c.id FROM identities i JOIN customers c ON c.id = i.customer_id
       WHERE i.kind = ? AND i.value = ? ORDER BY c.provisional ASC, c.touched_at DESC LIMIT 1`,
    )
    .get(kind, value) as { id: string } | undefined;
  return row?.id ?? null;
}

function parseRows<T>(schema: { parse(v: unknown): T }, rows: Array<{ data: string }>): T[] {
  return rows.map((r) => schema.parse(JSON.parse(r.data)));
}

/** Assembles the pop from the cache: profile, open VOC items, the last 50 contacts with their notes and VOC items. */
export function readScreenPop(db: Db, customerId: string): ScreenPop | null {
  const row = db.prepare('SELECT data FROM customers WHERE id = ?').get(customerId) as { data: string } | undefined;
  if (!row) return null;
  const customer = Customer.parse(JSON.parse(row.data));
  const vocItems = parseRows(VocItem, db.prepare('SELECT data FROM voc_items WHERE customer_id = ? ORDER BY created_at DESC').all(customerId) as Array<{ data: string }>);
  const interactions = parseRows(
    Interaction,
    db.prepare('SELECT data FROM interactions WHERE customer_id = ? ORDER BY started_at DESC LIMIT ?').all(customerId, HISTORY_LIMIT) as Array<{ data: string }>,
  );
  const notesOf = db.prepare(
    `SELECT id, customer_id AS customerId, interaction_id AS interactionId, author, text, revision,
            created_at AS createdAt, updated_at AS updatedAt
     FROM notes WHERE interaction_id = ? ORDER BY created_at`,
  );
  const history = interactions.map((i) => ({
    ...i,
    notes: (notesOf.all(i.id) as unknown[]).map((n) => Note.parse(n)),
    vocItems: vocItems.filter((v) => v.interactionId === i.id),
  }));
  return {
    customer,
    openVocItems: vocItems.filter((v) => isVocOpen(v.status)),
    history,
    source: 'local',
  };
}

/** Caches a pop the center sent (customer, history, notes, VOC items) in one transaction. */
export function cacheScreenPop(db: Db, pop: ScreenPop, now: number = Date.now()): void {
  db.transaction(() => {
    upsertCustomer(db, pop.customer, now);
    touchCustomer(db, pop.customer.id, now);
    for (const v of pop.openVocItems) upsertVocItem(db, v);
    for (const item of pop.history) {
      const { notes, vocItems, ...interaction } = item;
      upsertInteraction(db, interaction);
      for (const n of notes) upsertNoteFromCenter(db, n);
      for (const v of vocItems) upsertVocItem(db, v);
    }
  })();
}
