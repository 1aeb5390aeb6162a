// Follow-up ("happy") calls for the contact center (VOC.md, step 8): the list of tasks due, an agent
// claiming one and placing the call through the CTI, rescheduling or skipping it. The call's outcome
// is the `voc.act` mutation `followUpOutcome` (workflow.ts), so it is recorded even offline.
import type { FollowUpTask } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { CenterError } from '../base/errors';
import type { Db, Queryable } from '../db/db';
import { isoSql } from '../db/records';
import { readVocConfig } from './config';
import { appendHistory } from './items';

/** Tasks due within this window are listed, so the agent sees what comes next too. */
const LOOKAHEAD_MS = 60 * 60 * 1000;
/** A call placed and never answered for (the agent's desktop closed): back in the list after this. */
const CLAIM_EXPIRES = '30 minutes';

export async function listFollowUps(q: Queryable, tenantId: string, limit = 50, now = new Date()): Promise<FollowUpTask[]> {
  const cfg = await readVocConfig(q, tenantId);
  const rows = await q.query<Omit<FollowUpTask, 'maxAttempts'>>(
    `SELECT f.id, f.voc_id AS "vocId", v.number, f.customer_id AS "customerId", c.display_name AS "customerName",
            (SELECT i.value FROM customer_identities i WHERE i.tenant_id = f.tenant_id AND i.customer_id = f.customer_id AND i.kind = 'phone' ORDER BY i.value LIMIT 1) AS phone,
            v.type, COALESCE((SELECT t.name FROM voc_topics t WHERE t.tenant_id = v.tenant_id AND t.id = v.topic_id), v.topic) AS topic,
            v.result, v.remedy, ${isoSql('f.due_at')} AS "dueAt", f.attempts,
            CASE WHEN f.state = 'calling' AND f.claimed_at > $3::timestamptz - interval '${CLAIM_EXPIRES}' THEN 'calling' ELSE 'open' END AS state,
            CASE WHEN f.state = 'calling' AND f.claimed_at > $3::timestamptz - interval '${CLAIM_EXPIRES}' THEN (SELECT u.display_name FROM users u WHERE u.id = f.claimed_by_user_id) END AS "claimedBy"
       FROM voc_follow_ups f JOIN voc_items v ON v.id = f.voc_id JOIN customers c ON c.id = f.customer_id
      WHERE f.tenant_id = $1 AND f.state IN ('open', 'calling') AND f.due_at <= $3::timestamptz + make_interval(secs => $4)
      ORDER BY f.due_at, f.id LIMIT $2`,
    [tenantId, limit, now, LOOKAHEAD_MS / 1000],
  );
  return rows.map((r) => ({ ...r, topic: r.topic.slice(0, 200), maxAttempts: cfg.followUpMaxAttempts }));
}

/** What the CTI does to place a follow-up call; the center has already recorded and offered it. */
export type PlaceCall = (call: { tenantId: string; agentUsername: string; number: string; interactionId: string }) => Promise<void>;

export interface FollowUpCallDeps {
  db: Db;
  /** Records an outbound call to the customer and pops it on the agent's desktop (calls/intake.ts). */
  offerOutbound(call: { tenantId: string; agentUserId: string; agentUsername: string; number: string; customerId: string }): Promise<{ interactionId: string }>;
  placeCall: PlaceCall;
}

