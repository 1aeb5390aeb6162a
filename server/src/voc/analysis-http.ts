// The analysis API (VOC.md, step 9), read-only, for supervisors, administrators, analysts and the
// leads of departments, of their own tenant:
//   GET /api/analysis/matrix        ?from&to&department&queue&channel&tier[&split=tier]   the topic × type (× value tier) matrix, with the previous period
//   GET /api/analysis/figures       (same)   weekly trend, rising topics (and their rule), want-slips' share, compliance, reopen rate, satisfaction, raised → told; the same per value tier
//   GET /api/analysis/cell          (same) &topic&type[&after&limit]   a cell's items, newest first, a page at a time
//   GET /api/analysis/{table}.csv   table: matrix, trend, rising, compliance, summary, tiers, cell (every item of the cell)
// Bad input (a period ending before it starts or longer than five years, an unknown topic,
// department, queue, channel or value tier) is answered 400 with the reason.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { VOC_TYPES } from '../../../shared/domain';
import type { Principal } from '../auth/sessions';
import { CenterError } from '../base/errors';
import type { Db } from '../db/db';
import { AnalysisQuery, CellQuery, cellItems, checkTopic, figures, matrix, resolveScope, type Figures, type Matrix } from './analysis';

/** Roles that read the analysis; a staff member may too while leading a department. */
export const ANALYSIS_ROLES = ['supervisor', 'admin', 'analyst'] as const;

export async function mayReadAnalysis(db: Db, who: Principal): Promise<boolean> {
  if ((ANALYSIS_ROLES as readonly string[]).includes(who.role)) return true;
  if (who.role !== 'staff') return false;
  const [lead] = await db.query('SELECT 1 FROM departments WHERE tenant_id = $1 AND lead_user_id = $2 AND active LIMIT 1', [who.tenantId, who.userId]);
  return Boolean(lead);
}

const STATUS: Partial<Record<string, number>> = { bad_request: 400, forbidden: 403, not_found: 404, conflict: 409 };

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Answers a refusal the handler raised on purpose (true), or lets the caller's 500 handle the rest (false). */
export function refused(res: ServerResponse, err: unknown): boolean {
  if (!(err instanceof CenterError)) return false;
  json(res, STATUS[err.code] ?? 400, { error: { code: err.code, message: err.message } });
  return true;
}

export function parseQuery<S extends z.ZodTypeAny>(schema: S, url: URL): z.infer<S> {
  const r = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!r.success) throw new CenterError('bad_request', z.prettifyError(r.error).replace(/\s+/g, ' ').slice(0, 500));
  return r.data;
}

type Cell = string | number | null;

/** Writes rows as CSV (csv-stringify: quoting, and cells starting = + - @ made inert for spreadsheets). */
export async function sendCsv(res: ServerResponse, name: string, header: readonly string[], rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });
  const csv = stringify({ escape_formulas: true, bom: true });
  csv.pipe(res);
  const write = (row: readonly Cell[]) => (csv.write(row) ? Promise.resolve() : new Promise<void>((resolve) => csv.once('drain', () => resolve())));
  await write(header);
  for await (const row of rows) await write(row);
  csv.end();
  await new Promise<void>((resolve) => res.once('finish', () => resolve()));
}

const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
const orNone = (v: string | null) => v ?? '';
const minutes = (m: number | null) => (m === null ? null : Math.round(m));

