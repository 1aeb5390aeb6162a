// The VOC analysis (VOC.md, step 9), read from the rollups (never a scan of the raw items, except a
// cell's own items when someone drills into it): for a period and a scope, the topic × type matrix
// against the previous period of the same length, the weekly trend per type, the topics rising most,
// want-slips' share, deadline compliance per department, the reopen rate, happy-call satisfaction,
// and the time from raised to the customer told (median and p90 from the rollup's histogram).
import { z } from 'zod';
import { CHANNELS, Tier, VOC_TYPES, VocType, type VocStatus } from '../../../shared/domain';
import { CenterError } from '../base/errors';
import type { Queryable } from '../db/db';
import { TOLD_BOUNDS_MINUTES, TOLD_BUCKETS } from './rollups';

const DAY_MS = 86_400_000;
/** The longest period the analysis answers. */
export const MAX_PERIOD_YEARS = 5;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is a date like 2026-10-01');
const Slug = z.string().min(1).max(64);

/** What a person asks for: the period (days, inclusive, in the tenant's time zone) and the scope. */
export const AnalysisQuery = z.object({
  from: Day.optional(),
  to: Day.optional(),
  department: Slug.optional(),
  queue: Slug.optional(),
  channel: z.enum(CHANNELS, { error: (i) => `There is no channel "${String(i.input)}"; give one of ${CHANNELS.join(', ')}` }).optional(),
  /** A value tier, or "none": customers with no tier known. */
  tier: z.enum([...Tier.options, 'none'], { error: (i) => `There is no value tier "${String(i.input)}"; give one of ${[...Tier.options, 'none'].join(', ')}` }).optional(),
  /** Splits the matrix by the customer's value tier (when the item was raised). */
  split: z.enum(['tier'], { error: (i) => `The matrix cannot be split by "${String(i.input)}"; only by "tier"` }).optional(),
});
export type AnalysisQuery = z.infer<typeof AnalysisQuery>;

export interface Period {
  from: string;
  to: string;
  days: number;
}

