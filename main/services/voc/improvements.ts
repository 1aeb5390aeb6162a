// Improvements (VOC.md step 10) for the desktop: the center's `/api/improvements` routes
// (server/src/voc/improvements-http.ts) asked over HTTP with the session's token, as the analysis is,
// and nothing of them kept here (offline, the view says so). Done improvements the center pushes
// (`improvement:shared`, to every desktop of the tenant) are kept for the session, newest first, and
// told to the renderer as `improvementsShared`: the floor's "Because customers told us". Any other
// change (`improvement:changed`: proposed, moved on, linked) is passed on as `improvementChanged`.
import { z } from 'zod';
import {
  Improvement,
  ImprovementCustomer,
  ImprovementDetail,
  type CreateImprovementRequest,
  type ImprovementListQuery,
  type ImprovementsSharedList,
} from '../../../shared/api/improvements';
import type { NotifyChannel } from '../../../shared/domain/index';
import { EVENTS, ImprovementChanged, ImprovementShared } from '../../../shared/protocol/index';
import type { CenterLink } from '../center-link';
import { createCenterHttp, type CenterHttpDeps } from '../center-http';
import type { EventHub } from '../events';

const KEEP = 20;

export interface ImprovementsClient {
  list(query: ImprovementListQuery): Promise<Improvement[]>;
  get(id: string): Promise<ImprovementDetail>;
  create(request: CreateImprovementRequest): Promise<Improvement>;
  link(id: string, items: string[]): Promise<Improvement>;
  setStatus(id: string, status: Improvement['status'], reason: string | undefined): Promise<Improvement>;
  customers(id: string): Promise<ImprovementCustomer[]>;
  told(id: string, items: string[], via: NotifyChannel): Promise<number>;
}

export function createImprovementsClient(deps: CenterHttpDeps): ImprovementsClient {
  const call = createCenterHttp(deps, {
    signIn: 'Sign in first to see improvements.',
    offline: 'The Earshot center cannot be reached, so improvements cannot be shown or changed now. Try again when the connection is back.',
    unavailable: 'The Earshot center could not handle the improvement',
  });
  const at = (id: string, sub = '') => `/api/improvements/${encodeURIComponent(id)}${sub}`;
  return {
    list: async (q) =>
      (await call({ path: '/api/improvements', query: { department: q.department, topic: q.topic, status: q.status, open: q.open === undefined ? undefined : String(q.open) }, schema: z.object({ improvements: z.array(Improvement) }) }))
        .improvements,
    get: (id) => call({ path: at(id), schema: ImprovementDetail }),
    create: (request) => call({ method: 'POST', path: '/api/improvements', body: request, schema: Improvement }),
    link: (id, items) => call({ method: 'POST', path: at(id, '/items'), body: { items }, schema: Improvement }),
    setStatus: (id, status, reason) => call({ method: 'POST', path: at(id, '/status'), body: reason ? { status, reason } : { status }, schema: Improvement }),
    customers: async (id) => (await call({ path: at(id, '/customers'), schema: z.object({ customers: z.array(ImprovementCustomer) }) })).customers,
    told: async (id, items, via) => (await call({ method: 'POST', path: at(id, '/told'), body: { items, via }, schema: z.object({ told: z.number().int() }) })).told,
  };
}

export interface ImprovementsSharedRelay {
  list(): ImprovementsSharedList;
}

/** Keeps the done improvements pushed this session (the center has no list of them for agents). */
export function createImprovementsSharedRelay(opts: { link: CenterLink; emit: EventHub['emit'] }): ImprovementsSharedRelay {
  let items: ImprovementShared[] = [];
  opts.link.on(EVENTS.improvementShared, ImprovementShared, (m) => {
    items = [m, ...items.filter((i) => i.id !== m.id)].slice(0, KEEP);
    opts.emit('improvementsShared', { items });
  });
  // Whoever shows improvements reads them again (the renderer decides whether it reads them at all).
  opts.link.on(EVENTS.improvementChanged, ImprovementChanged, (m) => opts.emit('improvementChanged', m));
  return { list: () => ({ items }) };
}
