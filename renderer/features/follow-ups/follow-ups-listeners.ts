// Follow-up calls' side effects: load the list once an agent is signed in (again every few minutes,
// when the center says one of its items changed or an item reached its happy call, and when the sync
// state moves), place a call, and
// send an outcome (`voc.act` followUpOutcome: it works offline), a reschedule or a skip.
import type { UnknownAction } from '@reduxjs/toolkit';
import { desktopEvent } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import type { RootState } from '../../app/root-reducer';
import { translate } from '../../i18n/index';
import { sessionLoaded } from '../session/session-slice';
import { vocCenterChanged } from '../voc-desk/voc-desk-slice';
import {
  followUpCallFailed,
  followUpCallPlaced,
  followUpCallPlacing,
  followUpCallRequested,
  followUpFormDone,
  followUpFormFailed,
  followUpFormSending,
  followUpFormSubmitted,
  followUpsFailed,
  followUpsLoaded,
  followUpsLoading,
  followUpsRequested,
} from './follow-ups-slice';

/** Tasks fall due as time passes: the list is asked for again this often while an agent works. */
export const FOLLOW_UPS_REFRESH_MS = 120_000;

const isAgent = (state: RootState) => state.session.status === 'signedIn' && state.session.user?.role === 'agent';

function syncMoved(action: UnknownAction, state: RootState, before: RootState): boolean {
  if (!desktopEvent.syncStatus.match(action)) return false;
  const now = state.syncStatus.current;
  const then = before.syncStatus.current;
  return now?.pending !== then?.pending || now?.rejected.length !== then?.rejected.length || now?.state !== then?.state;
}

export function registerFollowUpsListeners(startListening: AppStartListening): void {
  // While an agent is signed in: now, then every few minutes.
  startListening({
    predicate: (action) => sessionLoaded.match(action),
    effect: async (_action, listener) => {
      listener.cancelActiveListeners();
      while (isAgent(listener.getState())) {
        listener.dispatch(followUpsRequested());
        await listener.delay(FOLLOW_UPS_REFRESH_MS);
      }
    },
  });

  startListening({
    predicate: (action, state, before) =>
      isAgent(state) &&
      (followUpsRequested.match(action) ||
        syncMoved(action, state, before) ||
        // One of the listed items changed, or an item reached its happy call (the raiser hears it).
        (vocCenterChanged.match(action) && (action.payload.status === 'follow_up' || state.followUps.tasks.some((t) => t.vocId === action.payload.id)))),
    effect: async (_action, listener) => {
      listener.cancelActiveListeners();
      await listener.delay(100);
      listener.dispatch(followUpsLoading());
      const response = await listener.extra.api.invoke('getFollowUps');
      listener.dispatch(response.ok ? followUpsLoaded(response.value) : followUpsFailed(response.error.message));
    },
  });

  startListening({
    actionCreator: followUpCallRequested,
    effect: async (action, listener) => {
      const { taskId } = action.payload;
      if (listener.getState().followUps.placing) return;
      listener.dispatch(followUpCallPlacing(taskId));
      const response = await listener.extra.api.invoke('callFollowUp', { id: taskId });
      if (response.ok) listener.dispatch(followUpCallPlaced({ taskId, interactionId: response.value.interactionId }));
      else {
        listener.dispatch(followUpCallFailed({ taskId, message: response.error.message }));
        listener.dispatch(followUpsRequested());
      }
    },
  });

  startListening({
    actionCreator: followUpFormSubmitted,
    effect: async (_action, listener) => {
      const state = listener.getState();
      const { form, tasks } = state.followUps;
      const task = tasks.find((t) => t.id === form?.taskId);
      if (!form || form.sending || !task) return;
      const say = (key: Parameters<typeof translate>[1]): void => {
        listener.dispatch(followUpFormFailed(translate(state.locale.current, key)));
      };
      const reason = form.reason.trim();
      const { api } = listener.extra;
      if (form.kind === 'outcome') {
        if (!form.outcome) {
          say('followUp.missingOutcome');
          return;
        }
        if (form.outcome === 'dissatisfied' && !reason) {
          say('followUp.missingReason');
          return;
        }
        listener.dispatch(followUpFormSending());
        const response = await api.invoke('actOnVocItem', {
          id: task.vocId,
          expectedStatus: 'follow_up',
          action: 'followUpOutcome',
          outcome: form.outcome,
          ...(reason ? { reason } : {}),
        });
        listener.dispatch(response.ok ? followUpFormDone({}) : followUpFormFailed(response.error.message));
        if (response.ok) listener.dispatch(followUpsRequested());
      } else if (form.kind === 'reschedule') {
        const at = new Date(form.at);
        if (Number.isNaN(at.getTime())) {
          say('followUp.missingTime');
          return;
        }
        listener.dispatch(followUpFormSending());
        const response = await api.invoke('rescheduleFollowUp', { id: task.id, at: at.toISOString() });
        listener.dispatch(response.ok ? followUpFormDone({ tasks: response.value.tasks }) : followUpFormFailed(response.error.message));
      } else {
        if (!reason) {
          say('followUp.missingSkipReason');
          return;
        }
        listener.dispatch(followUpFormSending());
        const response = await api.invoke('skipFollowUp', { id: task.id, reason });
        listener.dispatch(response.ok ? followUpFormDone({ tasks: response.value.tasks }) : followUpFormFailed(response.error.message));
      }
    },
  });
}
