// Which of a person's views is on screen. Agents take calls; department staff work the VOC desk;
// supervisors and admins watch the floor, work the desk, and take calls when their account does too;
// they, and analysts (management, nothing else), read the VOC analysis.
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
  role: Role;
  takesCalls?: boolean;
}

/** The views a person may open, their home view first. */
export function viewsOf(user: ShellUser | null | undefined): readonly View[] {
  switch (user?.role) {
    case undefined:
    case 'agent':
      return ['calls'];
    case 'staff':
      return ['desk'];
    case 'supervisor':
    case 'admin':
      return user.takesCalls ? ['floor', 'calls', 'desk', 'analysis'] : ['floor', 'desk', 'analysis'];
    case 'analyst':
      return ['analysis'];
    default:
      return ['calls'];
  }
}

type WithShell = { shell: ShellState; session: { user: ShellUser | null } };

const viewsCache = new WeakMap<object, readonly View[]>();
/** Memoised per user object, so components comparing the list by reference do not re-render. */
export const selectViews = (s: WithShell): readonly View[] => {
  const user = s.session.user;
  if (!user) return viewsOf(null);
  let views = viewsCache.get(user);
  if (!views) viewsCache.set(user, (views = viewsOf(user)));
  return views;
};

export const selectView = (s: WithShell): View => {
  const views = selectViews(s);
  return s.shell.view && views.includes(s.shell.view) ? s.shell.view : views[0]!;
};
