// The outbox: local writes queued for the center in seq order, their acknowledgements and rejections.
import { SCHEMA_VERSION, type MutationName, type RejectedMutation } from '../../shared/protocol/index';
import type { Db } from './connection';
import { cached } from './statements';
import { takeNextSeq } from './sync-state';

export interface OutboxEntry {
  seq: number;
  mutationId: string;
  clientId: string;
  name: string;
  args: unknown;
  schemaVersion: number;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  customerId: string | null;
  ackedVersion: string | null;
}

interface Row {
  seq: number;
  mutation_id: string;
  client_id: string;
  name: string;
  args: string;
  schema_version: number;
  created_at: string;
  attempts: number;
  last_error: string | null;
  customer_id: string | null;
  acked_version: string | null;
}

const toEntry = (r: Row): OutboxEntry => ({
  seq: r.seq,
  mutationId: r.mutation_id,
  clientId: r.client_id,
  name: r.name,
  args: JSON.parse(r.args) as unknown,
  schemaVersion: r.schema_version,
  createdAt: r.created_at,
  attempts: r.attempts,
  lastError: r.last_error,
  customerId: r.customer_id,
  ackedVersion: r.acked_version,
});

/**
 * Queues one mutation. Must run inside the transaction that writes the local effect, so the two
 * commit together or not at all.
 */
export function enqueueMutation(
  db: Db,
  m: { mutationId: string; name: MutationName; args: unknown; customerId: string | null; createdAt: string },
): OutboxEntry {
  if (!db.inTransaction) throw new Error('enqueueMutation must run inside the write transaction of its local effect');
  const { clientId, seq } = takeNextSeq(db);
  cached(db,
    `INSERT INTO outbox (seq, mutation_id, client_id, name, args, schema_version, created_at, customer_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(seq, m.mutationId, clientId, m.name, JSON.stringify(m.args), SCHEMA_VERSION, m.createdAt, m.customerId);
  return {
    seq,
    mutationId: m.mutationId,
    clientId,
    name: m.name,
    args: m.args,
    schemaVersion: SCHEMA_VERSION,
    createdAt: m.createdAt,
    attempts: 0,
    lastError: null,
    customerId: m.customerId,
    ackedVersion: null,
  };
}

/** The next mutations to push, in seq order: those the center has not acknowledged yet. */
export function listUnacked(db: Db, limit: number): OutboxEntry[] {
  const rows = cached(db, 'SELECT * FROM outbox WHERE acked_version IS NULL ORDER BY seq LIMIT ?').all(limit) as Row[];
  return rows.map(toEntry);
}

/**
 * The next push batch: up to `limit` unacknowledged mutations in seq order whose arguments add up
 * to at most `maxBytes` (UTF-8), and always at least one, so a batch of long notes never outgrows
 * the center's message limit (which would drop the connection and send the same batch again).
 */
export function nextPushBatch(db: Db, limit: number, maxBytes: number): OutboxEntry[] {
  const rows = cached(db, 'SELECT * FROM outbox WHERE acked_version IS NULL ORDER BY seq LIMIT ?').all(limit) as Row[];
  let bytes = 0;
  let take = 0;
  for (const r of rows) {
    // The args column is the JSON that travels; the envelope adds ~200 bytes per mutation.
    bytes += Buffer.byteLength(r.args, 'utf8') + 200;
    if (take > 0 && bytes > maxBytes) break;
    take += 1;
  }
  return rows.slice(0, take).map(toEntry);
}

export function listOutbox(db: Db): OutboxEntry[] {
  return (cached(db, 'SELECT * FROM outbox ORDER BY seq').all() as Row[]).map(toEntry);
}

/** Local changes the center has not acknowledged yet (what the agent sees as "waiting to sync"). */
/** The agent's own changes the center has not acknowledged (the record of customers they viewed is not one of them). */
export function countPending(db: Db): number {
  return (cached(db, `SELECT COUNT(*) AS n FROM outbox WHERE acked_version IS NULL AND name <> 'customer.viewed'`).get() as { n: number }).n;
}

export function countOutbox(db: Db): number {
  return (cached(db, 'SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
}

/** Records a failed delivery attempt on the rows that were sent. */
export function recordAttempt(db: Db, seqs: readonly number[], error: string | null): void {
  const stmt = cached(db, 'UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?');
  db.transaction(() => {
    for (const seq of seqs) stmt.run(error, seq);
  })();
}

export interface PushOutcome {
  /** Mutations the center applied (or had applied before): now waiting for the pull to pass `version`. */
  acked: OutboxEntry[];
  /** Mutations the center refused for good: moved out of the outbox into rejected_mutations. */
  rejected: Array<OutboxEntry & { reason: string }>;
}

/**
 * Applies the center's push acknowledgement: everything up to `lastSeq` was processed; rejected
 * ones leave the outbox (they must never block the rest), the others wait for the pull.
 */
export function applyPushAck(
  db: Db,
  ack: { lastSeq: number; version: string; rejected: readonly RejectedMutation[] },
  rejectedAt: string,
): PushOutcome {
  return db.transaction((): PushOutcome => {
    const processed = (
      cached(db, 'SELECT * FROM outbox WHERE seq <= ? AND acked_version IS NULL ORDER BY seq').all(ack.lastSeq) as Row[]
    ).map(toEntry);
    const reasons = new Map(ack.rejected.map((r) => [r.mutationId, r.reason]));
    const outcome: PushOutcome = { acked: [], rejected: [] };
    const park = cached(db,
      `INSERT OR REPLACE INTO rejected_mutations (mutation_id, seq, name, args, reason, rejected_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const remove = cached(db, 'DELETE FROM outbox WHERE seq = ?');
    const markAcked = cached(db, 'UPDATE outbox SET acked_version = ?, last_error = NULL WHERE seq = ?');
    for (const entry of processed) {
      const reason = reasons.get(entry.mutationId);
      if (reason !== undefined) {
        park.run(entry.mutationId, entry.seq, entry.name, JSON.stringify(entry.args), reason, rejectedAt);
        remove.run(entry.seq);
        outcome.rejected.push({ ...entry, reason });
      } else {
        markAcked.run(ack.version, entry.seq);
        if (entry.name === 'note.save') markNoteSynced(db, entry.args);
        outcome.acked.push({ ...entry, ackedVersion: ack.version });
      }
    }
    return outcome;
  })();
}

