// customer:lookup: the caller's unified profile and cross-channel history in one round trip,
// audited, and the customer added to the agent's working set.
import { isVocOpen, toE164, type HistoryItem, type ScreenPop } from '../../../shared/domain';
import type { LookupRequest } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db, Queryable } from '../db/db';
import {
  CUSTOMER_SELECT,
  INTERACTION_COLUMNS,
  loadCustomers,
  loadNotes,
  loadRecentInteractions,
  loadVocItems,
  NOTE_COLUMNS,
  toCustomer,
  toInteraction,
  toNote,
  toVoc,
  VOC_COLUMNS,
  type CustomerRow,
} from '../db/records';
import { HIGH_WATER_SQL, type ChangeTxResult } from '../sync/change-log';
import { grantQueue } from '../sync/grants';
import { deferredChanges } from '../sync/poke';

export const HISTORY_LIMIT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identity value as stored: phones in E.164, emails lower-case; null when it cannot match anything. */
function normalise(req: LookupRequest): string | null {
  const value = req.value.trim();
  switch (req.by) {
    case 'phone':
      return toE164(value);
    case 'email':
      return value.toLowerCase();
    case 'social':
      return value;
    case 'id':
      return UUID.test(value) ? value.toLowerCase() : null;
  }
}

/** Profile, open VOC items and the last 50 contacts with their notes, VOC items and disposition. */
export async function buildScreenPop(q: Queryable, tenantId: string, customerId: string): Promise<ScreenPop | null> {
  const [customer] = await loadCustomers(q, tenantId, [customerId]);
  if (!customer) return null;
  const interactions = await loadRecentInteractions(q, tenantId, customerId, HISTORY_LIMIT);
  const interactionIds = interactions.map((i) => i.id);
  const [notes, vocByInteraction, customerVoc] = await Promise.all([
    loadNotes(q, tenantId, { interactionIds }),
    loadVocItems(q, tenantId, { interactionIds }),
    loadVocItems(q, tenantId, { customerIds: [customerId] }),
  ]);
  const history: HistoryItem[] = interactions.map((i) => ({
    ...i,
    notes: notes.filter((n) => n.interactionId === i.id),
    vocItems: vocByInteraction.filter((v) => v.interactionId === i.id),
  }));
  return { customer, openVocItems: customerVoc.filter((v) => isVocOpen(v.status)), history, source: 'center' };
}

/**
 * The whole screen pop in ONE statement: identity -> customer (followed through a merge) -> profile,
 * the last 50 contacts with their notes and VOC items, the open VOC items, whether the customer is
 * in the user's working set, the change-log version the statement's snapshot holds (the pop's
 * `asOf`: one snapshot, so the pop holds exactly the changes up to it), and the audit row (a
 * data-modifying CTE, so the audit commits with the read and never takes the change-log counter).
 * Rows come back as jsonb, one kind per row.
 */
