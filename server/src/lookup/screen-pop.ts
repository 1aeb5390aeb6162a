// customer:lookup: the caller's unified profile and cross-channel history in one round trip,
// audited, and the customer added to the agent's working set.
import { isVocOpen, toE164, type HistoryItem, type ScreenPop } from '../../../shared/domain';
import type { LookupRequest } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db, Queryable } from '../db/db';
import { loadCustomers, loadNotes, loadRecentInteractions, loadVocItems, resolveCustomerId } from '../db/records';
import { changeTx, type ChangeTxResult } from '../sync/change-log';
import { addToWorkingSet } from '../sync/scope';

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

async function findCustomer(q: Queryable, tenantId: string, req: LookupRequest): Promise<string | null> {
  const value = normalise(req);
  if (value === null) return null;
  if (req.by === 'id') return resolveCustomerId(q, tenantId, value);
  const rows = await q.query<{ customer_id: string }>(
    'SELECT customer_id FROM customer_identities WHERE tenant_id = $1 AND kind = $2 AND value = $3',
    [tenantId, req.by, value],
  );
  const id = rows[0]?.customer_id;
  return id ? resolveCustomerId(q, tenantId, id) : null;
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

/** Answers a lookup; the result carries the working-set grant so the caller can poke the user. */
export async function lookupCustomer(db: Db, who: Principal, req: LookupRequest): Promise<ChangeTxResult<ScreenPop | null>> {
  return changeTx(db, who.tenantId, async (tx) => {
    const customerId = await findCustomer(tx.q, who.tenantId, req);
    // Audit who looked at which customer, when and why; never the number or address searched for.
    await tx.q.query('INSERT INTO audit_log (tenant_id, user_id, action, customer_id, reason) VALUES ($1, $2, $3, $4, $5)', [
      who.tenantId,
      who.userId,
      customerId ? 'customer.lookup' : 'customer.lookup.miss',
      customerId,
      req.reason,
    ]);
    if (!customerId) return null;
    const pop = await buildScreenPop(tx.q, who.tenantId, customerId);
    await addToWorkingSet(tx, who.userId, customerId, req.reason);
    return pop;
  });
}
