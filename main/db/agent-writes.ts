// Everything the agent writes: each local row and its outbox mutation commit in ONE transaction,
// so a crash can never keep one without the other.
import type { z } from 'zod';
import { raisedVocItem, type Customer, type Note, type VocItem } from '../../shared/domain/entities';
import type { VocCreateArgs } from '../../shared/protocol/index';
import type { Db } from './connection';
import { cached } from './statements';
import { upsertCustomer } from './cache';
import { enqueueMutation } from './outbox';
import { touchCustomer } from './working-set';

export class WriteRefusedError extends Error {
  readonly code = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'WriteRefusedError';
  }
}

export interface NoteInput {
  id: string;
  customerId: string;
  interactionId: string | null;
  text: string;
}

/** Saves the whole text of a note as its next revision and queues `note.save`. */
export function saveNote(
  db: Db,
  input: NoteInput,
  ctx: { author: string; mutationId: string; now: string },
): Note {
  return db.transaction((): Note => {
    const existing = cached(db, 'SELECT author, revision, created_at FROM notes WHERE id = ?')
      .get(input.id) as { author: string; revision: number; created_at: string } | undefined;
    if (existing && existing.author !== ctx.author) {
      throw new WriteRefusedError('This note belongs to another agent, so it cannot be changed here. Add a note of your own instead.');
    }
    const note: Note = {
      id: input.id,
      customerId: input.customerId,
      interactionId: input.interactionId,
      author: ctx.author,
      text: input.text,
      revision: (existing?.revision ?? 0) + 1,
      createdAt: existing?.created_at ?? ctx.now,
      updatedAt: ctx.now,
    };
    cached(db,
      `INSERT INTO notes (id, customer_id, interaction_id, author, text, revision, created_at, updated_at)
       VALUES (@id, @customerId, @interactionId, @author, @text, @revision, @createdAt, @updatedAt)
       ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, interaction_id = excluded.interaction_id,
         text = excluded.text, revision = excluded.revision, updated_at = excluded.updated_at`,
    ).run(note);
    enqueueMutation(db, {
      mutationId: ctx.mutationId,
      name: 'note.save',
      args: { id: note.id, customerId: note.customerId, interactionId: note.interactionId, text: note.text, revision: note.revision },
      customerId: note.customerId,
      createdAt: ctx.now,
    });
    touchCustomer(db, note.customerId, Date.parse(ctx.now));
    return note;
  })();
}

/** A VOC item as the agent raises it: the `voc.create` mutation's arguments (classification included). */
export type VocInput = z.infer<typeof VocCreateArgs>;

/**
 * Records a VOC item at `raised` and queues `voc.create`; saving the same id again changes nothing.
 * The center numbers, routes (or, answered on the contact, closes) it; the pull brings that back.
 */