function tableRows(name: string, m: Matrix, f: Figures): { header: string[]; rows: Cell[][] } | null {
  switch (name) {
    case 'matrix': {
      const key = (topic: string | null, tier: string | null | undefined, type: string) => `${topic ?? ''}|${tier ?? ''}|${type}`;
      const byCell = new Map(m.cells.map((c) => [key(c.topicId, c.tier, c.type), c]));
      const counts = (topic: string | null, tier?: string | null) => VOC_TYPES.flatMap((ty) => [byCell.get(key(topic, tier, ty))?.count ?? 0, byCell.get(key(topic, tier, ty))?.previous ?? 0]);
      const types = VOC_TYPES.flatMap((t) => [t, `${t} previous`]);
      if (m.split !== 'tier') return { header: ['topic', 'topic name', ...types], rows: m.topics.map((t) => [orNone(t.id), t.name, ...counts(t.id)]) };
      // One row per topic and tier that has items in either period.
      const rows = m.topics.flatMap((t) =>
        [...new Set(m.cells.filter((c) => c.topicId === t.id).map((c) => c.tier ?? ''))].sort().map((tier) => [orNone(t.id), t.name, tier, ...counts(t.id, tier || null)]),
      );
      return { header: ['topic', 'topic name', 'tier', ...types], rows };
    }
    case 'tiers':
      return {
        header: ['tier', 'raised', 'want-slips share %', 'reopen rate %', 'happy-call satisfaction %', 'raised to told, median minutes', 'raised to told, p90 minutes'],
        rows: f.byTier.map((r) => [orNone(r.tier), r.raised, pct(r.wantSlipShare), pct(r.reopenRate), pct(r.satisfaction.rate), minutes(r.raisedToTold.medianMinutes), minutes(r.raisedToTold.p90Minutes)]),
      };
    case 'trend':
      return { header: ['week', ...VOC_TYPES], rows: f.weekly.map((w) => [w.week, ...VOC_TYPES.map((t) => w[t])]) };
    case 'rising':
      return { header: ['topic', 'count', 'previous', 'change'], rows: f.rising.map((r) => [orNone(r.topicId), r.count, r.previous, r.change]) };
    case 'compliance':
      return {
        header: ['department', ...['acknowledge', 'resolve', 'notify'].flatMap((k) => [`${k} on time`, `${k} late`, `${k} missed`, `${k} on time %`])],
        rows: f.compliance.map((c) => [orNone(c.departmentId), ...[c.acknowledge, c.resolve, c.notify].flatMap((o) => [o.onTime, o.late, o.missed, pct(o.rate)])]),
      };
    case 'summary':
      return {
        header: ['figure', 'value'],
        rows: [
          ['from', f.period.from],
          ['to', f.period.to],
          ['raised', f.raised],
          ['want-slips share %', pct(f.wantSlipShare)],
          ['reopen rate %', pct(f.reopenRate)],
          ['happy-call satisfaction %', pct(f.satisfaction.rate)],
          ['happy calls answered', f.satisfaction.answered],
          ['customers told', f.raisedToTold.told],
          ['raised to told, median minutes', minutes(f.raisedToTold.medianMinutes)],
          ['raised to told, p90 minutes', minutes(f.raisedToTold.p90Minutes)],
        ],
      };
    default:
      return null;
  }
}

export function createAnalysisHttp(deps: { db: Db }) {
  const { db } = deps;
  /** Answers /api/analysis/… (GET only); false for any other path. */
  return async function handle(who: Principal, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith('/api/analysis/')) return false;
    try {
      if (!(await mayReadAnalysis(db, who))) throw new CenterError('forbidden', 'Only supervisors, administrators, analysts and department leads read the VOC analysis.');
      if (req.method !== 'GET') throw new CenterError('bad_request', 'The analysis is read with GET.');
      const what = url.pathname.slice('/api/analysis/'.length);
      if (what === 'cell' || what === 'cell.csv') {
        const cq = parseQuery(CellQuery, url);
        await checkTopic(db, who.tenantId, cq.topic);
        const scope = await resolveScope(db, who.tenantId, cq);
        if (what === 'cell') {
          json(res, 200, await cellItems(db, scope, cq));
          return true;
        }
        // Customers' names and what they said leave the center in bulk: on the audit trail, who and which cell.
        await db.query('INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, $3, $4)', [
          who.tenantId,
          who.userId,
          'analysis.cell_exported',
          `${cq.topic || 'unclassified'} ${cq.type} ${scope.period.from}..${scope.period.to}`.slice(0, 200),
        ]);
        const all = async function* () {
          let after: string | undefined;
          do {
            const page = await cellItems(db, scope, { topic: cq.topic, type: cq.type, after, limit: 500 });
            for (const i of page.items) yield [i.number, i.raisedAt, i.type, i.topicId, i.status, i.departmentId, i.channel, i.queue, i.tier, i.customerId, i.customerName, i.interactionId, i.description];
            after = page.next ?? undefined;
          } while (after);
        };
        await sendCsv(res, `voc-${cq.topic.replace(/[^a-z0-9-]+/gi, '_') || 'unclassified'}-${cq.type}-${scope.period.from}-${scope.period.to}.csv`,
          ['number', 'raised at', 'type', 'topic', 'status', 'department', 'channel', 'queue', 'tier', 'customer id', 'customer', 'interaction id', 'description'], all());
        return true;
      }
      const scope = await resolveScope(db, who.tenantId, parseQuery(AnalysisQuery, url));
      if (what === 'matrix') json(res, 200, await matrix(db, scope));
      else if (what === 'figures') json(res, 200, await figures(db, scope));
      else if (what.endsWith('.csv')) {
        const name = what.slice(0, -4);
        const [m, f] = await Promise.all([matrix(db, scope), figures(db, scope)]);
        const table = tableRows(name, m, f);
        if (!table) throw new CenterError('not_found', `There is no table "${name}"; ask for matrix, trend, rising, compliance, summary, tiers or cell.`);
        await sendCsv(res, `voc-${name}-${scope.period.from}-${scope.period.to}.csv`, table.header, table.rows);
      } else throw new CenterError('not_found', `No analysis "${what}".`);
      return true;
    } catch (err) {
      if (refused(res, err)) return true;
      throw err;
    }
  };
}