async function readScreenPop(db: Db, who: Pick<Principal, 'tenantId' | 'userId'>, req: LookupRequest): Promise<{ pop: ScreenPop | null; inWorkingSet: boolean }> {
  const value = normalise(req);
  const params: unknown[] = [who.tenantId, who.userId, req.reason];
  const p = (v: unknown) => `$${params.push(v)}`;
  const found =
    value === null
      ? 'SELECT NULL::uuid AS id'
      : req.by === 'id'
        ? `SELECT ${p(value)}::uuid AS id`
        : `SELECT customer_id AS id FROM customer_identities WHERE tenant_id = $1 AND kind = ${p(req.by)} AND value = ${p(value)}`;
  // While it reads, queued grants wait (on PGlite's one session they would run ahead of it).
  const release = grantQueue(db).foreground();
  const rows = await db
    .query<{ k: 'c' | 'i' | 'n' | 'v' | 'o' | 's'; r: unknown }>(
    `WITH found AS (${found}),
     target AS (
       SELECT COALESCE(c.merged_into, c.id) AS id FROM customers c WHERE c.tenant_id = $1 AND c.id = (SELECT id FROM found LIMIT 1)),
     touched AS (
       -- already in the user's working set: marked used now, here, instead of by a grant afterwards
       UPDATE working_set SET last_used_at = now() WHERE user_id = $2::uuid AND customer_id = (SELECT id FROM target)
       RETURNING customer_id),
     audit AS (
       -- who looked at which customer, when and why; never the number or address searched for
       INSERT INTO audit_log (tenant_id, user_id, action, customer_id, reason)
       SELECT $1, $2::uuid, CASE WHEN t.id IS NULL THEN 'customer.lookup.miss' ELSE 'customer.lookup' END, t.id, $3
         FROM (SELECT (SELECT id FROM target) AS id) t),
     recent AS (
       SELECT ${INTERACTION_COLUMNS} FROM interactions
        WHERE tenant_id = $1 AND customer_id = (SELECT id FROM target) ORDER BY started_at DESC, id LIMIT ${p(HISTORY_LIMIT)})
     SELECT 'c' AS k, to_jsonb(x) AS r FROM (
       SELECT ${CUSTOMER_SELECT},
              EXISTS (SELECT 1 FROM touched) AS in_working_set
         FROM customers c WHERE c.tenant_id = $1 AND c.id = (SELECT id FROM target)) x
     UNION ALL SELECT 'i', to_jsonb(r) FROM recent r
     UNION ALL SELECT 'n', to_jsonb(n) FROM (
       SELECT ${NOTE_COLUMNS} FROM notes WHERE tenant_id = $1 AND interaction_id IN (SELECT id FROM recent)) n
     UNION ALL SELECT 'v', to_jsonb(v) FROM (
       SELECT ${VOC_COLUMNS} FROM voc_items WHERE tenant_id = $1 AND interaction_id IN (SELECT id FROM recent)) v
     UNION ALL SELECT 'o', to_jsonb(v) FROM (
       SELECT ${VOC_COLUMNS} FROM voc_items WHERE tenant_id = $1 AND customer_id = (SELECT id FROM target)) v
     UNION ALL SELECT 's', to_jsonb((${HIGH_WATER_SQL}))`,
    params,
    // Four texts (by phone, email, social handle or id, and one for a value that cannot match):
    // prepared, the statement's planning (longer than its run) is done once per connection.
    { prepare: true },
    )
    .finally(release);
  const customerRow = rows.find((x) => x.k === 'c')?.r as Record<string, unknown> | undefined;
  if (!customerRow) return { pop: null, inWorkingSet: false };
  const of = <R, T>(k: string, map: (r: R) => T) => rows.filter((x) => x.k === k).map((x) => map(x.r as R));
  // Same order as the one-by-one loaders: history newest first, notes and VOC items oldest first.
  const byCreated = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1;
  const interactions = of('i', toInteraction).sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt > b.startedAt ? -1 : 1));
  const notes = of('n', toNote).sort(byCreated);
  const vocByInteraction = of('v', toVoc).sort(byCreated);
  const customerVoc = of('o', toVoc).sort(byCreated);
  const history: HistoryItem[] = interactions.map((i) => ({
    ...i,
    notes: notes.filter((n) => n.interactionId === i.id),
    vocItems: vocByInteraction.filter((v) => v.interactionId === i.id),
  }));
  const pop: ScreenPop = {
    customer: toCustomer(customerRow as unknown as CustomerRow),
    openVocItems: customerVoc.filter((v) => isVocOpen(v.status)),
    history,
    source: 'center',
    asOf: String(rows.find((x) => x.k === 's')?.r ?? '0'),
  };
  return { pop, inWorkingSet: customerRow.in_working_set === true };
}

/**
 * Answers a lookup from one statement. A customer already in the user's working set was marked used by
 * it; one that is not is put there by a grant queued after the answer (sync/grants.ts), whose snapshot
 * is poked when it commits (the result's `changes` stand for it), and the user's next pull waits for it.
 */
export async function lookupCustomer(
  db: Db,
  who: Principal,
  req: LookupRequest,
  onGrantFailed: (err: unknown) => void = () => undefined,
): Promise<ChangeTxResult<ScreenPop | null>> {
  const { pop, inWorkingSet } = await readScreenPop(db, who, req);
  if (!pop) return { value: null, version: '0', changes: [] };
  if (inWorkingSet) return { value: pop, version: '0', changes: [] };
  const grant = grantQueue(db).touch(who.tenantId, { userId: who.userId, customerId: pop.customer.id, reason: req.reason });
  // Nothing of this lookup is in the change log itself; its grant (if any) is, once committed.
  const later = grant.catch((err: unknown) => {
    onGrantFailed(err);
    return null;
  });
  return { value: pop, version: '0', changes: deferredChanges(later) };
}

/**
 * The pop that travels with a call's offer: the caller the offer found, read by id after the offer
 * committed (so its history holds the call) and audited as a screen pop, exactly as the desktop's
 * lookup would have been. The offer granted the caller to the agent's working set already, in its own
 * transaction: nothing is granted here.
 */
export async function readOfferedCallerPop(db: Db, who: { tenantId: string; userId: string }, customerId: string): Promise<ScreenPop | null> {
  return (await readScreenPop(db, who, { by: 'id', value: customerId, reason: 'screen_pop' })).pop;
}
