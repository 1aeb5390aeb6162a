// The VOC desk (staff; supervisors and admins switch to it from the floor view): which list is shown
// under which filters, the list as the desktop last answered, the item open beside it, the step being
// written on it, and the overdue alerts the center pushed.
import { selectView } from '../shell/shell-slice';
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DeskVocEntry, VocDeskItem, VocDeskQueue } from '../../../shared/api/voc';
import type { FollowUpOutcome, NotifyChannel, VocActionName, VocPriority, VocStatus, VocType } from '../../../shared/domain/index';
import type { VocFieldValues } from '../../components/VocFields';
import type { VocOverdue } from '../../../shared/protocol/index';
import { sessionLoaded } from '../session/session-slice';

export type DeskScope = 'mine' | 'department' | 'all';
export type DueFilter = 'any' | 'overdue' | 'today' | 'week';

export interface DeskFilters {
  types: VocType[];
  priorities: VocPriority[];
  /** A catalogue topic or category; null: any. */
  topicId: string | null;
  /** Only items nobody classified (free text), for a supervisor to map. */
  unclassified: boolean;
  statuses: VocStatus[];
  due: DueFilter;
  /** One department (scope department or all); null: all of mine (or every one, for supervisors). */
  departmentId: string | null;
}

export const NO_FILTERS: DeskFilters = { types: [], priorities: [], topicId: null, unclassified: false, statuses: [], due: 'any', departmentId: null };

/** Every argument a step may need (the classification as the VOC form writes it); the form shows the ones its step takes. */
export interface StepDraft extends Pick<VocFieldValues, 'type' | 'topic' | 'topicId' | 'priority' | 'safety' | 'wants'> {
  action: VocActionName;
  reason: string;
  result: string;
  remedy: string;
  ownerUserId: string;
  departmentId: string;
  via: NotifyChannel;
  /** datetime-local text (the person's own clock), turned into an ISO time when sent. */
  at: string;
  outcome: FollowUpOutcome;
}

type Loading = 'idle' | 'loading' | 'ready' | 'failed';

export interface VocDeskState {
  scope: DeskScope;
  filters: DeskFilters;
  list: Omit<VocDeskQueue, 'asOf'> & { status: Loading; asOf: string | null; error: string | null; loadingMore: boolean };
  selectedId: string | null;
  page: { status: Loading; data: VocDeskItem | null; error: string | null };
  /** The last step queued here (its outbox mutation): the page says it waits to sync, or that the center refused it. */
  step: { draft: StepDraft | null; sending: boolean; error: string | null; queued: { action: VocActionName; mutationId: string } | null };
  /** The center's overdue pushes, newest first (a few). */
  alerts: VocOverdue[];
}

const initialState: VocDeskState = {
  scope: 'mine',
  filters: NO_FILTERS,
  list: { status: 'idle', items: [], next: null, overdueCount: 0, asOf: null, offline: false, error: null, loadingMore: false },
  selectedId: null,
  page: { status: 'idle', data: null, error: null },
  step: { draft: null, sending: false, error: null, queued: null },
  alerts: [],
};

const ALERTS_KEPT = 5;

/** Ask the desktop for the list again (`more`: the next page, appended). */
export const deskListRequested = createAction<{ more: boolean }>('vocDesk/listRequested');
/** The center says an item of this person's changed (a `vocChanged` push, or `vocOverdue`): whatever shows it refreshes. */
export const vocCenterChanged = createAction<{ id: string; status?: string }>('vocDesk/centerChanged');
/** The person sends the step being written (the listener builds its arguments). */
export const deskStepSubmitted = createAction('vocDesk/stepSubmitted');