export interface Scope {
  tenantId: string;
  period: Period;
  previous: Period;
  department?: string;
  queue?: string;
  channel?: string;
  /** '' for customers with no tier known. */
  tier?: string;
  split?: 'tier';
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Today in the tenant's time zone. */
function localToday(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Checks a query against the tenant (its topics, departments, queues) and works out both periods; refuses with a reason (400). */
export async function resolveScope(q: Queryable, tenantId: string, raw: AnalysisQuery, now = new Date()): Promise<Scope> {
  const [tenant] = await q.query<{ time_zone: string }>('SELECT time_zone FROM tenants WHERE id = $1', [tenantId]);
  if (!tenant) throw new CenterError('not_found', 'This tenant does not exist.');
  const to = raw.to ?? localToday(tenant.time_zone, now);
  const from = raw.from ?? dayOf(msOf(to) - 89 * DAY_MS);
  for (const [name, day] of [['from', from], ['to', to]] as const) {
    if (Number.isNaN(msOf(day)) || dayOf(msOf(day)) !== day) throw new CenterError('bad_request', `"${name}" ${day} is not a real date; give one like 2026-10-01.`);
  }
  if (to < from) throw new CenterError('bad_request', `The period ends (${to}) before it starts (${from}); give "from" on or before "to".`);
  const days = Math.round((msOf(to) - msOf(from)) / DAY_MS) + 1;
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const limit = dayOf(Date.UTC(fy + MAX_PERIOD_YEARS, fm - 1, fd));
  if (to >= limit) throw new CenterError('bad_request', `The period from ${from} to ${to} spans more than ${MAX_PERIOD_YEARS} years; ask for a shorter one.`);
  if (raw.department) {
    const [d] = await q.query('SELECT 1 FROM departments WHERE tenant_id = $1 AND id = $2', [tenantId, raw.department]);
    if (!d) throw new CenterError('bad_request', `There is no department "${raw.department}"; pick one from the list.`);
  }
  if (raw.queue) {
    const [d] = await q.query('SELECT 1 FROM queues WHERE tenant_id = $1 AND id = $2', [tenantId, raw.queue]);
    if (!d) throw new CenterError('bad_request', `There is no queue "${raw.queue}"; pick one from the list.`);
  }
  const previous = { from: dayOf(msOf(from) - days * DAY_MS), to: dayOf(msOf(from) - DAY_MS), days };
  return { tenantId, period: { from, to, days }, previous, department: raw.department, queue: raw.queue, channel: raw.channel, tier: raw.tier === 'none' ? '' : raw.tier, split: raw.split };
}

/** The scope's conditions on rollup rows (or items, through `col`), appended to `params`. */
function scopeWhere(s: Scope, params: unknown[], col: (c: 'department_id' | 'queue' | 'channel' | 'tier') => string = (c) => c): string {
  const conds: string[] = [];
  const add = (c: 'department_id' | 'queue' | 'channel' | 'tier', v: string | undefined) => {
    if (v === undefined) return;
    params.push(v);
    conds.push(`${col(c)} = $${params.length}`);
  };
  add('department_id', s.department);
  add('queue', s.queue);
  add('channel', s.channel);
  add('tier', s.tier);
  return conds.map((c) => ` AND ${c}`).join('');
}

/** Splits [from, to] into whole calendar months and the days left at either edge. */
export function monthsAndDays(from: string, to: string): { months: string[]; days: string[] } {
  const months: string[] = [];
  const days: string[] = [];
  let d = msOf(from);
  const end = msOf(to);
  while (d <= end) {
    const day = new Date(d);
    const nextMonth = Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1);
    if (day.getUTCDate() === 1 && nextMonth - DAY_MS <= end) {
      months.push(dayOf(d));
      d = nextMonth;
    } else {
      days.push(dayOf(d));
      d += DAY_MS;
    }
  }
  return { months, days };
}

/** The rollup rows covering both periods: whole months from the monthly rollup, the edges from the daily one. */
function rollupRows(s: Scope, params: unknown[]): string {
  const cur = monthsAndDays(s.period.from, s.period.to);
  const prev = monthsAndDays(s.previous.from, s.previous.to);
  params.push([...prev.months, ...cur.months], [...prev.days, ...cur.days]);
  const m = params.length - 1;
  return `(SELECT * FROM voc_rollup_months WHERE tenant_id = $1 AND day = ANY($${m}::date[])
           UNION ALL SELECT * FROM voc_rollup_days WHERE tenant_id = $1 AND day = ANY($${m + 1}::date[])) r`;
}

export interface MatrixCell {
  topicId: string | null;
  type: VocType;
  /** Only when split by tier: the customer's value tier when raised (null: none known). */
  tier?: string | null;
  count: number;
  previous: number;
}
export interface Matrix {
  period: Period;
  previous: Period;
  split: 'tier' | null;
  topics: Array<{ id: string | null; name: string }>;
  types: readonly VocType[];
  cells: MatrixCell[];
}

/** The rollup's '' (no topic, department or tier) as null. */
const noneAsNull = (t: string) => (t === '' ? null : t);

/** The topic × type matrix of the period (× value tier when split), each cell with the previous period's count. */
export async function matrix(q: Queryable, s: Scope): Promise<Matrix> {
  const params: unknown[] = [s.tenantId, s.period.from];
  const from = rollupRows(s, params);
  const by = s.split === 'tier' ? 'topic_id, type, tier' : 'topic_id, type';
  const rows = await q.query<{ topic_id: string; type: VocType; tier?: string; count: number; previous: number }>(
    `SELECT ${by}, COALESCE(sum(raised) FILTER (WHERE day >= $2), 0)::int AS count, COALESCE(sum(raised) FILTER (WHERE day < $2), 0)::int AS previous
       FROM ${from} WHERE true${scopeWhere(s, params)}
      GROUP BY ${by} HAVING sum(raised) <> 0`,
    params,
  );
  const names = new Map(
    (await q.query<{ id: string; name: string; parent: string | null }>(
      'SELECT t.id, t.name, p.name AS parent FROM voc_topics t LEFT JOIN voc_topics p ON p.tenant_id = t.tenant_id AND p.id = t.parent_id WHERE t.tenant_id = $1',
      [s.tenantId],
    )).map((t) => [t.id, t.parent ? `${t.parent} › ${t.name}` : t.name]),
  );
  const topicIds = [...new Set(rows.map((r) => r.topic_id))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  return {
    period: s.period,
    previous: s.previous,
    split: s.split ?? null,
    topics: topicIds.map((id) => ({ id: noneAsNull(id), name: id === '' ? 'Unclassified' : (names.get(id) ?? id) })),
    types: VOC_TYPES,
    cells: rows.map((r) => ({ topicId: noneAsNull(r.topic_id), type: r.type, ...(r.tier === undefined ? {} : { tier: noneAsNull(r.tier) }), count: r.count, previous: r.previous })),
  };
}

export interface Compliance {
  departmentId: string | null;
  acknowledge: { onTime: number; late: number; missed: number; rate: number | null };
  resolve: { onTime: number; late: number; missed: number; rate: number | null };
  notify: { onTime: number; late: number; missed: number; rate: number | null };
}

/** The headline figures of a set of items (the whole scope, or one value tier of it). */
export interface Summary {
  raised: number;
  wantSlipShare: number | null;
  reopenRate: number | null;
  satisfaction: { satisfied: number; answered: number; rate: number | null };
  raisedToTold: { told: number; meanMinutes: number | null; medianMinutes: number | null; p90Minutes: number | null; /** the quantile lies in the last, open bucket: "at least" */ beyondLastBucket: boolean };
}

/** Rising topics: at least this many items in the period (fewer is noise), ranked by the increase over the previous period. */
export const RISING_MIN_COUNT = 5;
export const RISING_LIMIT = 10;

export interface Figures extends Summary {
  period: Period;
  previous: Period;
  /** Every week (Monday first) that meets the period, weeks with no item as zeros; the first and last may be partial. */
  weekly: Array<{ week: string } & Record<VocType, number>>;
  rising: Array<{ topicId: string | null; count: number; previous: number; change: number }>;
  risingRule: { minCount: number; limit: number };
  compliance: Compliance[];
  /** The same figures per value tier (as when each item was raised; null: none known), most items first. */
  byTier: Array<{ tier: string | null } & Summary>;
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
const hist = Array.from({ length: TOLD_BUCKETS }, (_, i) => `h${String(i).padStart(2, '0')}`);
/** The rollup counts the summary is made of (with the histogram, told_minutes and want_slips). */
const SUMMED = ['raised', 'answered', 'reopened', 'happy_satisfied', 'happy_answered', 'told'] as const;

/** The headline figures from summed rollup counts. */
function summaryOf(t: Record<string, number>): Summary {
  const n = (c: string) => t[c] ?? 0;
  const counts = hist.map(n);
  const median = quantileOf(counts, 0.5);
  const p90 = quantileOf(counts, 0.9);
  return {
    raised: n('raised'),
    wantSlipShare: rate(n('want_slips'), n('raised')),
    reopenRate: rate(n('reopened'), n('answered')),
    satisfaction: { satisfied: n('happy_satisfied'), answered: n('happy_answered'), rate: rate(n('happy_satisfied'), n('happy_answered')) },
    raisedToTold: {
      told: n('told'),
      meanMinutes: n('told') > 0 ? n('told_minutes') / n('told') : null,
      medianMinutes: median.minutes,
      p90Minutes: p90.minutes,
      beyondLastBucket: median.beyond || p90.beyond,
    },
  };
}

/** A quantile from the histogram: linear within its bucket; in the open last bucket, its lower bound. */
export function quantileOf(counts: readonly number[], quantile: number): { minutes: number | null; beyond: boolean } {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return { minutes: null, beyond: false };
  const rank = quantile * n;
  let before = 0;
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b]!;
    if (c > 0 && before + c >= rank) {
      const lower = b === 0 ? 0 : TOLD_BOUNDS_MINUTES[b - 1]!;
      const upper = TOLD_BOUNDS_MINUTES[b];
      if (upper === undefined) return { minutes: lower, beyond: true };
      return { minutes: lower + ((upper - lower) * (rank - before)) / c, beyond: false };
    }
    before += c;
  }
  return { minutes: TOLD_BOUNDS_MINUTES[TOLD_BOUNDS_MINUTES.length - 1]!, beyond: true };
}

/** Everything beside the matrix, in one read of the period's rollup rows. */
export async function figures(q: Queryable, s: Scope): Promise<Figures> {
  // Weekly: from the days of the period; the rest: whole months and edge days of both periods.
  const params: unknown[] = [s.tenantId, s.period.from, s.period.to];
  const where = `tenant_id = $1 AND day BETWEEN $2 AND $3${scopeWhere(s, params)}`;
  const mixed = [s.tenantId, s.period.from] as unknown[];
  const rows = rollupRows(s, mixed);
  const mixedWhere = `true${scopeWhere(s, mixed)}`;
  const cur = (c: string) => `COALESCE(sum(${c}) FILTER (WHERE day >= $2), 0)`;
  const deadlines = ['ack', 'resolve', 'notify'].flatMap((k) => ['on_time', 'late', 'missed'].map((o) => `${k}_${o}`));
  const [byTopic, byWeek, byDept, byTier] = await Promise.all([
    q.query<{ topic_id: string; count: number; previous: number }>(
      `SELECT topic_id, ${cur('raised')}::int AS count, COALESCE(sum(raised) FILTER (WHERE day < $2), 0)::int AS previous
         FROM ${rows} WHERE ${mixedWhere} GROUP BY topic_id`,
      mixed,
    ),
    q.query<{ week: string; type: VocType; n: number }>(
      `SELECT to_char(date_trunc('week', day), 'YYYY-MM-DD') AS week, type, sum(raised)::int AS n
         FROM voc_rollup_days WHERE ${where} GROUP BY 1, 2 ORDER BY 1`,
      params,
    ),
    q.query<Record<string, number> & { department_id: string }>(
      `SELECT department_id, ${deadlines.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
         FROM ${rows} WHERE ${mixedWhere} AND day >= $2 GROUP BY department_id ORDER BY department_id`,
      mixed,
    ),
    q.query<Record<string, number> & { tier: string; raised: number }>(
      `SELECT tier, ${[...SUMMED, ...hist].map((c) => `${cur(c)}::int AS ${c}`).join(', ')},
              ${cur('told_minutes')}::double precision AS told_minutes,
              COALESCE(sum(raised) FILTER (WHERE day >= $2 AND type = 'want_slip'), 0)::int AS want_slips
         FROM ${rows} WHERE ${mixedWhere} GROUP BY tier`,
      mixed,
    ),
  ]);
  const weeks = new Map<string, { week: string } & Record<VocType, number>>();
  const zeros = () => Object.fromEntries(VOC_TYPES.map((x) => [x, 0])) as Record<VocType, number>;
  for (const week of weeksOf(s.period.from, s.period.to)) weeks.set(week, { week, ...zeros() });
  for (const r of byWeek) {
    const w = weeks.get(r.week) ?? { week: r.week, ...zeros() };
    w[r.type] += r.n;
    weeks.set(r.week, w);
  }
  const outcome = (r: Record<string, number>, k: string) => {
    const onTime = r[`${k}_on_time`] ?? 0;
    const late = r[`${k}_late`] ?? 0;
    const missed = r[`${k}_missed`] ?? 0;
    return { onTime, late, missed, rate: rate(onTime, onTime + late + missed) };
  };
  const tiers = byTier.filter((r) => r.raised > 0).sort((a, b) => b.raised - a.raised || a.tier.localeCompare(b.tier));
  const total: Record<string, number> = {};
  for (const r of byTier) for (const c of [...SUMMED, ...hist, 'told_minutes', 'want_slips']) total[c] = (total[c] ?? 0) + (r[c] ?? 0);
  return {
    period: s.period,
    previous: s.previous,
    ...summaryOf(total),
    weekly: [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week)),
    rising: byTopic
      .map((r) => ({ topicId: noneAsNull(r.topic_id), count: r.count, previous: r.previous, change: r.count - r.previous }))
      .filter((r) => r.change > 0 && r.count >= RISING_MIN_COUNT)
      .sort((a, b) => b.change - a.change || b.count - a.count || (a.topicId ?? '').localeCompare(b.topicId ?? ''))
      .slice(0, RISING_LIMIT),
    risingRule: { minCount: RISING_MIN_COUNT, limit: RISING_LIMIT },
    compliance: byDept.map((r) => ({ departmentId: noneAsNull(r.department_id), acknowledge: outcome(r, 'ack'), resolve: outcome(r, 'resolve'), notify: outcome(r, 'notify') })),
    byTier: tiers.map((r) => ({ tier: noneAsNull(r.tier), ...summaryOf(r) })),
  };
}

