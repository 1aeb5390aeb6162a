// Recording an offered call: the interaction row, the caller found by number and added to the
// agent's working set, and the change-log rows that carry both to the agent's desktop.
import { randomUUID } from 'node:crypto';
import { toE164 } from '../../../shared/domain';
import type { CallOffered } from '../../../shared/protocol';
import type { Db } from '../db/db';
import { INTERACTION_COLUMNS, toInteraction, type InteractionRow } from '../db/records';
import { changeTx, PREPARED, type ChangeTxResult } from '../sync/change-log';
import { addToWorkingSet } from '../sync/scope';

export interface CallToOffer {
  tenantId: string;
  ani: string;
  dnis: string;
  queue: string;
  agentUserId: string;
  agentUsername: string;
  /** The id a CTI source already gave the call (webhook, AMI); a new one otherwise. */
  interactionId?: string;
  /** outbound: the agent calls the customer (`ani` is the customer's number). Default inbound. */
  direction?: 'inbound' | 'outbound';
}

export interface OfferedCall {
  /** The `cti:callOffered` message to send (without the caller's pop, which is read after the commit). */
  offer: CallOffered;
  /** The customer holding the number, now in the agent's working set; null for an unknown caller. */
  customerId: string | null;
  /** That customer's display name (for the supervisors' agents grid, floor/customer-names.ts); null for an unknown caller. */
  customerName: string | null;
}

/** Records an inbound call offered to an agent; returns the `cti:callOffered` message to send and the caller found. */
export async function recordOfferedCall(db: Db, call: CallToOffer, now = new Date()): Promise<ChangeTxResult<OfferedCall>> {
  const interactionId = call.interactionId ?? randomUUID();
  const ani = toE164(call.ani) ?? call.ani;
  return changeTx(db, call.tenantId, async (tx) => {
    const { q, tenantId } = tx;
    const direction = call.direction ?? 'inbound';
    const offer = { interactionId, ani, dnis: call.dnis, queue: call.queue, agent: call.agentUsername, offeredAt: now.toISOString(), ...(direction === 'outbound' && { direction }) };
    // Every agent a call is offered to may act on it afterwards (link it to a customer, mutations.ts).
    const offeredTo = () =>
      q.query(
        `INSERT INTO interaction_agents (tenant_id, interaction_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [tenantId, interactionId, call.agentUserId],
        PREPARED,
      );
    // A call that rings again (another agent after a no-answer or a transfer) is recorded once; its
    // caller joins this agent's working set too, since their pop travels with the offer.
    if (call.interactionId) {
      const [known] = await q.query<{ customer_id: string | null; display_name: string | null }>(
        `SELECT i.customer_id, c.display_name FROM interactions i
           LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
          WHERE i.id = $1 AND i.tenant_id = $2`,
        [interactionId, tenantId],
        PREPARED,
      );
      if (known) {
        await offeredTo();
        if (known.customer_id) await addToWorkingSet(tx, call.agentUserId, known.customer_id, 'offered');
        return { offer, customerId: known.customer_id, customerName: known.display_name };
      }
    }
    // One statement (on PGlite each statement is planned and run on its own, a good part of the time
    // from ring to pop): the caller found by number, the interaction stored with them, the agent it is
    // offered to, and the stored row back for the change log.
    const [row] = await q.query<InteractionRow & { caller_name: string | null }>(
      `WITH caller AS (
         SELECT i.customer_id, c.display_name FROM customer_identities i JOIN customers c ON c.id = i.customer_id
          WHERE i.tenant_id = $2 AND i.kind = 'phone' AND i.value = $7 AND c.merged_into IS NULL),
       stored AS (
         INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, queue, agent, agent_user_id, started_at, ani, dnis)
         VALUES ($1, $2, (SELECT customer_id FROM caller), 'call', $9, $3, $4, $5, $6, $7, $8)
         RETURNING ${INTERACTION_COLUMNS}),
       offered AS (
         INSERT INTO interaction_agents (tenant_id, interaction_id, user_id) VALUES ($2, $1, $5) ON CONFLICT DO NOTHING)
       SELECT stored.*, (SELECT display_name FROM caller) AS caller_name FROM stored`,
      [interactionId, tenantId, call.queue, call.agentUsername, call.agentUserId, now, ani, call.dnis, direction],
      PREPARED,
    );
    if (!row) throw new Error('the offered call was not stored');
    const customerId = row.customer_id;
    // The agent is about to see this caller: their desktop should replicate the customer.
    if (customerId) await addToWorkingSet(tx, call.agentUserId, customerId, 'offered');
    // An unknown caller's contact is the offered agent's business only.
    tx.record({ entity: 'interaction', id: row.id, op: 'upsert', data: toInteraction(row), customerId, userId: customerId ? null : call.agentUserId });
    return { offer, customerId, customerName: row.caller_name };
  });
}
