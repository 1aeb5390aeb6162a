// What the signed-in person may do with improvements, as the center decides it
// (server/src/voc/improvements.ts): supervisors and admins everything; a department's lead proposes,
// accepts and declines its improvements; its members move them on and tell customers; analysts and
// leads read all; agents none. The desktop only hides what would be refused.
import { useMemo } from 'react';
import type { Improvement, ImprovementStatus } from '../../../shared/api/improvements';
import { isDecision } from '../../../shared/api/improvements';
import type { Department, Role } from '../../../shared/domain/index';
import { useAppSelector } from '../../app/hooks';

export interface Person {
  id: string;
  role: Role;
}

const isManager = (p: Person | null) => p?.role === 'supervisor' || p?.role === 'admin';

export interface ImprovementRights {
  /** Departments the person may propose improvements for (managers: every active one; leads: theirs). */
  proposeFor: Department[];
  /** Departments the person belongs to or leads. */
  mine: ReadonlySet<string>;
  readAll: boolean;
  mayDecide(departmentId: string): boolean;
  mayWork(departmentId: string): boolean;
  mayMove(m: Pick<Improvement, 'departmentId'>, to: ImprovementStatus): boolean;
}

export function improvementRights(person: Person | null, departments: readonly Department[]): ImprovementRights {
  const active = departments.filter((d) => d.active);
  const leads = new Set(active.filter((d) => person && d.leadUserId === person.id).map((d) => d.id));
  const mine = new Set([...leads, ...active.filter((d) => person && d.members.some((m) => m.userId === person.id)).map((d) => d.id)]);
  const mayDecide = (id: string) => isManager(person) || leads.has(id);
  const mayWork = (id: string) => mayDecide(id) || mine.has(id);
  return {
    proposeFor: isManager(person) ? active : active.filter((d) => leads.has(d.id)),
    mine,
    readAll: isManager(person) || person?.role === 'analyst' || leads.size > 0,
    mayDecide,
    mayWork,
    mayMove: (m, to) => (isDecision(to) ? mayDecide(m.departmentId) : mayWork(m.departmentId)),
  };
}

/** Whether the person may read improvements at all (the center refuses the others). */
export const readsImprovements = (r: ImprovementRights) => r.readAll || r.mine.size > 0;

type WithPeople = { session: { user: Person | null }; vocReference: { departments: Department[] } };
/** The rights of whoever is signed in, from the session and the synced departments. */
export const rightsOf = (s: WithPeople) => improvementRights(s.session.user, s.vocReference.departments);

export function useImprovementRights(): ImprovementRights {
  const user = useAppSelector((s) => s.session.user);
  const departments = useAppSelector((s) => s.vocReference.departments);
  return useMemo(() => improvementRights(user, departments), [user, departments]);
}
