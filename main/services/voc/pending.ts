// How an item looks on this desktop while its steps wait to sync: the center's last answer with each
// queued `voc.act` applied in order, through the same transition table the center decides with
// (shared/domain/voc.ts). A step whose expected status no longer matches was overtaken (the center
// has applied it, or someone acted first and the center will refuse it): it changes nothing here.
import type { Department, VocItem } from '../../../shared/domain/entities';
import { availableVocActions, nextStatus, type VocActionName, type VocActor } from '../../../shared/domain/voc';
import type { PendingVocAct } from '../../db/index';

/** The signed-in person, as the desk needs them. */
export interface DeskPerson {
  userId: string;
  displayName: string;
  role: VocActor['role'];
}

export interface PendingContext {
  departments: ReadonlyMap<string, Department>;
  self: DeskPerson | null;
}

/** What the person is to the departments (member, lead), from the synced reference data. */
export function deskActor(self: DeskPerson, departments: Iterable<Department>): VocActor {
  const memberOf = new Set<string>();
  const leads = new Set<string>();
  for (const d of departments) {
    if (d.members.some((m) => m.userId === self.userId)) memberOf.add(d.id);
    if (d.leadUserId === self.userId) leads.add(d.id);
  }
  return { userId: self.userId, role: self.role, memberOf, leads };
}

function applyStep<T extends VocItem>(item: T, act: PendingVocAct, ctx: PendingContext): T {
  const { args } = act;
  const department = item.departmentId === null ? undefined : ctx.departments.get(item.departmentId);
  const next: T = { ...item, status: nextStatus(item, args, { requiresApproval: department?.requiresApproval ?? false }), updatedAt: act.createdAt };
  switch (args.action) {
    case 'assign':
      return { ...next, ownerUserId: args.ownerUserId, ownerName: department?.members.find((m) => m.userId === args.ownerUserId)?.name ?? null };
    case 'take':
      return ctx.self ? { ...next, ownerUserId: ctx.self.userId, ownerName: ctx.self.displayName } : next;
    case 'handOver':
      return { ...next, departmentId: args.departmentId, ownerUserId: null, ownerName: null };
    case 'recordResult':
      return { ...next, result: args.result, remedy: args.remedy };
    case 'notifyCustomer':
      return { ...next, notifiedVia: args.via, notifiedAt: args.at };
    case 'followUpOutcome':
      return { ...next, followUpOutcome: args.outcome };
    case 'reclassify': {
      const { action: _action, id: _id, expectedStatus: _expected, ...fields } = args;
      const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      return { ...next, ...defined };
    }
    default:
      return next;
  }
}

/**
 * The item with this desktop's queued steps applied. `pendingSync`: at least one step changed it here
 * that the center's answer does not show yet. A step the center already acknowledged is applied only
 * when it moves the item, since a fresh answer at the same status cannot be told from a stale one.
 */
export function withPendingSteps<T extends VocItem>(item: T, acts: readonly PendingVocAct[], ctx: PendingContext): { item: T; pendingSync: boolean } {
  let current = item;
  let pendingSync = false;
  for (const act of acts) {
    if (act.args.id !== item.id || act.args.expectedStatus !== current.status) continue;
    const next = applyStep(current, act, ctx);
    if (act.acked && next.status === current.status) continue;
    current = next;
    pendingSync = true;
  }
  return { item: current, pendingSync };
}

/** The steps the person may take on the item as it looks here (the center's list when nothing is pending). */
export function stepsFor(item: VocItem, ctx: PendingContext): VocActionName[] {
  return ctx.self ? availableVocActions(item, deskActor(ctx.self, ctx.departments.values())) : [];
}
