// The working-set cache: upserts and deletes of center-owned entities, merges, and wiping for a reset.
import type { Customer, Department, Interaction, Note, Queue, VocItem, VocTopic } from '../../shared/domain/entities';
import type { Db } from './connection';
import { cached } from './statements';

const UPSERT_CUSTOMER = `INSERT INTO customers (id, display_name, provisional, updated_at, data, touched_at, version)
     VALUES (@id, @name, @provisional, @updatedAt, @data, @touchedAt, @version)
     ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, provisional = excluded.provisional,
       updated_at = excluded.updated_at, data = excluded.data`;

/**
 * Stores a customer. `version`: the center's change-log version this profile was read at (a pulled
 * change's, a center answer's `asOf`); an older one than the store holds is refused (returns false),
 * since what the store holds already includes it. Without one (the agent's own writes) it always
 * applies and the stored version stays.
 */
export function upsertCustomer(db: Db, c: Customer, touchedAt: number = Date.now(), version?: string): boolean {
  const info = cached(db, version === undefined ? UPSERT_CUSTOMER : `${UPSERT_CUSTOMER}, version = excluded.version WHERE excluded.version >= customers.version`).run({
    id: c.id,
    name: c.displayName,
    provisional: c.provisional ? 1 : 0,
    updatedAt: c.updatedAt,
    data: JSON.stringify(c),
    touchedAt,
    version: version === undefined ? 0 : BigInt(version),
  });
  if (info.changes === 0) return false;
  cached(db, 'DELETE FROM identities WHERE customer_id = ?').run(c.id);
  const insert = cached(db, 'INSERT OR IGNORE INTO identities (customer_id, kind, value) VALUES (?, ?, ?)');
  for (const identity of c.identities) insert.run(c.id, identity.kind, identity.value);
  return true;
}

export function upsertInteraction(db: Db, i: Interaction): void {
  cached(db,
    `INSERT INTO interactions (id, customer_id, started_at, data) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, started_at = excluded.started_at, data = excluded.data`,
  ).run(i.id, i.customerId, i.startedAt, JSON.stringify(i));
}

/**
 * Stores a note as the center has it. A local revision newer than the center's is the agent's
 * unsynced work and wins; otherwise the center's revision replaces ours and counts as synced.
 */
export function upsertNoteFromCenter(db: Db, n: Note): void {
  const local = cached(
    db,
    `SELECT revision, synced_revision AS syncedRevision, customer_id AS customerId, interaction_id AS interactionId,
            author, text, created_at AS createdAt, updated_at AS updatedAt FROM notes WHERE id = ?`,
  ).get(n.id) as (Note & { syncedRevision: number }) | undefined;
  if (local && local.revision > n.revision) {
    if (local.syncedRevision < n.revision) cached(db, 'UPDATE notes SET synced_revision = MAX(synced_revision, ?) WHERE id = ?').run(n.revision, n.id);
    return;
  }
  if (local && local.text === n.text && local.customerId === n.customerId) {
    // Typically our own note coming back from the center: the searchable text is unchanged, so the
    // row is updated without touching its FTS entry (and not at all when nothing differs).
    const same =
      local.revision === n.revision &&
      local.syncedRevision === n.revision &&
      local.interactionId === n.interactionId &&
      local.author === n.author &&
      local.createdAt === n.createdAt &&
      local.updatedAt === n.updatedAt;
    if (!same) {
      cached(
        db,
        `UPDATE notes SET interaction_id = @interactionId, author = @author, revision = @revision, created_at = @createdAt,
           updated_at = @updatedAt, synced_revision = @revision WHERE id = @id`,
      ).run(n);
    }
    return;
  }
  cached(db,
    `INSERT INTO notes (id, customer_id, interaction_id, author, text, revision, created_at, updated_at, synced_revision)
     VALUES (@id, @customerId, @interactionId, @author, @text, @revision, @createdAt, @updatedAt, @revision)
     ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, interaction_id = excluded.interaction_id,
       author = excluded.author, text = excluded.text, revision = excluded.revision, created_at = excluded.created_at,
       updated_at = excluded.updated_at, synced_revision = excluded.synced_revision`,
  ).run(n);
}

export function upsertVocItem(db: Db, v: VocItem): void {
  cached(db,
    `INSERT INTO voc_items (id, customer_id, interaction_id, status, created_at, data) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, interaction_id = excluded.interaction_id,
       status = excluded.status, created_at = excluded.created_at, data = excluded.data`,
  ).run(v.id, v.customerId, v.interactionId, v.status, v.createdAt, JSON.stringify(v));
}

