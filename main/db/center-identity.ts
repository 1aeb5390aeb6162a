// Meeting the center database's identity (README, "Back up and restore the center"). A center restored from a
// backup has a new identity, and this desktop may be ahead of it: its pull cursor past the restored
// change log, its push seq past the restored last_seq, notes acknowledged after the backup lost. So
// the desktop starts over with it, in one transaction: a new sync client id (a fresh registration),
// every outbox row kept, its own provisional customers, notes and VOC items queued again as the
// idempotent mutations they were, and the cache dropped for a new bootstrap.
import { randomUUID } from 'node:crypto';
import { VocItem, type Customer } from '../../shared/domain/entities';
import type { Db } from './connection';
import { clearCache } from './cache';
import { enqueueMutation, listOutbox } from './outbox';
import { cached } from './statements';
import { readSyncState, setCenterId } from './sync-state';

/**
 * 'same': the center this desktop knows. 'first': a desktop with nothing synced yet learns it.
 * 'renewed': another identity (or the first one met by a desktop that synced before it knew any):
 * the store has started over with it, and the sync cycle must start again from a bootstrap.
 */
export type CenterMeeting = { met: 'same' | 'first' } | { met: 'renewed'; requeued: number; kept: number };

export function meetCenter(db: Db, centerId: string, ctx: { newMutationId: () => string; now: string }): CenterMeeting {
  // Every answer is checked: the usual one, from the center this desktop knows, only reads.
  if (readSyncState(db).centerId === centerId) return { met: 'same' };
  return db.transaction((): CenterMeeting => {
    const state = readSyncState(db);
    if (state.centerId === centerId) return { met: 'same' };
    // A desktop that synced before it knew identities cannot tell whether a restore happened since:
    // it starts over too (idempotent, so at worst it sends its own notes once more). One that never
    // pulled has pushed nothing either (every cycle pulls first), whatever it wrote offline.
    if (state.centerId === null && state.cursor === null) {
      setCenterId(db, centerId);
      return { met: 'first' };
    }
    const kept = listOutbox(db);
    // What needs no second copy: a waiting row carries it already, or the center refused it for good
    // (the agent decides what becomes of it; sent again it would only be refused again).
    const key = (name: string, args: unknown) => {
      const a = (args ?? {}) as { id?: unknown; revision?: unknown };
      return name === 'note.save' ? `${name}/${String(a.id)}/${String(a.revision)}` : `${name}/${String(a.id)}`;
    };
    const carried = new Set([
      ...kept.map((r) => key(r.name, r.args)),
      ...(cached(db, 'SELECT name, args FROM rejected_mutations').all() as Array<{ name: string; args: string }>).map((r) => key(r.name, JSON.parse(r.args))),
    ]);
    cached(db, 'DELETE FROM outbox').run();
    // A new client id rather than seq 1 under the old one: the restored center may still hold the old
    // id's last_seq and parked rejections from before the backup, which would skip or refuse ours.
    cached(db, 'UPDATE sync_state SET client_id = ?, next_seq = 1, cursor = NULL, center_id = ? WHERE id = 1').run(randomUUID(), centerId);
    let requeued = 0;
    const queue = (name: 'customer.createProvisional' | 'note.save' | 'voc.create', args: unknown, customerId: string) => {
      if (carried.has(key(name, args))) return;
      enqueueMutation(db, { mutationId: ctx.newMutationId(), name, args, customerId, createdAt: ctx.now });
      requeued += 1;
    };
    // Customers first: the notes and VOC items below may be about a caller created offline.
    for (const c of cached(db, 'SELECT data FROM customers WHERE provisional = 1 ORDER BY updated_at').all() as Array<{ data: string }>) {
      const customer = JSON.parse(c.data) as Customer;
      const phone = customer.identities.find((i) => i.kind === 'phone')?.value ?? null;
      queue('customer.createProvisional', { id: customer.id, displayName: customer.displayName, phone }, customer.id);
    }
    const author = state.user?.username;
    if (author) {
      // The latest revision of each of the agent's notes: the center keeps the highest, once.
      const notes = cached(db, 'SELECT id, customer_id, interaction_id, text, revision FROM notes WHERE author = ? ORDER BY created_at, id').all(author) as Array<{
        id: string;
        customer_id: string;
        interaction_id: string | null;
        text: string;
        revision: number;
      }>;
      for (const n of notes) {
        queue('note.save', { id: n.id, customerId: n.customer_id, interactionId: n.interaction_id, text: n.text, revision: n.revision }, n.customer_id);
      }
      // Unsynced until this center acknowledges them (and so kept when the cache is dropped below).
      cached(db, 'UPDATE notes SET synced_revision = 0 WHERE author = ?').run(author);
      for (const row of cached(db, 'SELECT data FROM voc_items ORDER BY created_at, id').all() as Array<{ data: string }>) {
        const item = VocItem.safeParse(JSON.parse(row.data));
        if (!item.success || item.data.createdBy !== author) continue;
        const { id, customerId, interactionId, type, topic, description } = item.data;
        queue('voc.create', { id, customerId, interactionId, type, topic, description }, customerId);
      }
    }
    // Every row that was waiting, in its order and under its own mutation id, after the above.
    const insert = cached(
      db,
      `INSERT INTO outbox (seq, mutation_id, client_id, name, args, schema_version, created_at, customer_id)
       SELECT next_seq, ?, client_id, ?, ?, ?, ?, ? FROM sync_state WHERE id = 1`,
    );
    const bump = cached(db, 'UPDATE sync_state SET next_seq = next_seq + 1 WHERE id = 1');
    for (const row of kept) {
      insert.run(row.mutationId, row.name, JSON.stringify(row.args), row.schemaVersion, row.createdAt, row.customerId);
      bump.run();
    }
    clearCache(db);
    return { met: 'renewed', requeued, kept: kept.length };
  })();
}
