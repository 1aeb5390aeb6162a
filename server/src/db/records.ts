// Reads the center's rows back as the shared domain entities (the one shape used on the wire).
import type { Department, VocTopic, Consent, Customer, CustomerFlag, CustomerValue, Identity, Interaction, Note, Queue, VocItem } from '../../../shared/domain';
import { iso, isoOrNull, type Queryable } from './db';

export interface CustomerRow {
  id: string;
  display_name: string;
  language: string;
  segment: string | null;
  consent: Consent;
  value: CustomerValue | null;
  flags: CustomerFlag[];
  provisional: boolean;
  updated_at: Date | string;
  created_at: Date | string;
  identities: Identity[] | null;
}

/** Customers of `tenantId` by id (missing ids are left out), with their identities. */
export async function loadCustomers(q: Queryable, tenantId: string, ids: readonly string[]): Promise<Customer[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<CustomerRow>(
    `SELECT c.id, c.display_name, c.language, c.segment, c.consent, c.value, c.flags, c.provisional, c.updated_at, c.created_at,
            (SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'value', i.value) ORDER BY i.kind, i.value)
               FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id) AS identities
       FROM customers c
      WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])
      ORDER BY c.id`,
    [tenantId, ids],
  );
  return rows.map(toCustomer);
}

/** The SELECT list of `loadCustomers` over `customers c` (with the identities), for queries of other modules. */
export const CUSTOMER_SELECT = `c.id, c.display_name, c.language, c.segment, c.consent, c.value, c.flags, c.provisional, c.updated_at, c.created_at,
  (SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'value', i.value) ORDER BY i.kind, i.value)
     FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id) AS identities`;

/** A customers row (timestamps as Date, or as the strings of a jsonb row) as the shared entity. */
export function toCustomer(r: CustomerRow): Customer {
  return {
    id: r.id,
    displayName: r.display_name,
    language: r.language,
    segment: r.segment,
    identities: r.identities ?? [],
    consent: r.consent,
    value: r.value,
    flags: r.flags,
    provisional: r.provisional,
    updatedAt: iso(r.updated_at),
    since: iso(r.created_at),
  };
}

export const INTERACTION_COLUMNS = `id, customer_id, channel, direction, queue, agent, started_at, answered_at, ended_at,
  ani, dnis, disposition, subject`;
export interface InteractionRow {
  id: string;
  customer_id: string | null;
  channel: Interaction['channel'];
  direction: Interaction['direction'];
  queue: string | null;
  agent: string | null;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  ani: string | null;
  dnis: string | null;
  disposition: string | null;
  subject: string | null;
}
export const toInteraction = (r: InteractionRow): Interaction => ({
  id: r.id,
  customerId: r.customer_id,
  channel: r.channel,
  direction: r.direction,
  queue: r.queue,
  agent: r.agent,
  startedAt: iso(r.started_at),
  answeredAt: isoOrNull(r.answered_at),
  endedAt: isoOrNull(r.ended_at),
  ani: r.ani,
  dnis: r.dnis,
  disposition: r.disposition,
  subject: r.subject,
});

export async function loadInteractions(q: Queryable, tenantId: string, ids: readonly string[]): Promise<Interaction[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<InteractionRow>(
    `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY started_at DESC, id`,
    [tenantId, ids],
    // On every offered call and every recorded change of a contact: planned once, not each time.
    { prepare: true },
  );
  return rows.map(toInteraction);
}

/** A customer's most recent interactions across channels, newest first. */
export async function loadRecentInteractions(q: Queryable, tenantId: string, customerId: string, limit: number): Promise<Interaction[]> {
  const rows = await q.query<InteractionRow>(
    `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE tenant_id = $1 AND customer_id = $2
      ORDER BY started_at DESC, id LIMIT $3`,
    [tenantId, customerId, limit],
  );
  return rows.map(toInteraction);
}

