// Steps of the VOC workflow taken on this desktop (`voc.act`, SYNC.md: a command the center's state
// machine validates): queued in the outbox like every local write, and read back so the desk can show
// each item as it will be once the step reaches the center ("waiting to sync"). A step the center
// refuses leaves the outbox for the rejected list, and with it the item's expected look.
import { VocActArgs } from '../../shared/protocol/index';
import type { Db } from './connection';
import { enqueueMutation } from './outbox';
import { cached } from './statements';

/** Queues one step; `customerId` (when known) keeps the item's customer in the working set until it is synced. */
export function queueVocAct(db: Db, args: VocActArgs, ctx: { mutationId: string; now: string; customerId: string | null }): void {
  db.transaction(() => {
    enqueueMutation(db, { mutationId: ctx.mutationId, name: 'voc.act', args, customerId: ctx.customerId, createdAt: ctx.now });
  })();
}

export interface PendingVocAct {
  mutationId: string;
  seq: number;
  args: VocActArgs;
  /** The center has applied it; only the pull that brings its effect is still to come. */
  acked: boolean;
  createdAt: string;
}

/** Steps still in the outbox, in the order they were taken. */
export function pendingVocActs(db: Db): PendingVocAct[] {
  const rows = cached(db, "SELECT mutation_id, seq, args, acked_version, created_at FROM outbox WHERE name = 'voc.act' ORDER BY seq").all() as Array<{
    mutation_id: string;
    seq: number;
    args: string;
    acked_version: string | null;
    created_at: string;
  }>;
  const acts: PendingVocAct[] = [];
  for (const r of rows) {
    let raw: unknown;
    try {
      raw = JSON.parse(r.args);
    } catch {
      continue;
    }
    const args = VocActArgs.safeParse(raw);
    if (args.success) acts.push({ mutationId: r.mutation_id, seq: r.seq, args: args.data, acked: r.acked_version !== null, createdAt: r.created_at });
  }
  return acts;
}

/** The customer of a cached VOC item, or null when this desktop does not hold it. */
export function cachedVocCustomer(db: Db, id: string): string | null {
  return (cached(db, 'SELECT customer_id FROM voc_items WHERE id = ?', 'pluck').get(id) as string | undefined) ?? null;
}
