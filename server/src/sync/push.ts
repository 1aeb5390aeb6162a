// sync:push: applies a client's mutations exactly once, in seq order (SYNC.md, "Exactly-once effect").
import { cleanText, cleanTexts } from '../../../shared/domain';
import { MIN_SCHEMA_VERSION, type Mutation, type PushRequest, type PushResponse, type RejectedMutation } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { dataErrorWhat, isDataError, isIntegrityViolation, type Db } from '../db/db';
import { loadVocItems } from '../db/records';
import { applyRun, planRun, type RaisedVoc, type RunItem } from './batch';
import { changeTx, PREPARED, type ChangeInput, type ChangeTx, type ChangeTxResult } from './change-log';
import { CenterError } from '../base/errors';
import { updateRequired } from './schema-version';
import { applyMutation, BATCHABLE, MutationRejected, parseMutation, type ExtraHandlers, type ParsedMutation } from './mutations';

/**
 * How a push applies its mutations. 'batch': runs of note.save / voc.create are applied set-based
 * (batch.ts) and the other kinds one by one (mutations.ts), in seq order. 'single': every mutation on
 * its own under a savepoint, notes and VOC items as runs of one — the fallback for a push whose
 * batch hit a data error (isDataError: a row written concurrently, a value the database refuses), so
 * the mutation whose data it was is parked and the ones behind it still apply. Errors of the database
 * itself (connection, serialization, shutdown) fail the push, and the desktop sends it again.
 */
type Mode = 'batch' | 'single';

/**
 * From this many mutations on, a push's set-based writes go in a statement of their own before the
 * change-log statement. That statement takes the change-log lock, shared by every writer of the
 * center, first thing and holds it to COMMIT, so it should carry the log and little else: 1,000
 * notes' writes and their foreign-key checks held the lock ~20 ms, and every other write (a call
 * offered, another agent's note) queued behind it. Below this, the writes are short and one
 * statement saves a round trip.
 */
export const SEPARATE_WRITES_FROM = 50;

/**
 * One REPEATABLE READ transaction per push: each applied mutation's effect, the client's new
 * last_seq and any rejections commit together, so a lost ack just replays as duplicates.
 */
/**
 * What other rooms do inside a push's transaction; the composition root wires them (the VOC room:
 * server/src/voc). Without them a push applies notes, VOC items as raised, and the rest it knows.
 */
export interface PushHooks {
  /** VOC items the push raised: registered (number, routing, clocks) and logged. */
  vocRaised(tx: ChangeTx, who: Principal, raised: readonly RaisedVoc[]): Promise<void>;
  /** Mutations applied by another room, one at a time (`voc.act`). */
  handlers: ExtraHandlers;
}
export const NO_PUSH_HOOKS: PushHooks = {
  vocRaised: async (tx, _who, raised) => {
    for (const v of await loadVocItems(tx.q, tx.tenantId, { ids: raised.map((r) => r.id) })) {
      tx.record({ entity: 'voc_item', id: v.id, op: 'upsert', data: v, customerId: v.customerId });
    }
  },
  handlers: {},
};

export async function pushMutations(db: Db, who: Principal, req: PushRequest, hooks: PushHooks = NO_PUSH_HOOKS): Promise<ChangeTxResult<PushResponse>> {
  if (req.schemaVersion < MIN_SCHEMA_VERSION) throw updateRequired(req.schemaVersion, MIN_SCHEMA_VERSION);
  const mutations = [...req.mutations].sort((a, b) => a.seq - b.seq);
  let result: ChangeTxResult<{ lastSeq: number; rejected: RejectedMutation[] }>;
  try {
    result = await changeTx(db, who.tenantId, (tx) => pushTx(tx, who, req.clientId, mutations, 'batch', hooks));
  } catch (err) {
    if (!isDataError(err)) throw err;
    result = await changeTx(db, who.tenantId, (tx) => pushTx(tx, who, req.clientId, mutations, 'single', hooks));
  }
  return { ...result, value: { lastSeq: result.value.lastSeq, rejected: result.value.rejected, version: result.version } };
}