export function upsertQueue(db: Db, q: Queue): void {
  cached(db,
    `INSERT INTO queues (id, name, data) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data`,
  ).run(q.id, q.name, JSON.stringify(q));
}

export function upsertVocTopic(db: Db, t: VocTopic): void {
  cached(db,
    `INSERT INTO voc_topics (id, parent_id, name, active, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name, active = excluded.active, data = excluded.data`,
  ).run(t.id, t.parentId, t.name, t.active ? 1 : 0, JSON.stringify(t));
}

export function upsertDepartment(db: Db, d: Department): void {
  cached(db,
    `INSERT INTO departments (id, name, data) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data`,
  ).run(d.id, d.name, JSON.stringify(d));
}

/** A note the center deleted stays only if the agent has unsynced edits to it. */
const UNSYNCED_NOTE = 'revision > synced_revision';
/** A VOC item still waiting in the outbox is the agent's unsynced work. */
const UNSYNCED_VOC = `id IN (SELECT json_extract(args, '$.id') FROM outbox WHERE name = 'voc.create')`;

/** Applies a tombstone. */
export function deleteEntity(db: Db, entity: 'customer' | 'interaction' | 'note' | 'voc_item' | 'queue' | 'voc_topic' | 'department', id: string): void {
  switch (entity) {
    case 'customer':
      cached(db, 'DELETE FROM customers WHERE id = ?').run(id);
      return;
    case 'interaction':
      cached(db, 'DELETE FROM interactions WHERE id = ?').run(id);
      cached(db, 'DELETE FROM dispositions WHERE interaction_id = ?').run(id);
      return;
    case 'note':
      cached(db, `DELETE FROM notes WHERE id = ? AND NOT (${UNSYNCED_NOTE})`).run(id);
      return;
    case 'voc_item':
      cached(db, `DELETE FROM voc_items WHERE id = ? AND NOT (${UNSYNCED_VOC})`).run(id);
      return;
    case 'queue':
      cached(db, 'DELETE FROM queues WHERE id = ?').run(id);
      return;
    case 'voc_topic':
      cached(db, 'DELETE FROM voc_topics WHERE id = ?').run(id);
      return;
    case 'department':
      cached(db, 'DELETE FROM departments WHERE id = ?').run(id);
      return;
  }
}

/**
 * The center merged provisional customer `fromId` into `intoId`: re-point every local row to the
 * surviving customer (the outbox keeps its arguments; only its working-set link moves).
 */
export function mergeCustomer(db: Db, fromId: string, intoId: string): void {
  const from = cached(db, 'SELECT touched_at FROM customers WHERE id = ?').get(fromId) as { touched_at: number } | undefined;
  cached(db, 'UPDATE interactions SET customer_id = ? WHERE customer_id = ?').run(intoId, fromId);
  cached(db, 'UPDATE notes SET customer_id = ? WHERE customer_id = ?').run(intoId, fromId);
  cached(db, 'UPDATE voc_items SET customer_id = ? WHERE customer_id = ?').run(intoId, fromId);
  cached(db, 'UPDATE outbox SET customer_id = ? WHERE customer_id = ?').run(intoId, fromId);
  if (from) {
    cached(db, 'UPDATE customers SET touched_at = MAX(touched_at, ?) WHERE id = ?').run(from.touched_at, intoId);
  }
  cached(db, 'DELETE FROM customers WHERE id = ?').run(fromId);
}

/** Drops everything the center can send again, keeping the agent's unsynced notes and VOC items. */
export function clearCache(db: Db): void {
  db.exec(`
    DELETE FROM customers;
    DELETE FROM interactions;
    DELETE FROM dispositions;
    DELETE FROM queues;
    DELETE FROM voc_topics;
    DELETE FROM departments;
    DELETE FROM notes WHERE NOT (${UNSYNCED_NOTE});
    DELETE FROM voc_items WHERE NOT (${UNSYNCED_VOC});
  `);
}

/** Empties the replica entirely, for a different agent taking over this computer on an empty outbox. */
export function wipeReplica(db: Db): void {
  clearCache(db);
  db.exec('DELETE FROM notes; DELETE FROM voc_items; DELETE FROM rejected_mutations; DELETE FROM conflicts; DELETE FROM center_answers;');
}
