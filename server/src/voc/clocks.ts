// An item's three clocks (VOC.md, "Deadlines"): acknowledge (an owner assigned), resolve (a result
// recorded), notify (the customer told), each a number of working minutes on the tenant's business
// calendar from when the clocks started, plus the working time the item spent waiting on the
// customer. Pure: the workflow stores what these return.
import { addWorkingMinutes, DEADLINE_KINDS, type DeadlineKind, type VocPriority, type VocType } from '../../../shared/domain';
import { slaKey, type TenantVocConfig } from './config';

/** The clock columns of an item as the workflow reads and writes them. */
export interface Clocks {
  clockStartedAt: Date | null;
  pausedSince: Date | null;
  pausedMinutes: number;
  due: Record<DeadlineKind, Date | null>;
  met: Record<DeadlineKind, Date | null>;
  overdue: Record<DeadlineKind, boolean>;
}

/** The dues of the clocks not yet met, from the start plus the time spent paused; null without a target. */
export function dueDates(cfg: Pick<TenantVocConfig, 'sla' | 'calendar'>, item: { type: VocType; priority: VocPriority }, c: Clocks): Record<DeadlineKind, Date | null> {
  const target = cfg.sla.get(slaKey(item.type, item.priority));
  const due = { acknowledge: null, resolve: null, notify: null } as Record<DeadlineKind, Date | null>;
  if (!target || !c.clockStartedAt || c.pausedSince) return due;
  for (const kind of DEADLINE_KINDS) {
    if (c.met[kind]) {
      due[kind] = c.due[kind];
      continue;
    }
    due[kind] = new Date(addWorkingMinutes(c.clockStartedAt.getTime(), target[kind] + c.pausedMinutes, cfg.calendar));
  }
  return due;
}

/** The desk's order keys: the nearest running deadline, and whether any has passed. */
export function deskOrder(c: Pick<Clocks, 'due' | 'met' | 'overdue'>): { nextDue: Date | null; overdue: boolean } {
  let nextDue: Date | null = null;
  for (const kind of DEADLINE_KINDS) {
    const d = c.due[kind];
    if (c.met[kind] || !d) continue;
    if (!nextDue || d < nextDue) nextDue = d;
  }
  return { nextDue, overdue: DEADLINE_KINDS.some((k) => c.overdue[k] && !c.met[k]) };
}
