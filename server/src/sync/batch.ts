// Set-based apply of a push's note.save and voc.create mutations, the bulk of what desktops send:
// one read of every row the run names, the effects worked out in memory in seq order (with the
// center's rules for notes and VOC items, SYNC.md), then one statement that writes them all. Round
// trips per push no longer grow with the number of mutations. The one-at-a-time fallback of a push
// (push.ts) applies runs of one, so these rules exist once.
import type { Note } from '../../../shared/domain';
import type { Principal } from '../auth/sessions';
import { iso } from '../db/db';
import type { ChangeInput, ChangeTx } from './change-log';
import { MutationRejected, type ParsedMutation } from './mutations';
import { recordCustomerSnapshot } from './scope';

export interface RunItem {
  seq: number;
  mutationId: string;
  /** Parsed arguments, or why the mutation can never succeed (unknown name, invalid arguments). */
  parsed: ParsedMutation | MutationRejected;
}

export interface RunRejection {
  seq: number;
  mutationId: string;
  reason: string;
}

interface NoteState {
  tenantId: string;
  ownerId: string | null;
  revision: number;
  customerId: string;
  interactionId: string | null;
  author: string;
  createdAt: Date;
  isNew: boolean;
  /** Set when this run changes the note's current text (a new note or a newer revision). */
  text?: string;
}

interface LookupRow {
  k: 'now' | 'n' | 'v' | 'c' | 'i' | 'w';
  id: string | null;
  tenant_id: string | null;
  owner: string | null;
  revision: number | null;
  customer_id: string | null;
  interaction_id: string | null;
  author: string | null;
  at: Date | null;
}

/** A run worked out in memory: its rejections and the statement parts that write the rest. */
export interface RunPlan {
  rejected: RunRejection[];
  /** Data-modifying CTEs over the caller's `params`; the last one, `added`, returns working-set additions. */
  ctes: string[];
  /** True when every customer written about is already in the user's working set (no snapshot due). */
  inWorkingSet: boolean;
  /** The note changes to log, after any working-set snapshot. */
  changes: ChangeInput[];
  /** VOC items this run raised: the VOC room registers them (number, routing, clocks) and logs them. */
  raised: RaisedVoc[];
}

/** An item raised by a push, for the VOC room to register in the same transaction. */
export interface RaisedVoc {
  id: string;
  resolvedOnContact: boolean;
}

/**
 * Applies consecutive note.save / voc.create mutations (and rejects invalid ones) in seq order.
 * Returns the rejected ones and the VOC items raised; records the note changes on `tx`. An
 * integrity violation (a row written concurrently by someone else) is thrown: the caller re-runs
 * the push one mutation at a time.
 */
export async function applyRun(tx: ChangeTx, who: Principal, items: readonly RunItem[]): Promise<{ rejected: RunRejection[]; raised: RaisedVoc[] }> {
  const params: unknown[] = [];
  const plan = await planRun(tx, who, items, params);
  if (plan.ctes.length > 0) {
    const added = await tx.q.query<{ customer_id: string }>(`WITH ${plan.ctes.join(',\n')} SELECT customer_id::text AS customer_id FROM added`, params);
    // What this user wrote about entered their working set: a snapshot of it, visible to them.
    if (added.length > 0) await recordCustomerSnapshot(tx, added.map((r) => r.customer_id), who.userId);
  }
  for (const c of plan.changes) tx.record(c);
  return { rejected: plan.rejected, raised: plan.raised };
}

