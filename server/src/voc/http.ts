// The admin API of the VOC loop's setup (administrators of the tenant only; every change audited):
//   GET  /api/admin/voc                      the whole setup
//   PUT  /api/admin/voc/topics               { topics: [{ id, name, active? }] }   (adds or renames)
//   POST /api/admin/voc/topics.csv           id,name[,active] rows (text/csv)
//   PUT  /api/admin/voc/departments/{id}     { name, members: [usernames], lead, requiresApproval?, assignment?, active? }
//   PUT  /api/admin/voc/routing              { rules: [{ type, topicPrefix, priority, department }], default }
//   PUT  /api/admin/voc/sla                  { targets: [{ type, priority, acknowledge, resolve, notify }] } (working minutes, no gaps)
//   PUT  /api/admin/voc/hours                { hours: [{ weekday, opens, closes }] }
//   PUT  /api/admin/voc/holidays             { holidays: [{ day, name }], replace? }
//   POST /api/admin/voc/holidays.csv         date,name rows (text/csv); ?replace=true makes the file the whole table
//   PUT  /api/admin/voc/settings             { happyCallTypes?, happyCallAfterMinutes?, followUpMaxAttempts?, followUpRetryMinutes?, placeCallUrl? }
// A setup that cannot be taken is answered 400 with what is wrong; nothing of it is applied.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Principal } from '../auth/sessions';
import type { Db } from '../db/db';
import { changeTx, type ChangeInput } from '../sync/change-log';
import {
  DepartmentInput,
  describeVocSetup,
  holidaysFromCsv,
  RoutingRuleInput,
  setDepartment,
  setHolidays,
  setRouting,
  setSlaTargets,
  setTopics,
  setVocSettings,
  setWorkingHours,
  SlaTargetInput,
  TopicInput,
  topicsFromCsv,
  VocSetupError,
} from './admin';

const Body = {
  topics: z.object({ topics: z.array(TopicInput).max(5_000) }),
  routing: z.object({ rules: z.array(RoutingRuleInput).max(500), default: z.string().max(64).nullable() }),
  sla: z.object({ targets: z.array(SlaTargetInput).max(100) }),
  hours: z.object({ hours: z.array(z.unknown()).max(7) }),
  holidays: z.object({ holidays: z.array(z.object({ day: z.string().max(10), name: z.string().max(200).default('') })).max(5_000), replace: z.boolean().default(false) }),
};

export interface VocAdminHttpDeps {
  db: Db;
  /** Reference data changed: desktops of the tenant pull it. */
  poke(tenantId: string, r: { changes: ReadonlyArray<ChangeInput>; version: string }): void;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const parsed = <S extends z.ZodTypeAny>(schema: S, body: unknown, what: string): z.infer<S> => {
  const r = schema.safeParse(body);
  if (!r.success) throw new VocSetupError(`${what}: ${z.prettifyError(r.error).replace(/\s+/g, ' ').slice(0, 500)}`);
  return r.data;
};

export function createVocAdminHttp(deps: VocAdminHttpDeps) {
  const { db } = deps;
  const audit = (p: Principal, action: string, what: string) =>
    db.query('INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, $3, $4)', [p.tenantId, p.userId, action, what.slice(0, 200)]);
  const inTx = async <T>(p: Principal, fn: Parameters<typeof changeTx<T>>[2]): Promise<T> => {
    const r = await changeTx(db, p.tenantId, fn);
    deps.poke(p.tenantId, r);
    return r.value;
  };

  /** Answers /api/admin/voc… for a signed-in principal; false for any other path. */
  return async function handle(principal: Principal, req: IncomingMessage, res: ServerResponse, url: URL, read: () => Promise<Buffer>): Promise<boolean> {
    if (!url.pathname.startsWith('/api/admin/voc')) return false;
    if (principal.role !== 'admin') {
      json(res, 403, { error: { code: 'forbidden', message: 'Only administrators change the VOC setup.' } });
      return true;
    }
    const route = `${req.method} ${url.pathname.replace(/^\/api\/admin\/voc\/departments\/[^/]+$/, '/api/admin/voc/departments/{id}')}`;
    const body = async () => {
      const raw = await read();
      try {
        return JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        throw new VocSetupError('The request body is not valid JSON.');
      }
    };
    const csv = async function* () {
      yield await read();
    };
    const t = principal.tenantId;
    try {
      switch (route) {
        case 'GET /api/admin/voc':
          json(res, 200, await describeVocSetup(db, t));
          return true;
        case 'PUT /api/admin/voc/topics':
        case 'POST /api/admin/voc/topics.csv': {
          const topics = route.endsWith('.csv') ? await topicsFromCsv(csv()) : parsed(Body.topics, await body(), 'Topics').topics;
          const all = await inTx(principal, (tx) => setTopics(tx, topics));
          await audit(principal, 'voc.topics_set', `${topics.length} topic(s)`);
          json(res, 200, { topics: all });
          return true;
        }
        case 'PUT /api/admin/voc/departments/{id}': {
          const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
          const input = parsed(DepartmentInput.omit({ id: true }), await body(), `Department ${id}`);
          const dept = await inTx(principal, (tx) => setDepartment(tx, { ...input, id }));
          await audit(principal, 'voc.department_set', id);
          json(res, 200, { department: dept });
          return true;
        }
        case 'PUT /api/admin/voc/routing': {
          const r = parsed(Body.routing, await body(), 'Routing');
          await inTx(principal, (tx) => setRouting(tx, r.rules, r.default));
          await audit(principal, 'voc.routing_set', `${r.rules.length} rule(s), default ${r.default ?? 'none'}`);
          json(res, 200, { ok: true });
          return true;
        }
        case 'PUT /api/admin/voc/sla': {
          const r = parsed(Body.sla, await body(), 'SLA targets');
          await inTx(principal, (tx) => setSlaTargets(tx, r.targets));
          await audit(principal, 'voc.sla_set', `${r.targets.length} target(s)`);
          json(res, 200, { ok: true });
          return true;
        }
        case 'PUT /api/admin/voc/hours': {
          const r = parsed(Body.hours, await body(), 'Working hours');
          await db.tx((q) => setWorkingHours(q, t, r.hours as never));
          await audit(principal, 'voc.hours_set', `${r.hours.length} day(s)`);
          json(res, 200, { ok: true });
          return true;
        }
        case 'PUT /api/admin/voc/holidays':
        case 'POST /api/admin/voc/holidays.csv': {
          const csvRoute = route.endsWith('.csv');
          const r = csvRoute ? { holidays: await holidaysFromCsv(csv()), replace: url.searchParams.get('replace') === 'true' } : parsed(Body.holidays, await body(), 'Holidays');
          const n = await db.tx((q) => setHolidays(q, t, r.holidays, r.replace));
          await audit(principal, 'voc.holidays_set', `${n} day(s)${r.replace ? ', replacing the table' : ''}`);
          json(res, 200, { holidays: n });
          return true;
        }
        case 'PUT /api/admin/voc/settings': {
          await setVocSettings(db, t, (await body()) as never);
          await audit(principal, 'voc.settings_set', 'settings');
          json(res, 200, { ok: true });
          return true;
        }
        default:
          json(res, 404, { error: { code: 'not_found', message: `No route ${route}.` } });
          return true;
      }
    } catch (err) {
      if (!(err instanceof VocSetupError)) throw err;
      json(res, 400, { error: { code: 'bad_request', message: err.message } });
      return true;
    }
  };
}
export type VocAdminHttp = ReturnType<typeof createVocAdminHttp>;
