// The improvements API (VOC.md, step 10), of the signed-in person's tenant:
//   POST /api/improvements                    { title, change, departmentId, topicId?, targetDate?, from: { item } | { items } | { cell } }
//   GET  /api/improvements                    ?department&topic&status&open=true   (theirs for department staff; all for supervisors, admins, analysts, leads)
//   GET  /api/improvements/{id}               the improvement and its linked items
//   POST /api/improvements/{id}/items         { items: [vocId] }   links more
//   POST /api/improvements/{id}/status        { status, reason? }  proposed → accepted → in_progress → done, or declined with a reason
//   GET  /api/improvements/{id}/customers     once done: the customers to tell, each with their items and whether told
//   POST /api/improvements/{id}/told          { items: [vocId], via }   recorded as told
// Done, it is announced to every desktop of the tenant beside great service ("Because customers told us: …").
// Proposed, moved on or linked, `improvement:changed` tells every desktop of the tenant to read them again.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ImprovementChanged, ImprovementShared } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { CenterError } from '../base/errors';
import type { Db } from '../db/db';
import { json, parseQuery, refused } from './analysis-http';
import {
  ChangeStatus,
  changeStatus,
  CreateImprovement,
  createImprovement,
  customersToTell,
  IMPROVEMENT_STATUSES,
  type Improvement,
  improvementWithItems,
  linkMore,
  LinkItems,
  listImprovements,
  RecordTold,
  recordTold,
} from './improvements';

const ListQuery = z.object({
  department: z.string().max(64).optional(),
  topic: z.string().max(64).optional(),
  status: z.enum(IMPROVEMENT_STATUSES).optional(),
  open: z.enum(['true', 'false']).optional(),
});

export interface ImprovementsHttpDeps {
  db: Db;
  /** Done: the floor's "Because customers told us". */
  announce(tenantId: string, a: ImprovementShared): void;
  /** Proposed, moved on or linked to more items. */
  changed(tenantId: string, c: ImprovementChanged): void;
}

export function createImprovementsHttp(deps: ImprovementsHttpDeps) {
  const { db } = deps;
  const changed = (who: Principal, m: Improvement): Improvement => {
    deps.changed(who.tenantId, { id: m.id, status: m.status, departmentId: m.departmentId });
    return m;
  };
  const body = async <S extends z.ZodTypeAny>(schema: S, read: () => Promise<Buffer>): Promise<z.infer<S>> => {
    let raw: unknown;
    try {
      raw = JSON.parse((await read()).toString('utf8'));
    } catch {
      throw new CenterError('bad_request', 'The request body is not valid JSON.');
    }
    const r = schema.safeParse(raw);
    if (!r.success) throw new CenterError('bad_request', z.prettifyError(r.error).replace(/\s+/g, ' ').slice(0, 500));
    return r.data;
  };

  return async function handle(who: Principal, req: IncomingMessage, res: ServerResponse, url: URL, read: () => Promise<Buffer>): Promise<boolean> {
    const m = /^\/api\/improvements(?:\/([0-9a-f-]{36})(?:\/(items|status|customers|told))?)?$/i.exec(url.pathname);
    if (!m) return url.pathname.startsWith('/api/improvements') ? (json(res, 404, { error: { code: 'not_found', message: `No route ${url.pathname}.` } }), true) : false;
    const [, id, sub] = m;
    const route = `${req.method} ${id ? (sub ? `{id}/${sub}` : '{id}') : ''}`;
    try {
      switch (route) {
        case 'POST ':
          json(res, 201, changed(who, await createImprovement(db, who, await body(CreateImprovement, read))));
          break;
        case 'GET ': {
          const f = parseQuery(ListQuery, url);
          json(res, 200, { improvements: await listImprovements(db, who, { department: f.department, topic: f.topic, status: f.status, open: f.open === 'true' }) });
          break;
        }
        case 'GET {id}':
          json(res, 200, await improvementWithItems(db, who, id!));
          break;
        case 'POST {id}/items':
          json(res, 200, changed(who, await linkMore(db, who, id!, (await body(LinkItems, read)).items)));
          break;
        case 'POST {id}/status': {
          const b = await body(ChangeStatus, read);
          json(res, 200, changed(who, await changeStatus(db, who, id!, b.status, b.reason, deps.announce)));
          break;
        }
        case 'GET {id}/customers':
          json(res, 200, { customers: await customersToTell(db, who, id!) });
          break;
        case 'POST {id}/told': {
          const b = await body(RecordTold, read);
          json(res, 200, { told: await recordTold(db, who, id!, b.items, b.via) });
          break;
        }
        default:
          throw new CenterError('not_found', `No route ${req.method} ${url.pathname}.`);
      }
      return true;
    } catch (err) {
      if (refused(res, err)) return true;
      throw err;
    }
  };
}