async function pushTx(tx: ChangeTx, who: Principal, clientId: string, mutations: readonly Mutation[], mode: Mode, hooks: PushHooks) {
  const { q } = tx;
  const bound = await q.query<{ user_id: string; tenant_id: string; last_seq: string }>(
    'SELECT user_id, tenant_id, last_seq::text AS last_seq FROM sync_clients WHERE client_id = $1 FOR UPDATE',
    [clientId],
    PREPARED,
  );
  const client = bound[0];
  if (client && (client.user_id !== who.userId || client.tenant_id !== who.tenantId)) {
    throw new CenterError('forbidden', 'This sync client id belongs to another user. Sign in again on this desktop to get a client id of your own.');
  }
  if (!client) {
    await q.query('INSERT INTO sync_clients (client_id, tenant_id, user_id) VALUES ($1, $2, $3)', [clientId, who.tenantId, who.userId]);
  }
  const firstSeq = client ? Number(client.last_seq) : 0;
  const rejected: RejectedMutation[] = [];
  // A redelivery whose first ack was lost must be reported rejected again, or the desktop counts it as synced.
  const redelivered = mutations.filter((m) => m.seq <= firstSeq).map((m) => m.seq);
  if (redelivered.length > 0) {
    const earlier = await q.query<{ seq: string; mutation_id: string; reason: string }>(
      'SELECT seq::text AS seq, mutation_id, reason FROM rejected_mutations WHERE client_id = $1 AND seq = ANY($2::bigint[]) ORDER BY seq',
      [clientId, redelivered],
    );
    for (const r of earlier) rejected.push({ mutationId: r.mutation_id, seq: Number(r.seq), reason: r.reason });
  }
  // The mutations to process now: from last_seq + 1 without a gap (a gap waits for the missing one).
  const todo: Mutation[] = [];
  let lastSeq = firstSeq;
  for (const m of mutations) {
    if (m.seq <= lastSeq) continue; // already processed (a redelivery), or sent twice in this batch
    if (m.seq > lastSeq + 1) break;
    todo.push(m);
    lastSeq = m.seq;
  }
  const fresh: Array<{ m: Mutation; reason: string }> = [];
  const bySeq = new Map(todo.map((m) => [m.seq, m]));
  const finish = (ctes: string[], params: unknown[]) => {
    // A reason may quote what was sent (an unknown name, a disposition code): as the text policy keeps it.
    const parked = fresh.map(({ m, reason }) => ({ m, reason: cleanText(reason) }));
    for (const { m, reason } of parked) rejected.push({ mutationId: m.mutationId, seq: m.seq, reason });
    return tx.finish!([...ctes, ...clientCtes(params, who, clientId, lastSeq, parked)], params);
  };
  const items = todo.map(parsedItem);
  if (mode === 'batch') {
    if (items.every(inRuns)) {
      // The common push: only notes and VOC items. When no working-set snapshot is due, its writes,
      // the client's last_seq and the change log go in one statement after one read.
      const params: unknown[] = [];
      const plan = await planRun(tx, who, items, params);
      if (plan.inWorkingSet && plan.raised.length === 0) {
        for (const r of plan.rejected) fresh.push({ m: bySeq.get(r.seq)!, reason: r.reason });
        for (const c of plan.changes) tx.record(c);
        if (todo.length >= SEPARATE_WRITES_FROM && plan.ctes.length > 0) {
          await q.query(`WITH ${plan.ctes.join(',\n')} SELECT count(*) AS n FROM added`, params, PREPARED);
          await finish([], []);
        } else {
          await finish(plan.ctes, params);
        }
        return { lastSeq, rejected };
      }
    }
  }
  for (let i = 0; i < items.length; ) {
    if (mode === 'batch') {
      // A run: consecutive mutations that are note.save / voc.create or can never apply at all.
      const run: RunItem[] = [];
      for (; i < items.length && inRuns(items[i]!); i++) run.push(items[i]!);
      if (run.length > 0) {
        const done = await applyRun(tx, who, run);
        for (const r of done.rejected) fresh.push({ m: bySeq.get(r.seq)!, reason: r.reason });
        if (done.raised.length > 0) await hooks.vocRaised(tx, who, done.raised);
        continue;
      }
    }
    // One mutation under a savepoint (notes and VOC items as a run of one): a row written
    // concurrently, or a value the database refuses, parks this one only. Its changes reach the
    // push's change log only once it is through, and only after the database has taken them as
    // jsonb here, so the log written at the end can never fail for this mutation's data.
    const item = items[i++]!;
    const m = bySeq.get(item.seq)!;
    const changes: ChangeInput[] = [];
    const own: ChangeTx = { q, tenantId: tx.tenantId, record: (c) => changes.push(c) };
    await q.query('SAVEPOINT mutation');
    try {
      if (inRuns(item)) {
        const done = await applyRun(own, who, [item]);
        for (const r of done.rejected) fresh.push({ m, reason: r.reason });
        if (done.raised.length > 0) await hooks.vocRaised(own, who, done.raised);
      } else {
        await applyMutation(own, who, item.parsed as ParsedMutation, item.mutationId, hooks.handlers);
      }
      if (changes.length > 0) await q.query('SELECT $1::jsonb IS NULL AS unstored', [JSON.stringify(changes.map((c) => c.data))]);
      await q.query('RELEASE SAVEPOINT mutation');
      for (const c of changes) tx.record(c);
    } catch (err) {
      if (!(err instanceof MutationRejected) && !isDataError(err)) throw err;
      await q.query('ROLLBACK TO SAVEPOINT mutation');
      fresh.push({ m, reason: err instanceof MutationRejected ? err.message : storeRefusal(err) });
    }
  }
  await finish([], []);
  return { lastSeq, rejected };
}

