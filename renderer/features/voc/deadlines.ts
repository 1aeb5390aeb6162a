// An item's three clocks as the agent and the desk read them (VOC.md, "Deadlines"): which are still
// running, the nearest due, and whether any has passed without its step.
import { DEADLINE_KINDS, type DeadlineKind, type VocItem } from '../../../shared/domain/index';

export interface RunningDeadline {
  kind: DeadlineKind;
  dueAt: string;
  overdue: boolean;
}

/** Clocks with a due time and not yet met, in the order acknowledge, resolve, notify. */
export function runningDeadlines(item: Pick<VocItem, 'deadlines'>): RunningDeadline[] {
  const running: RunningDeadline[] = [];
  for (const kind of DEADLINE_KINDS) {
    const d = item.deadlines[kind];
    if (d && d.dueAt !== null && d.metAt === null) running.push({ kind, dueAt: d.dueAt, overdue: d.overdue });
  }
  return running;
}

/** The nearest running deadline (null when none runs) and whether any running one has passed. */
export function dueState(item: Pick<VocItem, 'deadlines'>): { nextDue: string | null; overdue: boolean } {
  const running = runningDeadlines(item);
  const nextDue = running.reduce<string | null>((min, d) => (min === null || d.dueAt < min ? d.dueAt : min), null);
  return { nextDue, overdue: running.some((d) => d.overdue) };
}
