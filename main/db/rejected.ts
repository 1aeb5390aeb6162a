// Mutations the center refused for good: applyPushAck (outbox.ts) parks them in `rejected_mutations`
// so they never block the rest; they stay listed until the agent retries or discards each one.
import type { Db } from './connection';
import { cached } from './statements';

export interface RejectedEntry {
  mutationId: string;
  seq: number;
  name: string;
  reason: string;
  rejectedAt: string;
}

/** A refused mutation with what it carried: `args` as queued, null when it cannot be read any more. */
export interface RefusedMutation {
  mutationId: string;
  name: string;
  args: unknown;
  reason: string;
  rejectedAt: string;
}

export function listRejected(db: Db): RejectedEntry[] {
  return (
    cached(db, 'SELECT mutation_id, seq, name, reason, rejected_at FROM rejected_mutations ORDER BY seq').all() as Array<{
      mutation_id: string;
      seq: number;
      name: string;
      reason: string;
      rejected_at: string;
    }>
  ).map((r) => ({ mutationId: r.mutation_id, seq: r.seq, name: r.name, reason: r.reason, rejectedAt: r.rejected_at }));
}

const parseArgs = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
};

/** The refused mutation still in the list under this id, or null. */
export function readRejected(db: Db, mutationId: string): RefusedMutation | null {
  const row = cached(db, 'SELECT mutation_id, name, args, reason, rejected_at FROM rejected_mutations WHERE mutation_id = ?').get(mutationId) as
    | { mutation_id: string; name: string; args: string; reason: string; rejected_at: string }
    | undefined;
  if (!row) return null;
  return { mutationId: row.mutation_id, name: row.name, args: parseArgs(row.args), reason: row.reason, rejectedAt: row.rejected_at };
}

/** The refused mutation leaves the list (retried as a new one, or discarded). */
export function removeRejected(db: Db, mutationId: string): void {
  cached(db, 'DELETE FROM rejected_mutations WHERE mutation_id = ?').run(mutationId);
}

/** A VOC item whose `voc.create` the center refused never reached it: its local row goes too. */
export function removeRefusedVocItem(db: Db, vocItemId: string): void {
  cached(db, 'DELETE FROM voc_items WHERE id = ?').run(vocItemId);
}