/** Why a mutation the database refused (isDataError) was parked: what was wrong, never the database's words. */
function storeRefusal(err: unknown): string {
  if (isIntegrityViolation(err)) return 'The center could not store this change as sent (it conflicts with existing data).';
  return `The center could not store this change as sent: it holds ${dataErrorWhat(err)}. Correct it and send it again.`;
}

/**
 * The client's new last_seq and its newly parked mutations, as CTEs of the push's last statement. A
 * parked mutation is kept as the text policy cleans it: what was refused may be what the database
 * cannot store (a NUL, half a character pair), and parking it must not fail the push.
 */
function clientCtes(params: unknown[], who: Principal, clientId: string, lastSeq: number, fresh: ReadonlyArray<{ m: Mutation; reason: string }>): string[] {
  const p = (value: unknown) => `$${params.push(value)}`;
  const client = p(clientId);
  const ctes = [`client AS (UPDATE sync_clients SET last_seq = ${p(lastSeq)}, last_push_at = now() WHERE client_id = ${client}::uuid)`];
  if (fresh.length > 0) {
    ctes.push(`parked AS (
       INSERT INTO rejected_mutations (client_id, seq, tenant_id, user_id, mutation_id, name, args, reason)
       SELECT ${client}::uuid, u.seq, ${p(who.tenantId)}, ${p(who.userId)}::uuid, u.mutation_id, u.name, u.args, u.reason
         FROM unnest(${p(fresh.map((f) => f.m.seq))}::bigint[], ${p(fresh.map((f) => f.m.mutationId))}::uuid[], ${p(fresh.map((f) => cleanText(f.m.name)))}::text[],
                     ${p(fresh.map((f) => JSON.stringify(cleanTexts(f.m.args ?? null))))}::jsonb[], ${p(fresh.map((f) => f.reason))}::text[])
              AS u(seq, mutation_id, name, args, reason)
       ON CONFLICT (client_id, seq) DO NOTHING)`);
  }
  return ctes;
}

/** The mutation parsed, or why it can never succeed (unknown name, invalid arguments). */
function parsedItem(m: Mutation): RunItem {
  try {
    return { seq: m.seq, mutationId: m.mutationId, parsed: parseMutation(m) };
  } catch (err) {
    if (!(err instanceof MutationRejected)) throw err;
    return { seq: m.seq, mutationId: m.mutationId, parsed: err };
  }
}

/** Applied set-based in runs (batch.ts): notes, VOC items, and what can never apply at all. */
const inRuns = (it: RunItem): boolean => it.parsed instanceof MutationRejected || BATCHABLE.has(it.parsed.name as never);