/** Reads what `items` refer to (one round trip) and works out their effects; writes nothing. */
export async function planRun(tx: ChangeTx, who: Principal, items: readonly RunItem[], params: unknown[]): Promise<RunPlan> {
  const { q, tenantId } = tx;
  const lower = (id: string) => id.toLowerCase();
  const noteIds = new Set<string>();
  const vocIds = new Set<string>();
  const customerIds = new Set<string>();
  const interactionIds = new Set<string>();
  for (const it of items) {
    if (it.parsed instanceof MutationRejected) continue;
    const a = it.parsed.args as { id: string; customerId: string; interactionId: string | null };
    (it.parsed.name === 'note.save' ? noteIds : vocIds).add(lower(a.id));
    customerIds.add(lower(a.customerId));
    if (a.interactionId) interactionIds.add(lower(a.interactionId));
  }

  // One round trip for everything the run refers to. Note and VOC ids are looked up in every tenant,
  // so an id already taken elsewhere is refused rather than overwritten.
  const rows = await q.query<LookupRow>(
    `SELECT 'now' AS k, NULL::text AS id, NULL::text AS tenant_id, NULL::text AS owner, NULL::int AS revision,
            NULL::text AS customer_id, NULL::text AS interaction_id, NULL::text AS author, now() AS at
     UNION ALL
     SELECT 'n', id::text, tenant_id, author_user_id::text, revision, customer_id::text, interaction_id::text, author, created_at
       FROM notes WHERE id = ANY($1::uuid[])
     UNION ALL
     SELECT 'v', id::text, tenant_id, created_by_user_id::text, NULL, NULL, NULL, NULL, NULL FROM voc_items WHERE id = ANY($2::uuid[])
     UNION ALL
     SELECT 'c', id::text, NULL, NULL, NULL, COALESCE(merged_into, id)::text, NULL, NULL, NULL
       FROM customers WHERE tenant_id = $3 AND id = ANY($4::uuid[])
     UNION ALL
     SELECT 'i', id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM interactions WHERE tenant_id = $3 AND id = ANY($5::uuid[])
     UNION ALL
     SELECT 'w', customer_id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM working_set
      WHERE user_id = $6::uuid AND customer_id IN (SELECT COALESCE(merged_into, id) FROM customers WHERE tenant_id = $3 AND id = ANY($4::uuid[]))`,
    [[...noteIds], [...vocIds], tenantId, [...customerIds], [...interactionIds], who.userId],
    // Planned on every run, not prepared: a generic plan made while the tables are small scans notes
    // whole, and it is kept until the next ANALYZE (measured on PostgreSQL 15 while a drain grew notes:
    // the lookup went from 0.06 to 2.0 ms for one note and from 11 to 32 ms for 200).
  );
  let now = new Date();
  const notes = new Map<string, NoteState>();
  const vocs = new Map<string, { tenantId: string; ownerId: string | null }>();
  const customers = new Map<string, string>();
  const interactions = new Set<string>();
  const workingSet = new Set<string>();
  for (const r of rows) {
    if (r.k === 'now') now = r.at!;
    else if (r.k === 'n') {
      notes.set(r.id!, {
        tenantId: r.tenant_id!,
        ownerId: r.owner,
        revision: r.revision!,
        customerId: r.customer_id!,
        interactionId: r.interaction_id,
        author: r.author!,
        createdAt: r.at!,
        isNew: false,
      });
    } else if (r.k === 'v') vocs.set(r.id!, { tenantId: r.tenant_id!, ownerId: r.owner });
    else if (r.k === 'c') customers.set(r.id!, r.customer_id!);
    else if (r.k === 'i') interactions.add(r.id!);
    else workingSet.add(r.id!);
  }

  const writable = (customerId: string): string => {
    const id = customers.get(lower(customerId));
    if (!id) throw new MutationRejected('The customer does not exist at the center (it may belong to another tenant).');
    return id;
  };
  // A contact the center does not know (a center restored from a backup older than the call, or one of
  // another tenant): what the agent wrote is kept on its customer, without the link — never lost.
  const linkable = (interactionId: string | null): string | null => (interactionId && interactions.has(lower(interactionId)) ? lower(interactionId) : null);

  const rejected: RunRejection[] = [];
  const revisions = new Map<string, { noteId: string; revision: number; text: string; mutationId: string }>();
  const newVoc: Array<{
    id: string;
    customerId: string;
    interactionId: string | null;
    args: Extract<ParsedMutation, { name: 'voc.create' }>['args'];
  }> = [];
  const wrote = new Set<string>();
  const changedNotes = new Set<string>();
  for (const it of items) {
    const p = it.parsed;
    try {
      if (p instanceof MutationRejected) throw p;
      if (p.name === 'note.save') {
        // Insert-only by id, revisions by the author only, a late revision kept in history and never
        // rejected.
        const a = p.args;
        const id = lower(a.id);
        let n = notes.get(id);
        if (n && (n.tenantId !== tenantId || n.ownerId !== who.userId)) {
          throw new MutationRejected('This note was written by someone else; only its author can revise it.');
        }
        if (!n) {
          const customerId = writable(a.customerId);
          const interactionId = linkable(a.interactionId);
          n = { tenantId, ownerId: who.userId, revision: a.revision, customerId, interactionId, author: who.username, createdAt: now, isNew: true, text: a.text };
          notes.set(id, n);
          wrote.add(customerId);
          changedNotes.add(id);
        } else if (a.revision > n.revision) {
          n.revision = a.revision;
          n.text = a.text;
          changedNotes.add(id);
        }
        const key = `${id}/${a.revision}`;
        if (!revisions.has(key)) revisions.set(key, { noteId: id, revision: a.revision, text: a.text, mutationId: it.mutationId });
      } else if (p.name === 'voc.create') {
        const a = p.args;
        const id = lower(a.id);
        const v = vocs.get(id);
        if (v) {
          if (v.tenantId === tenantId && v.ownerId === who.userId) continue; // a redelivery: one item
          throw new MutationRejected('A VOC item with this id already exists; create it again to get a new id.');
        }
        const customerId = writable(a.customerId);
        const interactionId = linkable(a.interactionId);
        vocs.set(id, { tenantId, ownerId: who.userId });
        wrote.add(customerId);
        newVoc.push({ id, customerId, interactionId, args: a });
      } else {
        throw new Error(`applyRun cannot apply ${p.name}`);
      }
    } catch (err) {
      if (!(err instanceof MutationRejected)) throw err;
      rejected.push({ seq: it.seq, mutationId: it.mutationId, reason: err.message });
    }
  }

  // The writes, as CTEs of one statement. Foreign keys (note_revisions -> notes) are checked at the
  // end of the statement, so the revisions of notes inserted by it are accepted.
  const ctes: string[] = [];
  const inWorkingSet = [...wrote].every((c) => workingSet.has(c));
  if (changedNotes.size === 0 && revisions.size === 0 && newVoc.length === 0) return { rejected, ctes, inWorkingSet, changes: [], raised: [] };
  const p = (value: unknown) => `$${params.push(value)}`;
  const inserted = [...changedNotes].map((id) => [id, notes.get(id)!] as const).filter(([, n]) => n.isNew);
  const revised = [...changedNotes].map((id) => [id, notes.get(id)!] as const).filter(([, n]) => !n.isNew);
  // Every parameter must appear in the statement (an unused one has no type: 42P18), so the author's
  // name is only passed when something new is inserted with it.
  const [T, U] = [p(tenantId), `${p(who.userId)}::uuid`];
  const A = inserted.length > 0 || newVoc.length > 0 ? `${p(who.username)}::text` : 'NULL';
  if (inserted.length > 0) {
    ctes.push(`new_notes AS (
      INSERT INTO notes (id, tenant_id, customer_id, interaction_id, author, author_user_id, text, revision, created_at, updated_at)
      SELECT u.id, ${T}, u.customer_id, u.interaction_id, ${A}, ${U}, u.text, u.revision, now(), now()
        FROM unnest(${p(inserted.map(([id]) => id))}::uuid[], ${p(inserted.map(([, n]) => n.customerId))}::uuid[],
                    ${p(inserted.map(([, n]) => n.interactionId))}::uuid[], ${p(inserted.map(([, n]) => n.text))}::text[],
                    ${p(inserted.map(([, n]) => n.revision))}::int[]) AS u(id, customer_id, interaction_id, text, revision))`);
  }
  if (revised.length > 0) {
    ctes.push(`revised_notes AS (
      UPDATE notes n SET text = u.text, revision = u.revision, updated_at = now()
        FROM unnest(${p(revised.map(([id]) => id))}::uuid[], ${p(revised.map(([, n]) => n.text))}::text[],
                    ${p(revised.map(([, n]) => n.revision))}::int[]) AS u(id, text, revision)
       WHERE n.id = u.id)`);
  }
  if (revisions.size > 0) {
    const revs = [...revisions.values()];
    ctes.push(`revisions AS (
      INSERT INTO note_revisions (note_id, revision, tenant_id, text, mutation_id)
      SELECT u.note_id, u.revision, ${T}, u.text, u.mutation_id
        FROM unnest(${p(revs.map((r) => r.noteId))}::uuid[], ${p(revs.map((r) => r.revision))}::int[],
                    ${p(revs.map((r) => r.text))}::text[], ${p(revs.map((r) => r.mutationId))}::uuid[]) AS u(note_id, revision, text, mutation_id)
      ON CONFLICT (note_id, revision) DO NOTHING)`);
  }
  if (newVoc.length > 0) {
    // Raised as sent; the VOC room registers them in the same transaction (push.ts).
    const col = <T>(f: (v: (typeof newVoc)[number]) => T) => p(newVoc.map(f));
    ctes.push(`new_voc AS (
      INSERT INTO voc_items (id, tenant_id, customer_id, interaction_id, type, topic, description, status, created_by, created_by_user_id, created_at,
                             topic_id, priority, safety, wants)
      SELECT u.id, ${T}, u.customer_id, u.interaction_id, u.type, u.topic, u.description, 'raised', ${A}, ${U}, now(),
             u.topic_id, u.priority, u.safety, u.wants
        FROM unnest(${col((v) => v.id)}::uuid[], ${col((v) => v.customerId)}::uuid[], ${col((v) => v.interactionId)}::uuid[],
                    ${col((v) => v.args.type)}::text[], ${col((v) => v.args.topic)}::text[], ${col((v) => v.args.description)}::text[],
                    ${col((v) => v.args.topicId ?? null)}::text[], ${col((v) => v.args.priority ?? 'normal')}::text[],
                    ${col((v) => v.args.safety ?? false)}::boolean[], ${col((v) => (v.args.type === 'complaint' ? (v.args.wants ?? null) : null))}::text[])
             AS u(id, customer_id, interaction_id, type, topic, description, topic_id, priority, safety, wants))`);
  }
  {
    // What this user wrote about enters their working set (a no-op for the ones already there).
    ctes.push(`added AS (
      INSERT INTO working_set (tenant_id, user_id, customer_id, reason)
      SELECT ${T}, ${U}, u.id, 'wrote' FROM unnest(${p([...wrote])}::uuid[]) AS u(id)
      ON CONFLICT (user_id, customer_id) DO NOTHING RETURNING customer_id)`);
  }
  const changes: ChangeInput[] = [];
  for (const id of changedNotes) {
    const n = notes.get(id)!;
    const note: Note = {
      id,
      customerId: n.customerId,
      interactionId: n.interactionId,
      author: n.author,
      text: n.text!,
      revision: n.revision,
      createdAt: iso(n.createdAt),
      updatedAt: iso(now),
    };
    changes.push({ entity: 'note', id, op: 'upsert', data: note, customerId: n.customerId });
  }
  const raised = newVoc.map((v) => ({ id: v.id, resolvedOnContact: v.args.resolvedOnContact ?? false }));
  return { rejected, ctes, inWorkingSet, changes, raised };
}
