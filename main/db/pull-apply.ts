// Applies one page of the center's changes AND its new cursor in one SQLite transaction (SYNC.md):
// advancing the cursor alone would lose changes, applying without it would re-apply them.
import { CustomerMerge, entityData, type Change } from '../../shared/protocol/index';
import type { Customer, Department, Interaction, Note, Queue, VocItem, VocTopic } from '../../shared/domain/entities';
import type { Db } from './connection';
import { clearCache, deleteEntity, mergeCustomer, upsertCustomer, upsertInteraction, upsertNoteFromCenter, upsertDepartment, upsertQueue, upsertVocItem, upsertVocTopic } from './cache';
import { pruneAcked } from './outbox';
import { setCursor } from './sync-state';

export interface PullPage {
  changes: readonly Change[];
  cursor: string;
  /** The center says our cursor was too old: the page starts a fresh snapshot. */
  reset: boolean;
}

export interface PullApplyResult {
  applied: number;
  /** Changes that failed their schema: logged by entity and id, never applied. */
  skipped: Array<{ entity: string; id: string }>;
  /** Outbox rows removed because this pull passed their acknowledged version. */
  pruned: number;
  /** VOC items this page brought, as they now stand (the desk and the follow-ups hear of them). */
  vocItems: Array<Pick<VocItem, 'id' | 'number' | 'status' | 'departmentId' | 'ownerUserId'>>;
}

type ParsedChange =
  | { entity: 'customer'; op: 'upsert'; data: Customer }
  | { entity: 'interaction'; op: 'upsert'; data: Interaction }
  | { entity: 'note'; op: 'upsert'; data: Note }
  | { entity: 'voc_item'; op: 'upsert'; data: VocItem }
  | { entity: 'queue'; op: 'upsert'; data: Queue }
  | { entity: 'voc_topic'; op: 'upsert'; data: VocTopic }
  | { entity: 'department'; op: 'upsert'; data: Department }
  | { entity: 'customer_merge'; op: 'upsert'; data: { fromId: string; intoId: string } }
  | { entity: Exclude<Change['entity'], 'customer_merge'>; op: 'delete'; id: string };

function parseChange(c: Change): ParsedChange | null {
  if (c.op === 'delete') return c.entity === 'customer_merge' ? null : { entity: c.entity, op: 'delete', id: c.id };
  if (c.entity === 'customer_merge') {
    const r = CustomerMerge.safeParse(c.data);
    return r.success ? { entity: 'customer_merge', op: 'upsert', data: r.data } : null;
  }
  const r = entityData[c.entity].safeParse(c.data);
  // The discriminant pairs each entity with its own schema; TypeScript cannot see through the lookup.
  return r.success ? ({ entity: c.entity, op: 'upsert', data: r.data } as ParsedChange) : null;
}

function apply(db: Db, c: ParsedChange, version: string): void {
  if (c.op === 'delete') return deleteEntity(db, c.entity, c.id);
  switch (c.entity) {
    case 'customer':
      // A pop read at a later version (pushed with an offer, or a lookup's) may be stored already.
      upsertCustomer(db, c.data, Date.now(), version);
      return;
    case 'interaction':
      return upsertInteraction(db, c.data);
    case 'note':
      return upsertNoteFromCenter(db, c.data);
    case 'voc_item':
      return upsertVocItem(db, c.data);
    case 'queue':
      return upsertQueue(db, c.data);
    case 'voc_topic':
      return upsertVocTopic(db, c.data);
    case 'department':
      return upsertDepartment(db, c.data);
    case 'customer_merge':
      return mergeCustomer(db, c.data.fromId, c.data.intoId);
  }
}

/**
 * Applies a page and stores `page.cursor` atomically. `ackedUpToSeq`: on the last page of a pull
 * that began after these outbox rows were acknowledged, they have been seen and may go.
 */
export function applyPullPage(db: Db, page: PullPage, opts: { ackedUpToSeq: number | null } = { ackedUpToSeq: null }): PullApplyResult {
  const parsed: Array<ParsedChange & { version: string }> = [];
  const skipped: PullApplyResult['skipped'] = [];
  for (const change of page.changes) {
    const p = parseChange(change);
    if (p) parsed.push({ ...p, version: change.version });
    else skipped.push({ entity: change.entity, id: change.id });
  }
  return withRelaxedSync(db, () =>
    db.transaction((): PullApplyResult => {
      if (page.reset) clearCache(db);
      for (const c of parsed) apply(db, c, c.version);
      setCursor(db, page.cursor);
      const pruned = pruneAcked(db, page.cursor, opts.ackedUpToSeq);
      const vocItems = parsed.flatMap((c) =>
        c.entity === 'voc_item' && c.op === 'upsert' ? [{ id: c.data.id, number: c.data.number, status: c.data.status, departmentId: c.data.departmentId, ownerUserId: c.data.ownerUserId }] : [],
      );
      return { applied: parsed.length, skipped, pruned, vocItems };
    })(),
  );
}

/**
 * Runs `fn` with `synchronous = NORMAL`, then restores the connection's setting (FULL, for the agent's
 * own writes). In WAL mode a NORMAL commit is atomic and survives a crash of the app; only a power cut
 * or OS crash can roll back the last such commits, and for a pull page that is harmless: the page and
 * its cursor roll back together and are pulled again (an outbox row it pruned comes back and is
 * re-pushed, which the center recognises by its seq). The next FULL commit syncs the WAL, these frames
 * included. Saves one fsync per page: a bootstrap is hundreds of pages.
 */
export function withRelaxedSync<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  const before = db.pragma('synchronous', { simple: true }) as number;
  if (before <= 1) return fn();
  db.pragma('synchronous = NORMAL');
  try {
    return fn();
  } finally {
    db.pragma(`synchronous = ${before}`);
  }
}
