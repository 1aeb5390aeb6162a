// Desktop mutations at the center: parsed at the door, and the effects of those applied one at a time
// (SYNC.md conflict rules). Notes and VOC items, the bulk of what desktops send, are applied in runs
// by batch.ts.
import { z } from 'zod';
import { cleanText, IsoTime, toE164 } from '../../../shared/domain';
import { mutationArgs, type MutationName } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { loadCustomers, loadInteractions } from '../db/records';
import type { ChangeTx } from './change-log';
import { addToWorkingSet } from './scope';

/** A mutation that can never succeed as sent: parked in rejected_mutations and shown to the agent. */
export class MutationRejected extends Error {}

/** Mutations applied set-based, in runs (batch.ts): the bulk of what desktops send. */
export const BATCHABLE = new Set(['note.save', 'voc.create'] as const);
type Batchable = typeof BATCHABLE extends Set<infer N> ? N : never;

type Handler<A> = (tx: ChangeTx, who: Principal, args: A, mutationId: string) => Promise<void>;
/** Mutations another room applies, one at a time (the VOC workflow's `voc.act`); wired by the composition root. */
type Elsewhere = 'voc.act';
export type ExtraHandlers = { [N in Elsewhere]?: Handler<z.infer<(typeof mutationArgs)[N]>> };
/** The other mutations, one at a time. */
type Handlers = { [N in Exclude<MutationName, Batchable | Elsewhere>]: Handler<z.infer<(typeof mutationArgs)[N]>> };

async function recordInteraction(tx: ChangeTx, interactionId: string, privateTo?: string): Promise<void> {
  for (const i of await loadInteractions(tx.q, tx.tenantId, [interactionId])) {
    tx.record({ entity: 'interaction', id: i.id, op: 'upsert', data: i, customerId: i.customerId, userId: i.customerId ? null : privateTo });
  }
}