export interface NoteRow {
  id: string;
  customer_id: string;
  interaction_id: string | null;
  author: string;
  text: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
}
export const toNote = (r: NoteRow): Note => ({
  id: r.id,
  customerId: r.customer_id,
  interactionId: r.interaction_id,
  author: r.author,
  text: r.text,
  revision: r.revision,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});
export const NOTE_COLUMNS = 'id, customer_id, interaction_id, author, text, revision, created_at, updated_at';

/** Notes selected by one of: their ids, their customers, their interactions. */
export async function loadNotes(
  q: Queryable,
  tenantId: string,
  by: { ids?: readonly string[]; customerIds?: readonly string[]; interactionIds?: readonly string[] },
): Promise<Note[]> {
  const [column, values] = by.ids ? ['id', by.ids] : by.customerIds ? ['customer_id', by.customerIds] : ['interaction_id', by.interactionIds ?? []];
  if (values.length === 0) return [];
  const rows = await q.query<NoteRow>(
    `SELECT ${NOTE_COLUMNS} FROM notes WHERE tenant_id = $1 AND ${column} = ANY($2::uuid[]) ORDER BY created_at, id`,
    [tenantId, values],
  );
  return rows.map(toNote);
}

/** A timestamp column as JSON text, exactly as `iso()` writes it (UTC, milliseconds). */
export const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const deadlineJson = (v: string, due: string, met: string, overdue: string) =>
  `CASE WHEN ${v}.clock_started_at IS NULL THEN NULL ELSE json_build_object('dueAt', ${isoSql(`${v}.${due}`)}, 'metAt', ${isoSql(`${v}.${met}`)}, 'overdue', ${v}.${overdue}) END`;

/**
 * The VocItem entity built by SQL from a voc_items row aliased `v` (its owner's name read alongside):
 * the one definition every reader uses — screen pop, grants, bootstrap, the workflow's change log.
 */
export const vocItemJson = (v: string) => `json_build_object(
  'id', ${v}.id, 'customerId', ${v}.customer_id, 'interactionId', ${v}.interaction_id, 'type', ${v}.type,
  'topic', ${v}.topic, 'description', ${v}.description, 'status', ${v}.status, 'createdBy', ${v}.created_by,
  'createdAt', ${isoSql(`${v}.created_at`)}, 'number', ${v}.number, 'topicId', ${v}.topic_id, 'priority', ${v}.priority,
  'safety', ${v}.safety, 'wants', ${v}.wants, 'departmentId', ${v}.department_id, 'ownerUserId', ${v}.owner_user_id,
  'ownerName', (SELECT u.display_name FROM users u WHERE u.id = ${v}.owner_user_id),
  'deadlines', json_build_object(
    'acknowledge', ${deadlineJson(v, 'acknowledge_due', 'acknowledged_at', 'acknowledge_overdue')},
    'resolve', ${deadlineJson(v, 'resolve_due', 'resolved_at', 'resolve_overdue')},
    'notify', ${deadlineJson(v, 'notify_due', 'notified_at', 'notify_overdue')}),
  'result', ${v}.result, 'remedy', ${v}.remedy, 'notifiedVia', ${v}.notified_via, 'notifiedAt', ${isoSql(`${v}.notified_at`)},
  'followUpOutcome', ${v}.follow_up_outcome, 'updatedAt', ${isoSql(`${v}.updated_at`)})`;

/** A row selected with VOC_COLUMNS: the entity, as json (PostgreSQL and PGlite hand it over parsed). */
export interface VocRow {
  item: VocItem | string;
}
export const toVoc = (r: VocRow): VocItem => (typeof r.item === 'string' ? (JSON.parse(r.item) as VocItem) : r.item);
/** Select list of a voc_items query (the table aliased `voc_items`, or as `VOC_COLUMNS_OF(alias)` says). */
export const vocColumnsOf = (v: string) => `${vocItemJson(v)} AS item, ${v}.created_at, ${v}.id`;
export const VOC_COLUMNS = vocColumnsOf('voc_items');

