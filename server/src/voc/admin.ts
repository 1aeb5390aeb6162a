// What an administrator sets up for the VOC loop (CLI, admin API, CSV files): the topic catalogue,
// departments with members and a lead, routing rules, SLA targets, working hours, holidays and the
// tenant's VOC settings. Each setter validates everything first and changes nothing when anything is
// wrong, naming the problem; catalogue and department changes travel to every desktop as reference data.
import { z } from 'zod';
import { CalendarDay, CUSTOMER_WANTS, Labels, VOC_PRIORITIES, VOC_TYPES, VocPriority, VocType, WorkingHours, type Department, type VocTopic } from '../../../shared/domain';

import type { Queryable } from '../db/db';
import { loadDepartments, loadVocTopics } from '../db/records';
import { readVocConfig } from './config';
import { readCsv } from '../import/csv';
import type { ChangeTx } from '../sync/change-log';

/** A setup the center cannot take as given; the message names the problem and what to do. */
export class VocSetupError extends Error {
  override readonly name = 'VocSetupError';
}

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a short id of lowercase letters, digits and dashes (e.g. billing)');
const Name = z.string().trim().min(1).max(200);

/** `labels`: the name in other languages (`{"ko": "이중 청구"}`), merged into those already set. */
export const TopicInput = z.object({ id: z.string().max(64), name: Name, labels: Labels, active: z.boolean().default(true) });
export type TopicInput = z.input<typeof TopicInput>;

/** The catalogue's ids are `category` or `category/topic`; a topic's category must exist (or come in the same set). */
export async function setTopics(tx: ChangeTx, topics: readonly TopicInput[]): Promise<VocTopic[]> {
  const parsed: Array<{ id: string; parentId: string | null; name: string; labels: Labels; active: boolean }> = [];
  for (const [i, raw] of topics.entries()) {
    const t = TopicInput.safeParse(raw);
    if (!t.success) throw new VocSetupError(`Topic ${i + 1}: ${z.prettifyError(t.error).replace(/\s+/g, ' ')}`);
    const parts = t.data.id.split('/');
    if (parts.length > 2 || !parts.every((p) => Slug.safeParse(p).success)) {
      throw new VocSetupError(`Topic ${i + 1} "${t.data.id}": an id is "category" or "category/topic", each part lowercase letters, digits and dashes.`);
    }
    parsed.push({ id: t.data.id, parentId: parts.length === 2 ? parts[0]! : null, name: t.data.name, labels: t.data.labels, active: t.data.active });
  }
  const known = new Set([...parsed.filter((t) => t.parentId === null).map((t) => t.id), ...(await topicIds(tx.q, tx.tenantId))]);
  for (const t of parsed) {
    if (t.parentId !== null && !known.has(t.parentId)) throw new VocSetupError(`Topic "${t.id}": its category "${t.parentId}" is not in the catalogue; add the category first (or in the same file).`);
  }
  // Categories before their topics (the foreign key), each upserted.
  for (const t of [...parsed.filter((x) => x.parentId === null), ...parsed.filter((x) => x.parentId !== null)]) {
    await tx.q.query(
      `INSERT INTO voc_topics (tenant_id, id, parent_id, name, labels, active) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, labels = voc_topics.labels || EXCLUDED.labels, active = EXCLUDED.active, updated_at = now()`,
      [tx.tenantId, t.id, t.parentId, t.name, JSON.stringify(t.labels ?? {}), t.active],
    );
  }
  const all = await loadVocTopics(tx.q, tx.tenantId);
  for (const t of all.filter((x) => parsed.some((p) => p.id === x.id))) tx.record({ entity: 'voc_topic', id: t.id, op: 'upsert', data: t });
  return all;
}

/**
 * A catalogue from CSV: `id,name[,active]`, one row per category or topic; row errors name their line.
 * A header row may add the name in other languages as columns `name.ko`, `name.en-GB`, ….
 */