const handlers: Handlers = {
  // Last write by server order wins; every write is kept in `dispositions`.
  'disposition.set': async (tx, who, args, mutationId) => {
    const { q, tenantId } = tx;
    const rows = await q.query<{ queue: string | null; agent_user_id: string | null }>(
      'SELECT queue, agent_user_id FROM interactions WHERE tenant_id = $1 AND id = $2',
      [tenantId, args.interactionId],
    );
    const interaction = rows[0];
    if (!interaction) throw new MutationRejected('The interaction does not exist at the center.');
    if (who.role === 'agent' && interaction.agent_user_id && interaction.agent_user_id !== who.userId) {
      throw new MutationRejected('This contact was handled by another agent; only they (or a supervisor) can set its disposition.');
    }
    if (interaction.queue) {
      const codes = await q.query<{ code: string }>('SELECT code FROM queue_disposition_codes WHERE tenant_id = $1 AND queue_id = $2', [
        tenantId,
        interaction.queue,
      ]);
      if (codes.length > 0 && !codes.some((c) => c.code === args.code)) {
        throw new MutationRejected(`"${args.code}" is not a disposition code of queue ${interaction.queue}; pick one from its list.`);
      }
    }
    await q.query('INSERT INTO dispositions (tenant_id, interaction_id, user_id, code, mutation_id) VALUES ($1, $2, $3, $4, $5)', [
      tenantId,
      args.interactionId,
      who.userId,
      args.code,
      mutationId,
    ]);
    await q.query('UPDATE interactions SET disposition = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, args.interactionId, args.code]);
    await recordInteraction(tx, args.interactionId, who.userId);
  },

  // An unknown caller created offline. If the number already belongs to a customer, the center
  // merges the provisional one into it and the merge travels as a change.
  'customer.createProvisional': async (tx, who, args) => {
    const { q, tenantId } = tx;
    const existing = await q.query<{ tenant_id: string }>('SELECT tenant_id FROM customers WHERE id = $1', [args.id]);
    if (existing[0]) {
      if (existing[0].tenant_id === tenantId) return; // a redelivery
      throw new MutationRejected('A customer with this id already exists; create the caller again to get a new id.');
    }
    const phone = args.phone ? toE164(args.phone) : null;
    const owner = phone
      ? await q.query<{ customer_id: string }>(
          `SELECT customer_id FROM customer_identities WHERE tenant_id = $1 AND kind = 'phone' AND value = $2`,
          [tenantId, phone],
        )
      : [];
    const intoId = owner[0]?.customer_id ?? null;
    await q.query(
      `INSERT INTO customers (id, tenant_id, display_name, provisional, merged_into) VALUES ($1, $2, $3, true, $4)`,
      [args.id, tenantId, args.displayName, intoId],
    );
    if (intoId) {
      tx.record({ entity: 'customer_merge', id: args.id, op: 'upsert', data: { fromId: args.id, intoId }, userId: who.userId });
      tx.record({ entity: 'customer', id: args.id, op: 'delete', data: null, userId: who.userId });
      await addToWorkingSet(tx, who.userId, intoId, 'merged');
      return;
    }
    if (phone) {
      await q.query(`INSERT INTO customer_identities (tenant_id, customer_id, kind, value) VALUES ($1, $2, 'phone', $3)`, [
        tenantId,
        args.id,
        phone,
      ]);
    }
    // In the working set without a grant: the creation itself is the change that carries it.
    await q.query(
      `INSERT INTO working_set (tenant_id, user_id, customer_id, reason) VALUES ($1, $2, $3, 'wrote') ON CONFLICT DO NOTHING`,
      [tenantId, who.userId, args.id],
    );
    for (const c of await loadCustomers(q, tenantId, [args.id])) {
      tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
    }
  },

  // An unknown caller's contact linked to an existing customer (issue 6): allowed while the contact
  // has no customer or a provisional one; optionally the caller's number becomes the customer's phone.
  // Only an agent the call was offered to, or a supervisor, may link it (issue 21): the link decides
  // whose profile pops for that number next time. Every applied link is audited.
  'interaction.linkCustomer': async (tx, who, args) => {
    const { q, tenantId } = tx;
    const [interaction] = await q.query<{ customer_id: string | null; ani: string | null; provisional: boolean | null; handled: boolean }>(
      `SELECT i.customer_id, i.ani, c.provisional,
              (i.agent_user_id = $3::uuid OR EXISTS (
                 SELECT 1 FROM interaction_agents a WHERE a.interaction_id = i.id AND a.user_id = $3::uuid)) AS handled
         FROM interactions i
         LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
        WHERE i.tenant_id = $1 AND i.id = $2`,
      [tenantId, args.interactionId, who.userId],
    );
    if (!interaction) throw new MutationRejected('The interaction does not exist at the center.');
    if (who.role === 'agent' && interaction.handled !== true) {
      throw new MutationRejected('Only the agent who handled this contact, or a supervisor, can link it to a customer; ask your supervisor.');
    }
    const [customer] = await q.query<{ merged_into: string | null }>('SELECT merged_into FROM customers WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      args.customerId,
    ]);
    if (!customer) throw new MutationRejected('The customer does not exist at the center (it may belong to another tenant).');
    if (customer.merged_into) throw new MutationRejected('This customer was merged into another one; link the contact to that customer instead.');
    if (interaction.customer_id && interaction.customer_id !== args.customerId && interaction.provisional === false) {
      throw new MutationRejected('This contact is already linked to another (non-provisional) customer.');
    }
    // Customers whose identities this link changes: the target, and a provisional owner of the number.
    const changed: string[] = [];
    const phone = args.addPhone && interaction.ani ? toE164(interaction.ani) : null;
    if (phone) {
      const [owner] = await q.query<{ customer_id: string; provisional: boolean }>(
        `SELECT i.customer_id, c.provisional FROM customer_identities i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
          WHERE i.tenant_id = $1 AND i.kind = 'phone' AND i.value = $2`,
        [tenantId, phone],
      );
      if (!owner) {
        await q.query(
          `INSERT INTO customer_identities (tenant_id, customer_id, kind, value) VALUES ($1, $2, 'phone', $3) ON CONFLICT DO NOTHING`,
          [tenantId, args.customerId, phone],
        );
        changed.push(args.customerId);
      } else if (owner.customer_id !== args.customerId && owner.provisional) {
        // The number was the provisional profile's (made for this unknown caller): it moves to the real customer.
        await q.query(`UPDATE customer_identities SET customer_id = $3 WHERE tenant_id = $1 AND kind = 'phone' AND value = $2`, [
          tenantId,
          phone,
          args.customerId,
        ]);
        changed.push(args.customerId, owner.customer_id);
      } // else: it is already this customer's, or another real customer's (left alone)
    }
    if (interaction.customer_id !== args.customerId) {
      await q.query('UPDATE interactions SET customer_id = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, args.interactionId, args.customerId]);
    }
    await addToWorkingSet(tx, who.userId, args.customerId, 'wrote');
    // Who linked which contact to which customer; the interaction id in reason, as great_service.marked does.
    await q.query(`INSERT INTO audit_log (tenant_id, user_id, action, customer_id, reason) VALUES ($1, $2, 'interaction.linkCustomer', $3, $4)`, [
      tenantId,
      who.userId,
      args.customerId,
      args.interactionId,
    ]);
    if (changed.length > 0) {
      await q.query('UPDATE customers SET updated_at = now() WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, changed]);
      for (const c of await loadCustomers(q, tenantId, changed)) {
        tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
      }
    }
    if (interaction.customer_id !== args.customerId) await recordInteraction(tx, args.interactionId, who.userId);
  },

  // Customers the agent saw from the desktop's local copy (offline too), into the audit trail: one row
  // each, for the tenant's own customers only. The desktop's clock is recorded as what it said, beside
  // the center's own time of receipt (`at`).
  'customer.viewed': async (tx, who, args) => {
    await tx.q.query(
      `INSERT INTO audit_log (tenant_id, user_id, action, customer_id, reason)
       SELECT $1, $2, 'customer.viewed.local', c.id, $4 FROM customers c WHERE c.tenant_id = $1 AND c.id = ANY($3::uuid[])`,
      [tx.tenantId, who.userId, args.customerIds, `${args.how} on the desktop at ${args.at} (desktop clock)`],
    );
  },
};

/** A mutation whose name is known and whose arguments passed their schema. */
export type ParsedMutation = { [N in MutationName]: { name: N; args: z.infer<(typeof mutationArgs)[N]> } }[MutationName];

/**
 * Checks a mutation's name, arguments and time (no database work); throws MutationRejected when it can
 * never succeed. The reasons name the field and what is wrong with it, never its value.
 */
export function parseMutation(m: { name: string; args: unknown; createdAt: string }): ParsedMutation {
  if (!Object.hasOwn(mutationArgs, m.name)) {
    throw new MutationRejected(`Unknown mutation "${cleanText(m.name)}"; this desktop may be newer than the center.`);
  }
  if (!IsoTime.safeParse(m.createdAt).success) {
    throw new MutationRejected('The time this change was made (createdAt) is not a real date and time; check the date and clock of this computer, then fix the change and send it again.');
  }
  const name = m.name as MutationName;
  const parsed = mutationArgs[name].safeParse(m.args);
  if (!parsed.success) {
    // Field and rule only (zod's messages and the text policy's never quote the value), so the agent sees where to fix.
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.length > 0 ? i.path.join('.') : 'arguments'}: ${i.message}`);
    throw new MutationRejected(`Invalid arguments for ${name}: ${issues.join('; ').replace(/\s+/g, ' ').slice(0, 400)}`);
  }
  return { name, args: parsed.data } as ParsedMutation;
}

/** Applies one mutation that is not BATCHABLE; throws MutationRejected when it can never succeed. */
export async function applyMutation(tx: ChangeTx, who: Principal, parsed: ParsedMutation, mutationId: string, elsewhere: ExtraHandlers = {}): Promise<void> {
  const handler = Object.hasOwn(handlers, parsed.name)
    ? handlers[parsed.name as keyof Handlers]
    : Object.hasOwn(elsewhere, parsed.name)
      ? elsewhere[parsed.name as Elsewhere]
      : undefined;
  if (!handler) {
    if (BATCHABLE.has(parsed.name as Batchable)) throw new Error(`${parsed.name} is applied in runs (batch.ts), not one at a time.`);
    throw new MutationRejected(`This center does not apply ${parsed.name} yet; the change is kept here so you can retry or discard it.`);
  }
  await (handler as Handler<unknown>)(tx, who, parsed.args, mutationId);
}