/** Claims the task for the agent (one agent at a time), offers the call on their desktop and places it. */
export async function callFollowUp(deps: FollowUpCallDeps, who: Principal, id: string): Promise<{ interactionId: string }> {
  const claimed = await deps.db.tx(async (q) => {
    const [task] = await q.query<{ state: string; claimed_by_user_id: string | null; claimed_by: string | null; claimed_recently: boolean; customer_id: string; phone: string | null }>(
      `SELECT f.state, f.claimed_by_user_id, (SELECT u.display_name FROM users u WHERE u.id = f.claimed_by_user_id) AS claimed_by,
              f.claimed_at > now() - interval '${CLAIM_EXPIRES}' AS claimed_recently, f.customer_id,
              (SELECT i.value FROM customer_identities i WHERE i.tenant_id = f.tenant_id AND i.customer_id = f.customer_id AND i.kind = 'phone' ORDER BY i.value LIMIT 1) AS phone
         FROM voc_follow_ups f WHERE f.tenant_id = $1 AND f.id = $2 FOR UPDATE`,
      [who.tenantId, id],
    );
    if (!task || (task.state !== 'open' && task.state !== 'calling')) throw new CenterError('not_found', 'This follow-up is no longer waiting (done, skipped or withdrawn); refresh the list.');
    if (task.state === 'calling' && task.claimed_recently && task.claimed_by_user_id !== who.userId) {
      throw new CenterError('conflict', `${task.claimed_by ?? 'Another agent'} is calling this customer now; pick another follow-up.`);
    }
    if (!task.phone) throw new CenterError('conflict', 'The customer has no phone number on file; record the follow-up as "wrong number" or ask a supervisor to add one.');
    await q.query(`UPDATE voc_follow_ups SET state = 'calling', claimed_by_user_id = $3, claimed_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
      who.tenantId,
      id,
      who.userId,
    ]);
    return { customerId: task.customer_id, phone: task.phone };
  });
  const { interactionId } = await deps.offerOutbound({ tenantId: who.tenantId, agentUserId: who.userId, agentUsername: who.username, number: claimed.phone, customerId: claimed.customerId });
  await deps.db.query('UPDATE voc_follow_ups SET interaction_id = $3 WHERE tenant_id = $1 AND id = $2', [who.tenantId, id, interactionId]);
  try {
    await deps.placeCall({ tenantId: who.tenantId, agentUsername: who.username, number: claimed.phone, interactionId });
  } catch (err) {
    await deps.db.query(`UPDATE voc_follow_ups SET state = 'open', claimed_by_user_id = NULL, claimed_at = NULL WHERE tenant_id = $1 AND id = $2`, [who.tenantId, id]);
    throw new CenterError('internal', `The phone system did not place the call (${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}); dial ${claimed.phone} by hand or try again.`);
  }
  return { interactionId };
}

export async function rescheduleFollowUp(q: Queryable, who: Principal, id: string, at: Date): Promise<void> {
  if (at.getTime() < Date.now() - 60_000) throw new CenterError('bad_request', 'Reschedule to a time from now on.');
  if (at.getTime() > Date.now() + 90 * 86_400_000) throw new CenterError('bad_request', 'Reschedule within the next 90 days.');
  const done = await q.query(
    `UPDATE voc_follow_ups SET due_at = $3, state = 'open', claimed_by_user_id = NULL, claimed_at = NULL, updated_at = now()
      WHERE tenant_id = $1 AND id = $2 AND state IN ('open', 'calling') RETURNING id`,
    [who.tenantId, id, at],
  );
  if (done.length === 0) throw new CenterError('not_found', 'This follow-up is no longer waiting (done, skipped or withdrawn); refresh the list.');
}

/** Not now: back in the list after the tenant's retry delay (no attempt counted); the reason goes in the item's history. */
export async function skipFollowUp(db: Db, who: Principal, id: string, reason: string): Promise<void> {
  await db.tx(async (q) => {
    const cfg = await readVocConfig(q, who.tenantId);
    const [task] = await q.query<{ voc_id: string }>(
      `UPDATE voc_follow_ups SET due_at = now() + make_interval(mins => $3), state = 'open', claimed_by_user_id = NULL, claimed_at = NULL, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND state IN ('open', 'calling') RETURNING voc_id`,
      [who.tenantId, id, Math.max(1, cfg.followUpRetryMinutes)],
    );
    if (!task) throw new CenterError('not_found', 'This follow-up is no longer waiting (done, skipped or withdrawn); refresh the list.');
    await appendHistory(q, who.tenantId, [
      { vocId: task.voc_id, byUserId: who.userId, byName: who.displayName || who.username, action: 'skipFollowUp', from: 'follow_up', to: 'follow_up', reason },
    ]);
  });
}