/**
 * Removes acknowledged rows the pull has caught up with: acked at a version at or below `cursor`,
 * or acknowledged before a complete pull began (`ackedBeforeSeq`), which has therefore seen them.
 * Call inside the pull-apply transaction.
 */
export function pruneAcked(db: Db, cursor: string, ackedUpToSeq: number | null): number {
  // Versions are decimal bigint text; SQLite compares them as 64-bit integers. One statement, not one per row.
  return cached(
    db,
    `DELETE FROM outbox WHERE acked_version IS NOT NULL
       AND (CAST(acked_version AS INTEGER) <= CAST(? AS INTEGER) OR seq <= ?)`,
  ).run(BigInt(cursor).toString(), ackedUpToSeq ?? -1).changes;
}

/** The center holds this revision of the note now; SavedNote.synced reads it. */
function markNoteSynced(db: Db, args: unknown): void {
  const { id, revision } = (args ?? {}) as { id?: unknown; revision?: unknown };
  if (typeof id !== 'string' || typeof revision !== 'number') return;
  cached(db, 'UPDATE notes SET synced_revision = MAX(synced_revision, ?) WHERE id = ?').run(revision, id);
}

/** Highest seq already acknowledged (null if none is waiting for the pull). */
export function highestAckedSeq(db: Db): number | null {
  const row = cached(db, 'SELECT MAX(seq) AS seq FROM outbox WHERE acked_version IS NOT NULL').get() as {
    seq: number | null;
  };
  return row.seq;
}