const deskSlice = createSlice({
  name: 'vocDesk',
  initialState,
  reducers: {
    deskScopeChosen(state, action: PayloadAction<DeskScope>) {
      state.scope = action.payload;
      state.filters.departmentId = null;
    },
    deskFiltersChanged(state, action: PayloadAction<Partial<DeskFilters>>) {
      Object.assign(state.filters, action.payload);
    },
    deskFiltersCleared(state) {
      state.filters = { ...NO_FILTERS, departmentId: state.filters.departmentId };
    },
    deskListLoading(state, action: PayloadAction<{ more: boolean }>) {
      if (action.payload.more) state.list.loadingMore = true;
      else state.list.status = state.list.status === 'ready' ? 'ready' : 'loading';
    },
    deskListLoaded(state, action: PayloadAction<{ answer: VocDeskQueue; more: boolean }>) {
      const { answer, more } = action.payload;
      const items: DeskVocEntry[] = more ? [...state.list.items, ...answer.items.filter((i) => !state.list.items.some((k) => k.id === i.id))] : answer.items;
      state.list = { ...answer, items, status: 'ready', error: null, loadingMore: false };
    },
    deskListFailed(state, action: PayloadAction<string>) {
      state.list.status = 'failed';
      state.list.error = action.payload;
      state.list.loadingMore = false;
    },
    deskItemOpened(state, action: PayloadAction<string>) {
      if (state.selectedId !== action.payload) {
        state.page = { status: 'loading', data: null, error: null };
        state.step = initialState.step;
      }
      state.selectedId = action.payload;
    },
    deskItemClosed(state) {
      state.selectedId = null;
      state.page = initialState.page;
      state.step = initialState.step;
    },
    deskPageLoaded(state, action: PayloadAction<VocDeskItem>) {
      if (action.payload.item.id !== state.selectedId) return;
      state.page = { status: 'ready', data: action.payload, error: null };
      // A step no longer offered (someone acted, or it was just taken) closes its form.
      if (state.step.draft && !state.step.sending && !action.payload.actions.includes(state.step.draft.action)) state.step.draft = null;
    },
    deskPageFailed(state, action: PayloadAction<{ id: string; message: string }>) {
      if (action.payload.id !== state.selectedId) return;
      state.page = { status: 'failed', data: state.page.data, error: action.payload.message };
    },
    deskStepOpened(state, action: PayloadAction<StepDraft>) {
      state.step = { draft: action.payload, sending: false, error: null, queued: null };
    },
    deskStepChanged(state, action: PayloadAction<Partial<StepDraft>>) {
      if (state.step.draft && !state.step.sending) Object.assign(state.step.draft, action.payload);
    },
    deskStepCancelled(state) {
      state.step = initialState.step;
    },
    deskStepSending(state) {
      state.step.sending = true;
      state.step.error = null;
    },
    deskStepQueued(state, action: PayloadAction<{ action: VocActionName; mutationId: string }>) {
      state.step = { draft: null, sending: false, error: null, queued: action.payload };
    },
    deskStepFailed(state, action: PayloadAction<string>) {
      state.step.sending = false;
      state.step.error = action.payload;
    },
    deskOverdueHeard(state, action: PayloadAction<VocOverdue>) {
      state.alerts = [action.payload, ...state.alerts.filter((a) => !(a.id === action.payload.id && a.deadline === action.payload.deadline))].slice(0, ALERTS_KEPT);
    },
    deskAlertDismissed(state, action: PayloadAction<{ id: string; deadline: string }>) {
      state.alerts = state.alerts.filter((a) => !(a.id === action.payload.id && a.deadline === action.payload.deadline));
    },
  },
  extraReducers: (builder) => {
    // A new person at the desk starts from their own view: staff their items, supervisors every department.
    builder.addCase(sessionLoaded, (state, action) => {
      const role = action.payload.user?.role;
      return { ...initialState, scope: role === 'supervisor' || role === 'admin' ? 'all' : 'mine' };
    });
  },
});

export const {
  deskScopeChosen,
  deskFiltersChanged,
  deskFiltersCleared,
  deskListLoading,
  deskListLoaded,
  deskListFailed,
  deskItemOpened,
  deskItemClosed,
  deskPageLoaded,
  deskPageFailed,
  deskStepOpened,
  deskStepChanged,
  deskStepCancelled,
  deskStepSending,
  deskStepQueued,
  deskStepFailed,
  deskOverdueHeard,
  deskAlertDismissed,
} = deskSlice.actions;
export const vocDeskReducer = deskSlice.reducer;

type WithDesk = { vocDesk: VocDeskState };
export const selectDesk = (s: WithDesk) => s.vocDesk;
export const selectDeskList = (s: WithDesk) => s.vocDesk.list;
export const selectDeskPage = (s: WithDesk) => s.vocDesk.page;
export const selectDeskStep = (s: WithDesk) => s.vocDesk.step;

/** Who works the desk: staff always; supervisors and admins when they switched to it. */
export const selectDeskVisible = (s: Parameters<typeof selectView>[0]) => selectView(s) === 'desk';
