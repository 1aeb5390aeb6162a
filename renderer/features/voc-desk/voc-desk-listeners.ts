// The desk's side effects: load the list under the chosen filters (again when the center says an item
// changed or a deadline passed, when a step was queued, and when the sync state moves: a step synced,
// refused, or the connection came back), load the open item's page, and send a step.
import { viewChosen } from '../shell/shell-slice';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { VocQueueRequest } from '../../../shared/protocol/index';
import { appStarted, appStopped, desktopEvent } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import type { RootState } from '../../app/root-reducer';
import { sessionLoaded } from '../session/session-slice';
import { stepArgs } from './steps';
import { translate } from '../../i18n/index';
import {
  deskFiltersChanged,
  deskFiltersCleared,
  deskItemOpened,
  deskListFailed,
  deskListLoaded,
  deskListLoading,
  deskListRequested,
  deskOverdueHeard,
  deskPageFailed,
  deskPageLoaded,
  deskScopeChosen,
  deskStepFailed,
  deskStepQueued,
  deskStepSending,
  deskStepSubmitted,
  selectDeskVisible,
  vocCenterChanged,
  type DeskFilters,
  type DeskScope,
} from './voc-desk-slice';

/** Refresh hints arriving together (a push per changed item) make one request. */
export const DESK_REFRESH_DELAY_MS = 150;
const PAGE_SIZE = 50;

/** The center's question for the desk's scope and filters; due dates are counted on this computer's clock. */
export function queueRequest(scope: DeskScope, filters: DeskFilters, now: Date, after: string | null): VocQueueRequest {
  const request: VocQueueRequest = { scope, limit: PAGE_SIZE };
  if (scope !== 'mine' && filters.departmentId) request.departmentId = filters.departmentId;
  if (filters.types.length) request.types = filters.types;
  if (filters.priorities.length) request.priorities = filters.priorities;
  if (filters.topicId) request.topicId = filters.topicId;
  if (filters.unclassified) request.unclassified = true;
  if (filters.statuses.length) request.statuses = filters.statuses;
  if (filters.due === 'overdue') request.overdueOnly = true;
  if (filters.due === 'today') {
    const end = new Date(now);
    end.setHours(24, 0, 0, 0);
    request.dueTo = end.toISOString();
  }
  if (filters.due === 'week') request.dueTo = new Date(now.getTime() + 7 * 24 * 3600_000).toISOString();
  if (after) request.after = after;
  return request;
}

/** A change of sync state the desk should show: steps synced or refused, or the connection back. */
function syncMoved(action: UnknownAction, state: RootState, before: RootState): boolean {
  if (!desktopEvent.syncStatus.match(action)) return false;
  const now = state.syncStatus.current;
  const then = before.syncStatus.current;
  return now?.pending !== then?.pending || now?.rejected.length !== then?.rejected.length || now?.state !== then?.state || now?.lastSyncAt !== then?.lastSyncAt;
}

export function registerVocDeskListeners(startListening: AppStartListening): void {
  // The center's pushes, for the life of the app.
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const { api } = listener.extra;
      const unsubscribe = [
        api.on('vocChanged', (p) => listener.dispatch(vocCenterChanged(p))),
        api.on('vocOverdue', (p) => {
          listener.dispatch(deskOverdueHeard(p));
          listener.dispatch(vocCenterChanged({ id: p.id }));
        }),
      ];
      try {
        await listener.condition(appStopped.match);
      } finally {
        for (const off of unsubscribe) off();
      }
    },
  });

  // Whatever asks for a fresh list, one request after a short quiet time.
  startListening({
    predicate: (action, state, before) =>
      selectDeskVisible(state) &&
      (sessionLoaded.match(action) ||
        (viewChosen.match(action) && action.payload === 'desk') ||
        deskScopeChosen.match(action) ||
        deskFiltersChanged.match(action) ||
        deskFiltersCleared.match(action) ||
        deskStepQueued.match(action) ||
        vocCenterChanged.match(action) ||
        syncMoved(action, state, before) ||
        (deskListRequested.match(action) && !action.payload.more)),
    effect: async (_action, listener) => {
      listener.cancelActiveListeners();
      await listener.delay(DESK_REFRESH_DELAY_MS);
      const { scope, filters } = listener.getState().vocDesk;
      listener.dispatch(deskListLoading({ more: false }));
      const response = await listener.extra.api.invoke('getVocQueue', queueRequest(scope, filters, new Date(), null));
      listener.dispatch(response.ok ? deskListLoaded({ answer: response.value, more: false }) : deskListFailed(response.error.message));
    },
  });

  startListening({
    predicate: (action) => deskListRequested.match(action) && action.payload.more,
    effect: async (_action, listener) => {
      const { scope, filters, list } = listener.getState().vocDesk;
      if (!list.next || list.loadingMore) return;
      listener.dispatch(deskListLoading({ more: true }));
      const response = await listener.extra.api.invoke('getVocQueue', queueRequest(scope, filters, new Date(), list.next));
      listener.dispatch(response.ok ? deskListLoaded({ answer: response.value, more: true }) : deskListFailed(response.error.message));
    },
  });

  // The open item's page: on opening it, and on the same hints as the list (its own change, any sync move).
  startListening({
    predicate: (action, state, before) =>
      state.vocDesk.selectedId !== null &&
      (deskItemOpened.match(action) ||
        deskStepQueued.match(action) ||
        (vocCenterChanged.match(action) && action.payload.id === state.vocDesk.selectedId) ||
        syncMoved(action, state, before)),
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      if (!deskItemOpened.match(action)) await listener.delay(DESK_REFRESH_DELAY_MS);
      const id = listener.getState().vocDesk.selectedId;
      if (!id) return;
      const response = await listener.extra.api.invoke('getVocItem', { id });
      listener.dispatch(response.ok ? deskPageLoaded(response.value) : deskPageFailed({ id, message: response.error.message }));
    },
  });

  startListening({
    actionCreator: deskStepSubmitted,
    effect: async (_action, listener) => {
      const state = listener.getState();
      const { draft, sending } = state.vocDesk.step;
      const item = state.vocDesk.page.data?.item;
      if (!draft || sending || !item) return;
      const built = stepArgs(draft, item);
      if ('missing' in built) {
        listener.dispatch(deskStepFailed(translate(state.locale.current, built.missing)));
        return;
      }
      listener.dispatch(deskStepSending());
      const response = await listener.extra.api.invoke('actOnVocItem', built.args);
      listener.dispatch(response.ok ? deskStepQueued({ action: draft.action, mutationId: response.value.mutationId }) : deskStepFailed(response.error.message));
    },
  });
}