export async function loadVocItems(
  q: Queryable,
  tenantId: string,
  by: { ids?: readonly string[]; customerIds?: readonly string[]; interactionIds?: readonly string[] },
): Promise<VocItem[]> {
  const [column, values] = by.ids ? ['id', by.ids] : by.customerIds ? ['customer_id', by.customerIds] : ['interaction_id', by.interactionIds ?? []];
  if (values.length === 0) return [];
  const rows = await q.query<VocRow>(
    `SELECT ${VOC_COLUMNS} FROM voc_items WHERE tenant_id = $1 AND ${column} = ANY($2::uuid[]) ORDER BY created_at, id`,
    [tenantId, values],
  );
  return rows.map(toVoc);
}

export async function loadQueues(q: Queryable, tenantId: string, ids?: readonly string[]): Promise<Queue[]> {
  const rows = await q.query<{ id: string; name: string; labels: Queue['labels']; disposition_required: boolean; codes: Queue['dispositionCodes'] | null }>(
    `SELECT qu.id, qu.name, qu.labels, qu.disposition_required,
            (SELECT jsonb_agg(jsonb_build_object('code', d.code, 'label', d.label, 'labels', d.labels) ORDER BY d.position)
               FROM queue_disposition_codes d WHERE d.tenant_id = qu.tenant_id AND d.queue_id = qu.id) AS codes
       FROM queues qu WHERE qu.tenant_id = $1 AND ($2::text[] IS NULL OR qu.id = ANY($2::text[])) ORDER BY qu.id`,
    [tenantId, ids ?? null],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, labels: r.labels, dispositionCodes: r.codes ?? [], dispositionRequired: r.disposition_required }));
}

/** The VOC topic catalogue (reference data). */
export async function loadVocTopics(q: Queryable, tenantId: string): Promise<VocTopic[]> {
  const rows = await q.query<{ id: string; parent_id: string | null; name: string; labels: VocTopic['labels']; active: boolean }>(
    'SELECT id, parent_id, name, labels, active FROM voc_topics WHERE tenant_id = $1 ORDER BY id',
    [tenantId],
  );
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name, labels: r.labels, active: r.active }));
}

/** The departments with their members (reference data). */
export async function loadDepartments(q: Queryable, tenantId: string): Promise<Department[]> {
  const rows = await q.query<{
    id: string;
    name: string;
    labels: Department['labels'];
    lead_user_id: string | null;
    requires_approval: boolean;
    assignment: 'round_robin' | 'lead';
    active: boolean;
    members: Array<{ userId: string; name: string }> | string | null;
  }>(
    `SELECT d.id, d.name, d.labels, d.lead_user_id, d.requires_approval, d.assignment, d.active,
            (SELECT json_agg(json_build_object('userId', u.id, 'name', u.display_name) ORDER BY u.display_name, u.id)
               FROM department_members m JOIN users u ON u.id = m.user_id
              WHERE m.tenant_id = d.tenant_id AND m.department_id = d.id) AS members
       FROM departments d WHERE d.tenant_id = $1 ORDER BY d.id`,
    [tenantId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    labels: r.labels,
    leadUserId: r.lead_user_id,
    requiresApproval: r.requires_approval,
    assignment: r.assignment,
    active: r.active,
    members: (typeof r.members === 'string' ? (JSON.parse(r.members) as Array<{ userId: string; name: string }>) : r.members) ?? [],
  }));
}

/** Every desktop's reference data, in one order: queues (with disposition codes), the VOC catalogue, departments. */
export async function loadReferenceData(q: Queryable, tenantId: string): Promise<Array<{ entity: 'queue' | 'voc_topic' | 'department'; id: string; data: unknown }>> {
  return [
    ...(await loadQueues(q, tenantId)).map((x) => ({ entity: 'queue' as const, id: x.id, data: x })),
    ...(await loadVocTopics(q, tenantId)).map((x) => ({ entity: 'voc_topic' as const, id: x.id, data: x })),
    ...(await loadDepartments(q, tenantId)).map((x) => ({ entity: 'department' as const, id: x.id, data: x })),
  ];
}