export async function topicsFromCsv(csv: AsyncIterable<Buffer | Uint8Array | string>): Promise<TopicInput[]> {
  const rows: TopicInput[] = [];
  const errors: string[] = [];
  /** Column index → language, from the header's `name.<lang>` columns; where `active` is (third without a header). */
  let labelColumns: Array<[number, string]> = [];
  let activeColumn = 2;
  for await (const row of readCsv(csv)) {
    if ('error' in row) {
      errors.push(`line ${row.line}: ${row.error}`);
      continue;
    }
    const [id = '', name = ''] = row.fields;
    if (row.line === 1 && id.trim().toLowerCase() === 'id') {
      activeColumn = row.fields.findIndex((f) => f.trim().toLowerCase() === 'active');
      labelColumns = row.fields.flatMap((f, i): Array<[number, string]> => {
        const m = /^name[.:]([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/.exec(f.trim());
        return m ? [[i, m[1]!]] : [];
      });
      continue; // the header
    }
    const active = activeColumn >= 0 ? row.fields[activeColumn] : undefined;
    const labels = Object.fromEntries(labelColumns.flatMap(([i, lang]) => (row.fields[i]?.trim() ? [[lang, row.fields[i]!.trim()]] : [])));
    const t = TopicInput.safeParse({
      id: id.trim(),
      name,
      labels,
      active: active === undefined || active.trim() === '' ? true : !/^(false|no|0)$/i.test(active.trim()),
    });
    if (!t.success) errors.push(`line ${row.line}: ${z.prettifyError(t.error).replace(/\s+/g, ' ')}`);
    else rows.push(t.data);
  }
  if (errors.length > 0) throw new VocSetupError(`The catalogue file has ${errors.length} bad row(s); nothing was changed:\n${errors.slice(0, 20).join('\n')}`);
  return rows;
}

async function topicIds(q: Queryable, tenantId: string): Promise<string[]> {
  return (await q.query<{ id: string }>('SELECT id FROM voc_topics WHERE tenant_id = $1', [tenantId])).map((r) => r.id);
}

export const DepartmentInput = z.object({
  id: Slug,
  name: Name,
  /** The name in other languages, merged into those already set. */
  labels: Labels,
  /** Usernames of the members; the lead is one of them. */
  members: z.array(z.string().min(1).max(64)).max(500).default([]),
  lead: z.string().min(1).max(64).nullable().default(null),
  requiresApproval: z.boolean().default(false),
  assignment: z.enum(['round_robin', 'lead']).default('round_robin'),
  active: z.boolean().default(true),
});
export type DepartmentInput = z.input<typeof DepartmentInput>;

/** Creates or replaces a department, its members and its lead (all users of the tenant). */
export async function setDepartment(tx: ChangeTx, raw: DepartmentInput): Promise<Department> {
  const parsed = DepartmentInput.safeParse(raw);
  if (!parsed.success) throw new VocSetupError(`Department: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}`);
  const d = parsed.data;
  const names = [...new Set([...d.members, ...(d.lead ? [d.lead] : [])])];
  const users = await tx.q.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE tenant_id = $1 AND username = ANY($2::text[]) AND NOT disabled', [tx.tenantId, names]);
  const missing = names.filter((n) => !users.some((u) => u.username === n));
  if (missing.length > 0) throw new VocSetupError(`Department ${d.id}: no user ${missing.map((m) => `"${m}"`).join(', ')} in this tenant; add the users first (earshot-center user add …).`);
  const idOf = (username: string) => users.find((u) => u.username === username)!.id;
  await tx.q.query(
    `INSERT INTO departments (tenant_id, id, name, labels, lead_user_id, requires_approval, assignment, active) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, labels = departments.labels || EXCLUDED.labels, lead_user_id = EXCLUDED.lead_user_id,
       requires_approval = EXCLUDED.requires_approval, assignment = EXCLUDED.assignment, active = EXCLUDED.active, updated_at = now()`,
    [tx.tenantId, d.id, d.name, JSON.stringify(d.labels ?? {}), d.lead ? idOf(d.lead) : null, d.requiresApproval, d.assignment, d.active],
  );
  const memberIds = d.members.map(idOf);
  await tx.q.query('DELETE FROM department_members WHERE tenant_id = $1 AND department_id = $2 AND NOT (user_id = ANY($3::uuid[]))', [tx.tenantId, d.id, memberIds]);
  await tx.q.query(
    `INSERT INTO department_members (tenant_id, department_id, user_id) SELECT $1, $2, u FROM unnest($3::uuid[]) AS u ON CONFLICT DO NOTHING`,
    [tx.tenantId, d.id, memberIds],
  );
  const dept = (await loadDepartments(tx.q, tx.tenantId)).find((x) => x.id === d.id)!;
  tx.record({ entity: 'department', id: dept.id, op: 'upsert', data: dept });
  return dept;
}

export const RoutingRuleInput = z.object({
  type: VocType.nullable().default(null),
  topicPrefix: z.string().max(64).nullable().default(null),
  priority: VocPriority.nullable().default(null),
  /** null: recorded for analysis only. */
  department: z.string().max(64).nullable(),
});
export type RoutingRuleInput = z.input<typeof RoutingRuleInput>;

/** Replaces the tenant's routing rules (first match wins) and its default department. */
export async function setRouting(tx: ChangeTx, rules: readonly RoutingRuleInput[], defaultDepartment: string | null): Promise<void> {
  const departments = new Set((await tx.q.query<{ id: string }>('SELECT id FROM departments WHERE tenant_id = $1 AND active', [tx.tenantId])).map((r) => r.id));
  const topics = new Set(await topicIds(tx.q, tx.tenantId));
  const parsed = rules.map((raw, i) => {
    const r = RoutingRuleInput.safeParse(raw);
    if (!r.success) throw new VocSetupError(`Routing rule ${i + 1}: ${z.prettifyError(r.error).replace(/\s+/g, ' ')}`);
    if (r.data.department !== null && !departments.has(r.data.department)) throw new VocSetupError(`Routing rule ${i + 1}: there is no active department "${r.data.department}".`);
    if (r.data.topicPrefix !== null && !topics.has(r.data.topicPrefix)) throw new VocSetupError(`Routing rule ${i + 1}: the topic "${r.data.topicPrefix}" is not in the catalogue.`);
    return r.data;
  });
  if (defaultDepartment !== null && !departments.has(defaultDepartment)) throw new VocSetupError(`The default department "${defaultDepartment}" does not exist or is not active.`);
  await tx.q.query('DELETE FROM voc_routing_rules WHERE tenant_id = $1', [tx.tenantId]);
  for (const [i, r] of parsed.entries()) {
    await tx.q.query('INSERT INTO voc_routing_rules (tenant_id, position, type, topic_prefix, priority, department_id) VALUES ($1, $2, $3, $4, $5, $6)', [
      tx.tenantId,
      i + 1,
      r.type,
      r.topicPrefix,
      r.priority,
      r.department,
    ]);
  }
  await upsertSettings(tx.q, tx.tenantId, { default_department_id: defaultDepartment });
}

export const SlaTargetInput = z.object({
  type: VocType,
  priority: VocPriority,
  acknowledge: z.number().int().min(0).max(525_600),
  resolve: z.number().int().min(0).max(525_600),
  notify: z.number().int().min(0).max(525_600),
});
export type SlaTargetInput = z.infer<typeof SlaTargetInput>;

/**
 * Replaces the SLA targets (working minutes). The table must have no gaps: every type × priority
 * once, and acknowledge ≤ resolve ≤ notify.
 */
export async function setSlaTargets(tx: ChangeTx, targets: readonly SlaTargetInput[]): Promise<void> {
  const seen = new Map<string, SlaTargetInput>();
  for (const [i, raw] of targets.entries()) {
    const t = SlaTargetInput.safeParse(raw);
    if (!t.success) throw new VocSetupError(`SLA target ${i + 1}: ${z.prettifyError(t.error).replace(/\s+/g, ' ')}`);
    const key = `${t.data.type}/${t.data.priority}`;
    if (seen.has(key)) throw new VocSetupError(`SLA targets: ${key} is given twice; give each type and priority once.`);
    if (!(t.data.acknowledge <= t.data.resolve && t.data.resolve <= t.data.notify)) {
      throw new VocSetupError(`SLA target ${key}: acknowledge (${t.data.acknowledge}) ≤ resolve (${t.data.resolve}) ≤ notify (${t.data.notify}) minutes, in that order.`);
    }
    seen.set(key, t.data);
  }
  const gaps = VOC_TYPES.flatMap((type) => VOC_PRIORITIES.map((priority) => `${type}/${priority}`)).filter((k) => !seen.has(k));
  if (gaps.length > 0) throw new VocSetupError(`The SLA table has gaps: no targets for ${gaps.join(', ')}. Give every type × priority (${VOC_TYPES.length * VOC_PRIORITIES.length} rows); nothing was changed.`);
  await tx.q.query('DELETE FROM voc_sla_targets WHERE tenant_id = $1', [tx.tenantId]);
  await tx.q.query(
    `INSERT INTO voc_sla_targets (tenant_id, type, priority, acknowledge_minutes, resolve_minutes, notify_minutes)
     SELECT $1, x.type, x.priority, x.acknowledge, x.resolve, x.notify FROM json_to_recordset($2::json) AS x(type text, priority text, acknowledge int, resolve int, notify int)`,
    [tx.tenantId, JSON.stringify([...seen.values()])],
  );
}

/** Replaces the working hours (one interval per weekday at most). */
export async function setWorkingHours(q: Queryable, tenantId: string, hours: readonly z.input<typeof WorkingHours>[]): Promise<void> {
  const parsed = hours.map((raw, i) => {
    const h = WorkingHours.safeParse(raw);
    if (!h.success) throw new VocSetupError(`Working hours ${i + 1}: ${z.prettifyError(h.error).replace(/\s+/g, ' ')}`);
    return h.data;
  });
  const days = parsed.map((h) => h.weekday);
  if (new Set(days).size !== days.length) throw new VocSetupError('Working hours: one interval per weekday (0 = Sunday … 6 = Saturday); a day is given twice.');
  if (parsed.length === 0) throw new VocSetupError('Working hours: give at least one working day; deadlines need working time to run on.');
  await q.query('DELETE FROM business_hours WHERE tenant_id = $1', [tenantId]);
  for (const h of parsed) await q.query('INSERT INTO business_hours (tenant_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)', [tenantId, h.weekday, h.opens, h.closes]);
}

/** Holidays from CSV `date,name` (YYYY-MM-DD); a bad date fails the whole file with its line. `replace`: the file is the whole table. */
export async function holidaysFromCsv(csv: AsyncIterable<Buffer | Uint8Array | string>): Promise<Array<{ day: string; name: string }>> {
  const days: Array<{ day: string; name: string }> = [];
  const errors: string[] = [];
  for await (const row of readCsv(csv)) {
    if ('error' in row) {
      errors.push(`line ${row.line}: ${row.error}`);
      continue;
    }
    const [day = '', name = ''] = row.fields.map((f) => f.trim());
    if (row.line === 1 && /^(date|day)$/i.test(day)) continue;
    if (day === '' && name === '') continue;
    const d = CalendarDay.safeParse(day);
    if (!d.success) errors.push(`line ${row.line}: "${day.slice(0, 40)}" is not a date (YYYY-MM-DD, one that exists).`);
    else days.push({ day: d.data, name: name.slice(0, 200) });
  }
  if (errors.length > 0) throw new VocSetupError(`The holiday file has ${errors.length} bad row(s); nothing was changed:\n${errors.slice(0, 20).join('\n')}`);
  return days;
}

export async function setHolidays(q: Queryable, tenantId: string, days: ReadonlyArray<{ day: string; name: string }>, replace: boolean): Promise<number> {
  for (const d of days) if (!CalendarDay.safeParse(d.day).success) throw new VocSetupError(`"${d.day}" is not a date (YYYY-MM-DD, one that exists); nothing was changed.`);
  if (replace) await q.query('DELETE FROM holidays WHERE tenant_id = $1', [tenantId]);
  await q.query(
    `INSERT INTO holidays (tenant_id, day, name) SELECT $1, x.day::date, x.name FROM json_to_recordset($2::json) AS x(day text, name text)
     ON CONFLICT (tenant_id, day) DO UPDATE SET name = EXCLUDED.name`,
    [tenantId, JSON.stringify(days)],
  );
  return days.length;
}

export const VocSettingsInput = z.object({
  happyCallTypes: z.array(VocType).max(5).optional(),
  happyCallAfterMinutes: z.number().int().min(0).max(525_600).nullable().optional(),
  followUpMaxAttempts: z.number().int().min(1).max(20).optional(),
  followUpRetryMinutes: z.number().int().min(0).max(10_080).optional(),
  placeCallUrl: z.string().url().max(500).refine((u) => /^https?:\/\//.test(u), 'an http(s) URL').nullable().optional(),
});

export async function setVocSettings(q: Queryable, tenantId: string, raw: z.input<typeof VocSettingsInput>): Promise<void> {
  const s = VocSettingsInput.safeParse(raw);
  if (!s.success) throw new VocSetupError(`VOC settings: ${z.prettifyError(s.error).replace(/\s+/g, ' ')}`);
  await upsertSettings(q, tenantId, {
    ...(s.data.happyCallTypes !== undefined && { happy_call_types: s.data.happyCallTypes }),
    ...(s.data.happyCallAfterMinutes !== undefined && { happy_call_after_minutes: s.data.happyCallAfterMinutes }),
    ...(s.data.followUpMaxAttempts !== undefined && { follow_up_max_attempts: s.data.followUpMaxAttempts }),
    ...(s.data.followUpRetryMinutes !== undefined && { follow_up_retry_minutes: s.data.followUpRetryMinutes }),
    ...(s.data.placeCallUrl !== undefined && { place_call_url: s.data.placeCallUrl }),
  });
}

const SETTING_COLUMNS = ['default_department_id', 'happy_call_types', 'happy_call_after_minutes', 'follow_up_max_attempts', 'follow_up_retry_minutes', 'place_call_url'] as const;
async function upsertSettings(q: Queryable, tenantId: string, values: Partial<Record<(typeof SETTING_COLUMNS)[number], unknown>>): Promise<void> {
  await q.query('INSERT INTO voc_settings (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [tenantId]);
  for (const [column, value] of Object.entries(values)) {
    if (!(SETTING_COLUMNS as readonly string[]).includes(column)) continue;
    await q.query(`UPDATE voc_settings SET ${column} = $2 WHERE tenant_id = $1`, [tenantId, value]);
  }
}

/** For the CLI's help and validation messages. */
export const VOC_VOCABULARY = { types: VOC_TYPES, priorities: VOC_PRIORITIES, wants: CUSTOMER_WANTS };

/** The whole setup, as the admin API and `earshot-center voc show` print it. */
export async function describeVocSetup(q: Queryable, tenantId: string) {
  const cfg = await readVocConfig(q, tenantId);
  return {
    timeZone: cfg.calendar.timeZone,
    topics: await loadVocTopics(q, tenantId),
    departments: await loadDepartments(q, tenantId),
    routing: { rules: cfg.rules, default: cfg.defaultDepartmentId },
    sla: [...cfg.sla].map(([key, v]) => ({ type: key.split('/')[0], priority: key.split('/')[1], ...v })),
    hours: cfg.calendar.hours,
    holidays: [...cfg.calendar.holidays].sort(),
    settings: {
      happyCallTypes: [...cfg.happyCallTypes],
      happyCallAfterMinutes: cfg.happyCallAfterMinutes,
      followUpMaxAttempts: cfg.followUpMaxAttempts,
      followUpRetryMinutes: cfg.followUpRetryMinutes,
      placeCallUrl: cfg.placeCallUrl,
    },
  };
}

/** SLA targets from CSV `type,priority,acknowledge,resolve,notify` (working minutes); row errors name their line. */
export async function slaFromCsv(csv: AsyncIterable<Buffer | Uint8Array | string>): Promise<SlaTargetInput[]> {
  const rows: SlaTargetInput[] = [];
  const errors: string[] = [];
  for await (const row of readCsv(csv)) {
    if ('error' in row) {
      errors.push(`line ${row.line}: ${row.error}`);
      continue;
    }
    const [type = '', priority = '', acknowledge = '', resolve = '', notify = ''] = row.fields.map((f) => f.trim());
    if (row.line === 1 && type.toLowerCase() === 'type') continue;
    const t = SlaTargetInput.safeParse({ type, priority, acknowledge: Number(acknowledge), resolve: Number(resolve), notify: Number(notify) });
    if (!t.success || [acknowledge, resolve, notify].some((n) => n === '')) errors.push(`line ${row.line}: want type,priority,acknowledge,resolve,notify with whole minutes (e.g. complaint,high,120,540,1080).`);
    else rows.push(t.data);
  }
  if (errors.length > 0) throw new VocSetupError(`The SLA file has ${errors.length} bad row(s); nothing was changed:\n${errors.slice(0, 20).join('\n')}`);
  return rows;
}
