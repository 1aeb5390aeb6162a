// The improvements part of the FakeDesktopApi: an in-memory center that keeps the status table
// (shared/api/improvements.ts), so component tests see a proposal listed, moves refused out of turn,
// a decline without a reason refused, and customers told once done.
import type { ApiArgs, ApiResult } from '../../shared/api/index';
import { IMPROVEMENT_NEXT, type Improvement, type ImprovementCustomer, type ImprovementItem, type ImprovementsSharedList } from '../../shared/api/improvements';
import type { ImprovementShared } from '../../shared/protocol/index';
import { FakeRefusal } from './fake-refusal';

export const IMPROVEMENT_METHODS = [
  'listImprovements',
  'getImprovement',
  'createImprovement',
  'linkImprovementItems',
  'setImprovementStatus',
  'getImprovementCustomers',
  'recordImprovementTold',
  'getImprovementsShared',
] as const;
type Method = (typeof IMPROVEMENT_METHODS)[number];

const AT = '2026-11-25T10:00:00.000Z';

export class FakeImprovements {
  improvements: Improvement[] = [];
  /** Linked items by improvement id. */
  items = new Map<string, ImprovementItem[]>();
  /** The customers to tell by improvement id (their `items` are linked item ids). */
  customers = new Map<string, ImprovementCustomer[]>();
  shared: ImprovementShared[] = [];
  /** Items the center would find when a cell is linked (any cell). */
  cellItems: ImprovementItem[] = [];

  private find(id: string): Improvement {
    const m = this.improvements.find((i) => i.id === id);
    if (!m) throw new FakeRefusal('bad_request', 'There is no such improvement in your tenant.');
    return m;
  }

  private put(m: Improvement): Improvement {
    const linked = this.items.get(m.id) ?? [];
    const next = { ...m, linked: linked.length, told: linked.filter((i) => i.toldAt).length };
    this.improvements = this.improvements.map((i) => (i.id === m.id ? next : i));
    return next;
  }

  private link(id: string, ids: readonly string[]): void {
    const linked = this.items.get(id) ?? [];
    for (const v of ids) if (!linked.some((i) => i.id === v)) linked.push({ id: v, number: null, type: 'complaint', topicId: null, status: 'routed', raisedAt: AT, toldAt: null });
    this.items.set(id, linked);
  }

  answer<M extends Method>(method: M, args: unknown[]): ApiResult<M> {
    return this.handle(method, args) as ApiResult<M>;
  }

  private handle(method: Method, args: unknown[]): unknown {
    switch (method) {
      case 'listImprovements': {
        const [q] = args as ApiArgs<'listImprovements'>;
        return this.improvements.filter((m) => (!q.department || m.departmentId === q.department) && (!q.status || m.status === q.status));
      }
      case 'getImprovement': {
        const [{ id }] = args as ApiArgs<'getImprovement'>;
        return { improvement: this.find(id), items: this.items.get(id) ?? [] };
      }
      case 'createImprovement': {
        const [r] = args as ApiArgs<'createImprovement'>;
        const id = `0190f000-0000-7000-8000-${String(0xe00 + this.improvements.length).padStart(12, '0')}`;
        const m: Improvement = { id, title: r.title, change: r.change, departmentId: r.departmentId, topicId: r.topicId ?? null, targetDate: r.targetDate ?? null, status: 'proposed', declinedReason: null, createdAt: AT, updatedAt: AT, doneAt: null, linked: 0, told: 0 };
        this.improvements = [m, ...this.improvements];
        if ('cell' in r.from) this.items.set(id, [...this.cellItems]);
        else this.link(id, 'item' in r.from ? [r.from.item] : r.from.items);
        return this.put(m);
      }
      case 'linkImprovementItems': {
        const [{ id, items }] = args as ApiArgs<'linkImprovementItems'>;
        this.link(id, items);
        return this.put(this.find(id));
      }
      case 'setImprovementStatus': {
        const [{ id, status, reason }] = args as ApiArgs<'setImprovementStatus'>;
        const m = this.find(id);
        if (!IMPROVEMENT_NEXT[m.status].includes(status)) throw new FakeRefusal('conflict', `An improvement that is ${m.status} cannot become ${status}.`);
        if (status === 'declined' && !reason) throw new FakeRefusal('bad_request', 'Say why the improvement is declined.');
        return this.put({ ...m, status, declinedReason: status === 'declined' ? reason! : null, doneAt: status === 'done' ? AT : null });
      }
      case 'getImprovementCustomers': {
        const [{ id }] = args as ApiArgs<'getImprovementCustomers'>;
        if (this.find(id).status !== 'done') throw new FakeRefusal('conflict', 'Customers are told once the improvement is done.');
        const told = new Set((this.items.get(id) ?? []).filter((i) => i.toldAt).map((i) => i.id));
        return (this.customers.get(id) ?? []).map((c) => ({ ...c, told: c.items.every((i) => told.has(i)) }));
      }
      case 'recordImprovementTold': {
        const [{ id, items }] = args as ApiArgs<'recordImprovementTold'>;
        if (this.find(id).status !== 'done') throw new FakeRefusal('conflict', 'Customers are told once the improvement is done.');
        let told = 0;
        this.items.set(id, (this.items.get(id) ?? []).map((i) => (items.includes(i.id) && !i.toldAt ? (told++, { ...i, toldAt: AT }) : i)));
        this.put(this.find(id));
        return { told };
      }
      case 'getImprovementsShared':
        return { items: this.shared } satisfies ImprovementsSharedList;
    }
  }
}