export function createVocItem(
  db: Db,
  input: VocInput,
  ctx: { createdBy: string; mutationId: string; now: string },
): VocItem {
  return db.transaction((): VocItem => {
    const existing = cached(db, 'SELECT data FROM voc_items WHERE id = ?').get(input.id) as { data: string } | undefined;
    if (existing) return JSON.parse(existing.data) as VocItem;
    const item = raisedVocItem(input, ctx.createdBy, ctx.now);
    cached(db,
      'INSERT INTO voc_items (id, customer_id, interaction_id, status, created_at, data) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(item.id, item.customerId, item.interactionId, item.status, item.createdAt, JSON.stringify(item));
    enqueueMutation(db, { mutationId: ctx.mutationId, name: 'voc.create', args: input, customerId: input.customerId, createdAt: ctx.now });
    touchCustomer(db, input.customerId, Date.parse(ctx.now));
    return item;
  })();
}

/** An unknown caller: a provisional customer under a client UUID, queued as `customer.createProvisional`. */
export function createProvisionalCustomer(
  db: Db,
  input: { id: string; displayName: string; phone: string | null },
  ctx: { mutationId: string; now: string },
): Customer {
  return db.transaction((): Customer => {
    const customer: Customer = {
      id: input.id,
      displayName: input.displayName,
      language: 'ko',
      segment: null,
      identities: input.phone ? [{ kind: 'phone', value: input.phone }] : [],
      since: ctx.now,
      consent: { phone: false, email: false, sms: false },
      value: null,
      flags: [],
      provisional: true,
      updatedAt: ctx.now,
    };
    upsertCustomer(db, customer, Date.parse(ctx.now));
    enqueueMutation(db, {
      mutationId: ctx.mutationId,
      name: 'customer.createProvisional',
      args: input,
      customerId: input.id,
      createdAt: ctx.now,
    });
    return customer;
  })();
}

/** The agent's wrap-up code for an interaction (last write wins at the center, by server order). */
export function setDisposition(
  db: Db,
  input: { interactionId: string; code: string },
  ctx: { mutationId: string; now: string },
): void {
  db.transaction(() => {
    cached(db,
      `INSERT INTO dispositions (interaction_id, code, set_at) VALUES (?, ?, ?)
       ON CONFLICT (interaction_id) DO UPDATE SET code = excluded.code, set_at = excluded.set_at`,
    ).run(input.interactionId, input.code, ctx.now);
    const owner = cached(db, 'SELECT customer_id FROM interactions WHERE id = ?').get(input.interactionId) as
      | { customer_id: string | null }
      | undefined;
    enqueueMutation(db, {
      mutationId: ctx.mutationId,
      name: 'disposition.set',
      args: input,
      customerId: owner?.customer_id ?? null,
      createdAt: ctx.now,
    });
  })();
}

/**
 * An unknown caller's contact linked to an existing customer, queued as `interaction.linkCustomer`.
 * The cached contact moves to that customer (its notes follow it, being read by contact); with
 * `phone` (E.164) the caller's number is added to the cached customer's identities.
 */
export function linkInteractionCustomer(
  db: Db,
  input: { interactionId: string; customerId: string; addPhone: boolean; phone: string | null },
  ctx: { mutationId: string; now: string },
): void {
  db.transaction(() => {
    cached(db, `UPDATE interactions SET customer_id = ?, data = json_set(data, '$.customerId', ?) WHERE id = ?`).run(
      input.customerId,
      input.customerId,
      input.interactionId,
    );
    if (input.addPhone && input.phone) {
      const data = cached(db, 'SELECT data FROM customers WHERE id = ?', 'pluck').get(input.customerId) as string | undefined;
      const customer = data === undefined ? null : (JSON.parse(data) as Customer);
      if (customer && !customer.identities.some((i) => i.kind === 'phone' && i.value === input.phone)) {
        upsertCustomer(db, { ...customer, identities: [...customer.identities, { kind: 'phone', value: input.phone }] }, Date.parse(ctx.now));
      }
    }
    enqueueMutation(db, {
      mutationId: ctx.mutationId,
      name: 'interaction.linkCustomer',
      args: { interactionId: input.interactionId, customerId: input.customerId, addPhone: input.addPhone },
      customerId: input.customerId,
      createdAt: ctx.now,
    });
    touchCustomer(db, input.customerId, Date.parse(ctx.now));
  })();
}

/**
 * Customers the agent was shown from this local copy (a pop, a profile opened, search results):
 * queued as `customer.viewed` for the center's audit trail, which records who saw which customer
 * even when it happened offline. No local row: the record's only home is the center.
 */
export function recordCustomerViews(db: Db, input: { customerIds: readonly string[]; how: 'popped' | 'opened' | 'searched' }, ctx: { mutationId: string; now: string }): void {
  if (input.customerIds.length === 0) return;
  db.transaction(() => {
    enqueueMutation(db, {
      mutationId: ctx.mutationId,
      name: 'customer.viewed',
      args: { customerIds: [...input.customerIds], how: input.how, at: ctx.now },
      customerId: null,
      createdAt: ctx.now,
    });
  })();
}
