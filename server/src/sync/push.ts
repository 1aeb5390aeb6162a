// sync:push: applies a client's mutations exactly once, in seq order (SYNC.md, "Exactly-once effect").
import { MIN_SCHEMA_VERSION, type PushRequest, type PushResponse, type RejectedMutation } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { isIntegrityViolation, type Db } from '../db/db';
import { changeTx, type ChangeTxResult } from './change-log';
import { CenterError, updateRequired } from './errors';
import { applyMutation, MutationRejected } from './mutations';

/**
 * One REPEATABLE READ transaction per push: each applied mutation's effect, the client's new
 * last_seq and any rejections commit together, so a lost ack just replays as duplicates.
 */
export async function pushMutations(db: Db, who: Principal, req: PushRequest): Promise<ChangeTxResult<PushResponse>> {
  if (req.schemaVersion < MIN_SCHEMA_VERSION) throw updateRequired(req.schemaVersion, MIN_SCHEMA_VERSION);
  const mutations = [...req.mutations].sort((a, b) => a.seq - b.seq);
  const result = await changeTx(db, who.tenantId, async (tx) => {
    const { q } = tx;
    const bound = await q.query<{ user_id: string; tenant_id: string; last_seq: string }>(
      'SELECT user_id, tenant_id, last_seq::text AS last_seq FROM sync_clients WHERE client_id = $1 FOR UPDATE',
      [req.clientId],
    );
    const client = bound[0];
    if (client && (client.user_id !== who.userId || client.tenant_id !== who.tenantId)) {
      throw new CenterError('forbidden', 'This sync client id belongs to another user. Sign in again on this desktop to get a client id of your own.');
    }
    if (!client) {
      await q.query('INSERT INTO sync_clients (client_id, tenant_id, user_id) VALUES ($1, $2, $3)', [req.clientId, who.tenantId, who.userId]);
    }
    let lastSeq = client ? Number(client.last_seq) : 0;
    const rejected: RejectedMutation[] = [];
    // A redelivery whose first ack was lost must be reported rejected again, or the desktop counts it as synced.
    const redelivered = mutations.filter((m) => m.seq <= lastSeq).map((m) => m.seq);
    if (redelivered.length > 0) {
      const earlier = await q.query<{ seq: string; mutation_id: string; reason: string }>(
        'SELECT seq::text AS seq, mutation_id, reason FROM rejected_mutations WHERE client_id = $1 AND seq = ANY($2::bigint[]) ORDER BY seq',
        [req.clientId, redelivered],
      );
      for (const r of earlier) rejected.push({ mutationId: r.mutation_id, seq: Number(r.seq), reason: r.reason });
    }
    for (const m of mutations) {
      if (m.seq <= lastSeq) continue; // already processed: a redelivery
      if (m.seq > lastSeq + 1) break; // a gap: wait for the missing one
      await q.query('SAVEPOINT mutation');
      try {
        await applyMutation(tx, who, m);
        await q.query('RELEASE SAVEPOINT mutation');
      } catch (err) {
        if (!(err instanceof MutationRejected) && !isIntegrityViolation(err)) throw err;
        await q.query('ROLLBACK TO SAVEPOINT mutation');
        const reason = err instanceof MutationRejected ? err.message : 'The center could not store this change as sent (it conflicts with existing data).';
        rejected.push({ mutationId: m.mutationId, seq: m.seq, reason });
        await q.query(
          `INSERT INTO rejected_mutations (client_id, seq, tenant_id, user_id, mutation_id, name, args, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) ON CONFLICT (client_id, seq) DO NOTHING`,
          [req.clientId, m.seq, who.tenantId, who.userId, m.mutationId, m.name, JSON.stringify(m.args ?? null), reason],
        );
      }
      lastSeq = m.seq;
    }
    await q.query('UPDATE sync_clients SET last_seq = $2, last_push_at = now() WHERE client_id = $1', [req.clientId, lastSeq]);
    return { lastSeq, rejected };
  });
  return { ...result, value: { lastSeq: result.value.lastSeq, rejected: result.value.rejected, version: result.version } };
}