/** The Mondays of the weeks that meet [from, to]. */
export function weeksOf(from: string, to: string): string[] {
  const start = msOf(from);
  const monday = start - ((new Date(start).getUTCDay() + 6) % 7) * DAY_MS;
  const out: string[] = [];
  for (let d = monday; d <= msOf(to); d += 7 * DAY_MS) out.push(dayOf(d));
  return out;
}

// ---------- drill-down: a cell's items ----------

export const CellQuery = AnalysisQuery.extend({
  /** The cell's topic; "" for unclassified. */
  topic: z.string().max(64),
  type: VocType,
  /** Where the previous page ended (from its `next`). */
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type CellQuery = z.infer<typeof CellQuery>;

export interface CellItem {
  id: string;
  number: string | null;
  raisedAt: string;
  type: VocType;
  topicId: string | null;
  status: VocStatus;
  departmentId: string | null;
  channel: string | null;
  queue: string | null;
  tier: string | null;
  customerId: string;
  customerName: string;
  interactionId: string | null;
  description: string;
}

interface CellRow {
  id: string;
  number: string | null;
  created_at: Date | string;
  type: VocType;
  topic_id: string | null;
  status: VocStatus;
  department_id: string | null;
  channel: string | null;
  queue: string | null;
  value_tier: string | null;
  customer_id: string;
  customer_name: string;
  interaction_id: string | null;
  description: string;
}

const cursorOf = (r: { created_at: Date | string; id: string }) => Buffer.from(`${new Date(r.created_at).toISOString()}|${r.id}`).toString('base64url');
function parseCursor(raw: string): { at: string; id: string } {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) throw new CenterError('bad_request', 'The "after" cursor is not one this center gave; start from the first page.');
  return { at, id };
}

/** Checks the cell's topic against the catalogue ("" is unclassified). */
export async function checkTopic(q: Queryable, tenantId: string, topic: string): Promise<void> {
  if (topic === '') return;
  const [t] = await q.query('SELECT 1 FROM voc_topics WHERE tenant_id = $1 AND id = $2', [tenantId, topic]);
  if (!t) throw new CenterError('bad_request', `There is no topic "${topic}" in the catalogue; pick one from the matrix.`);
}

/** A page of a cell's items, newest first; `next` continues it (null on the last page). */
export async function cellItems(q: Queryable, s: Scope, cell: { topic: string; type: VocType; after?: string; limit: number }): Promise<{ items: CellItem[]; next: string | null }> {
  const params: unknown[] = [s.tenantId, s.period.from, s.period.to, cell.type, cell.topic === '' ? null : cell.topic, cell.limit + 1];
  let keyset = '';
  if (cell.after) {
    const c = parseCursor(cell.after);
    params.push(c.at, c.id);
    keyset = ` AND (v.created_at, v.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  const rows = await q.query<CellRow>(
    `SELECT v.id, v.number, v.created_at, v.type, v.topic_id, v.status, v.department_id, v.channel, v.queue, v.value_tier,
            v.customer_id, c.display_name AS customer_name, v.interaction_id, v.description
       FROM voc_items v JOIN tenants t ON t.id = v.tenant_id JOIN customers c ON c.id = v.customer_id
      WHERE v.tenant_id = $1 AND v.type = $4 AND ${cell.topic === '' ? 'v.topic_id IS NULL AND $5::text IS NULL' : 'v.topic_id = $5'}
        AND v.created_at >= ($2::date - 1)::timestamp AT TIME ZONE 'UTC' - interval '14 hours'
        AND v.created_at < ($3::date + 2)::timestamp AT TIME ZONE 'UTC' + interval '14 hours'
        AND v.raised_day BETWEEN $2 AND $3${keyset}${scopeWhere(s, params, (c) => `COALESCE(v.${c === 'tier' ? 'value_tier' : c}, '')`)}
      ORDER BY v.created_at DESC, v.id DESC LIMIT $6`,
    params,
  );
  const more = rows.length > cell.limit;
  const page = rows.slice(0, cell.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      number: r.number,
      raisedAt: new Date(r.created_at).toISOString(),
      type: r.type,
      topicId: r.topic_id,
      status: r.status,
      departmentId: r.department_id,
      channel: r.channel,
      queue: r.queue,
      tier: r.value_tier,
      customerId: r.customer_id,
      customerName: r.customer_name,
      interactionId: r.interaction_id,
      description: r.description,
    })),
    next: more ? cursorOf(page[page.length - 1]!) : null,
  };
}

/** The plain GROUP BY over the raw items that the matrix replaces (the bench's baseline; tests compare the two). */
export async function matrixFromItems(q: Queryable, s: Scope): Promise<Array<{ topic_id: string; type: VocType; count: number; previous: number }>> {
  const params: unknown[] = [s.tenantId, s.previous.from, s.period.from, s.period.to];
  return q.query(
    `SELECT COALESCE(topic_id, '') AS topic_id, type, count(*) FILTER (WHERE raised_day >= $3)::int AS count, count(*) FILTER (WHERE raised_day < $3)::int AS previous
       FROM voc_items WHERE tenant_id = $1 AND raised_day BETWEEN $2 AND $4${scopeWhere(s, params, (c) => `COALESCE(${c === 'tier' ? 'value_tier' : c}, '')`)}
      GROUP BY 1, 2`,
    params,
  );
}
