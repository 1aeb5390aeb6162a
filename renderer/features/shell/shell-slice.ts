// Which of a person's views is on screen. Agents take calls; department staff work the VOC desk;
// supervisors and admins watch the floor, work the desk, and take calls when their account does too;
// they, the staff who lead a department, and analysts (management, nothing else) read the VOC analysis.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Role } from '../../../shared/domain/index';

export const VIEWS = ['floor', 'calls', 'desk', 'analysis'] as const;
export type View = (typeof VIEWS)[number];

export interface ShellState {
  /** The view chosen; null: the role's first. */
  view: View | null;
}

const initialState: ShellState = { view: null };

const shellSlice = createSlice({
  name: 'shell',
  initialState,
  reducers: {
    viewChosen(state, action: PayloadAction<View>) {
      state.view = action.payload;
    },
  },
});

export const { viewChosen } = shellSlice.actions;
export const shellReducer = shellSlice.reducer;

interface ShellUser {
  id?: string;
  role: Role;
  takesCalls?: boolean;
}

/** The views a person may open, their home view first; `leadsADepartment`: staff who lead one read the analysis too. */
export function viewsOf(user: ShellUser | null | undefined, leadsADepartment = false): readonly View[] {
  switch (user?.role) {
    case undefined:
    case 'agent':
      return ['calls'];
    case 'staff':
      return leadsADepartment ? ['desk', 'analysis'] : ['desk'];
    case 'supervisor':
    case 'admin':
      return user.takesCalls ? ['floor', 'calls', 'desk', 'analysis'] : ['floor', 'desk', 'analysis'];
    case 'analyst':
      return ['analysis'];
    default:
      return ['calls'];
  }
}

type WithShell = {
  shell: ShellState;
  session: { user: ShellUser | null };
  vocReference: { departments: ReadonlyArray<{ active: boolean; leadUserId: string | null }> };
};

const viewsCache = new WeakMap<object, { leads: boolean; views: readonly View[] }>();
/** Memoised per user object (and whether they lead a department), so components comparing the list by reference do not re-render. */
export const selectViews = (s: WithShell): readonly View[] => {
  const user = s.session.user;
  if (!user) return viewsOf(null);
  const leads = user.role === 'staff' && s.vocReference.departments.some((d) => d.active && d.leadUserId === user.id);
  let cached = viewsCache.get(user);
  if (!cached || cached.leads !== leads) viewsCache.set(user, (cached = { leads, views: viewsOf(user, leads) }));
  return cached.views;
};

export const selectView = (s: WithShell): View => {
  const views = selectViews(s);
  return s.shell.view && views.includes(s.shell.view) ? s.shell.view : views[0]!;
};
