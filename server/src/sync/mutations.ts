// The effects of desktop mutations at the center, one handler per mutation name (SYNC.md conflict rules).
import { z } from 'zod';
import { toE164 } from '../../../shared/domain';
import { mutationArgs, type MutationName } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { loadCustomers, loadInteractions, loadNotes, loadVocItems, resolveCustomerId } from '../db/records';
import type { ChangeTx } from './change-log';
import { addToWorkingSet } from './scope';

/** A mutation that can never succeed as sent: parked in rejected_mutations and shown to the agent. */
export class MutationRejected extends Error {}

type Handler<A> = (tx: ChangeTx, who: Principal, args: A, mutationId: string) => Promise<void>;
type Handlers = { [N in MutationName]: Handler<z.infer<(typeof mutationArgs)[N]>> };

/** The customer a write names, followed through a merge; rejected when it is not this tenant's. */
async function writableCustomer(tx: ChangeTx, customerId: string): Promise<string> {
  const id = await resolveCustomerId(tx.q, tx.tenantId, customerId);
  if (!id) throw new MutationRejected('The customer does not exist at the center (it may belong to another tenant).');
  return id;
}

async function checkInteraction(tx: ChangeTx, interactionId: string | null): Promise<void> {
  if (!interactionId) return;
  const rows = await tx.q.query('SELECT 1 FROM interactions WHERE tenant_id = $1 AND id = $2', [tx.tenantId, interactionId]);
  if (rows.length === 0) throw new MutationRejected('The interaction does not exist at the center.');
}

async function recordNote(tx: ChangeTx, noteId: string): Promise<void> {
  for (const note of await loadNotes(tx.q, tx.tenantId, { ids: [noteId] })) {
    tx.record({ entity: 'note', id: note.id, op: 'upsert', data: note, customerId: note.customerId });
  }
}

async function recordInteraction(tx: ChangeTx, interactionId: string, privateTo?: string): Promise<void> {
  for (const i of await loadInteractions(tx.q, tx.tenantId, [interactionId])) {
    tx.record({ entity: 'interaction', id: i.id, op: 'upsert', data: i, customerId: i.customerId, userId: i.customerId ? null : privateTo });
  }
}

const handlers: Handlers = {
  // Insert-only by client UUID; later revisions by the same author update it and every revision is
  // kept; a late (older) revision is stored in history, never rejected.
  'note.save': async (tx, who, args, mutationId) => {
    const { q, tenantId } = tx;
    const existing = await q.query<{ tenant_id: string; author_user_id: string | null; revision: number }>(
      'SELECT tenant_id, author_user_id, revision FROM notes WHERE id = $1',
      [args.id],
    );
    const note = existing[0];
    if (note && (note.tenant_id !== tenantId || note.author_user_id !== who.userId)) {
      throw new MutationRejected('This note was written by someone else; only its author can revise it.');
    }
    if (!note) {
      const customerId = await writableCustomer(tx, args.customerId);
      await checkInteraction(tx, args.interactionId);
      await q.query(
        `INSERT INTO notes (id, tenant_id, customer_id, interaction_id, author, author_user_id, text, revision, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now())`,
        [args.id, tenantId, customerId, args.interactionId, who.username, who.userId, args.text, args.revision],
      );
      await addToWorkingSet(tx, who.userId, customerId, 'wrote');
    } else if (args.revision > note.revision) {
      await q.query('UPDATE notes SET text = $2, revision = $3, updated_at = now() WHERE id = $1', [args.id, args.text, args.revision]);
    }
    await q.query(
      `INSERT INTO note_revisions (note_id, revision, tenant_id, text, mutation_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (note_id, revision) DO NOTHING`,
      [args.id, args.revision, tenantId, args.text, mutationId],
    );
    if (!note || args.revision > note.revision) await recordNote(tx, args.id);
  },

  // Idempotent by id: the same item sent twice is one item.
  'voc.create': async (tx, who, args) => {
    const { q, tenantId } = tx;
    const existing = await q.query<{ tenant_id: string; created_by_user_id: string | null }>(
      'SELECT tenant_id, created_by_user_id FROM voc_items WHERE id = $1',
      [args.id],
    );
    if (existing[0]) {
      if (existing[0].tenant_id === tenantId && existing[0].created_by_user_id === who.userId) return;
      throw new MutationRejected('A VOC item with this id already exists; create it again to get a new id.');
    }
    const customerId = await writableCustomer(tx, args.customerId);
    await checkInteraction(tx, args.interactionId);
    await q.query(
      `INSERT INTO voc_items (id, tenant_id, customer_id, interaction_id, type, topic, description, status, created_by, created_by_user_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'raised', $8, $9, now())`,
      [args.id, tenantId, customerId, args.interactionId, args.type, args.topic, args.description, who.username, who.userId],
    );
    await addToWorkingSet(tx, who.userId, customerId, 'wrote');
    for (const v of await loadVocItems(q, tenantId, { ids: [args.id] })) {
      tx.record({ entity: 'voc_item', id: v.id, op: 'upsert', data: v, customerId: v.customerId });
    }
  },

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
  'interaction.linkCustomer': async (tx, who, args) => {
    const { q, tenantId } = tx;
    const [interaction] = await q.query<{ customer_id: string | null; ani: string | null; provisional: boolean | null }>(
      `SELECT i.customer_id, i.ani, c.provisional FROM interactions i
         LEFT JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
        WHERE i.tenant_id = $1 AND i.id = $2`,
      [tenantId, args.interactionId],
    );
    if (!interaction) throw new MutationRejected('The interaction does not exist at the center.');
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
    if (changed.length > 0) {
      await q.query('UPDATE customers SET updated_at = now() WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, changed]);
      for (const c of await loadCustomers(q, tenantId, changed)) {
        tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
      }
    }
    if (interaction.customer_id !== args.customerId) await recordInteraction(tx, args.interactionId, who.userId);
  },
};

/** A mutation whose name is known and whose arguments passed their schema. */
export type ParsedMutation = { [N in MutationName]: { name: N; args: z.infer<(typeof mutationArgs)[N]> } }[MutationName];

/** Checks a mutation's name and arguments (no database work); throws MutationRejected when it can never succeed. */
export function parseMutation(m: { name: string; args: unknown }): ParsedMutation {
  if (!Object.hasOwn(mutationArgs, m.name)) {
    throw new MutationRejected(`Unknown mutation "${m.name}"; this desktop may be newer than the center.`);
  }
  const name = m.name as MutationName;
  const parsed = mutationArgs[name].safeParse(m.args);
  if (!parsed.success) {
    throw new MutationRejected(`Invalid arguments for ${name}: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  return { name, args: parsed.data } as ParsedMutation;
}

/** Parses and applies one mutation; throws MutationRejected when it can never succeed. */
export async function applyMutation(tx: ChangeTx, who: Principal, m: { mutationId: string; name: string; args: unknown }): Promise<void> {
  const parsed = parseMutation(m);
  await (handlers[parsed.name] as Handler<unknown>)(tx, who, parsed.args, m.mutationId);
}

