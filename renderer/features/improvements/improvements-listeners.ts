// Improvements' side effects: load the list when the analysis or the desk's Improvements tab shows (and
// after every change made here or a done one is heard of), send a proposal, open one with its customers once done, move it on,
// link more items, record customers as told; and follow the floor's `improvementsShared` event and
// other desks' changes (`improvementChanged`).
import type { ImprovementDetail } from '../../../shared/api/improvements';
import type { DesktopApi } from '../../../shared/api/index';
import { appStarted, appStopped } from '../../app/actions';
import type { AppDispatch, AppStartListening } from '../../app/listener';
import { analysisOpened } from '../analysis/analysis-slice';
import { sessionLoaded } from '../session/session-slice';
import {
  actionDone,
  actionFailed,
  actionSending,
  deskTabChosen,
  draftFailed,
  draftSending,
  improvementCreated,
  improvementLinkSubmitted,
  improvementLoaded,
  improvementLoadFailed,
  improvementOpened,
  improvementsAsked,
  improvementsFailed,
  improvementsLoaded,
  improvementsLoading,
  improvementStatusAsked,
  improvementSubmitted,
  improvementToldAsked,
  sharedReceived,
  tellingFinished,
  tellingStarted,
} from './improvements-slice';
import { readsImprovements, rightsOf } from './rights';

export function registerImprovementsListeners(startListening: AppStartListening): void {
  startListening({
    // A done one heard from the center (improvementsShared) changes what is open, too.
    predicate: (action) =>
      improvementsAsked.match(action) || analysisOpened.match(action) || sharedReceived.match(action) || (deskTabChosen.match(action) && action.payload === 'improvements'),
    effect: async (_action, listener) => {
      if (!readsImprovements(rightsOf(listener.getState()))) return;
      listener.cancelActiveListeners();
      listener.dispatch(improvementsLoading());
      const answer = await listener.extra.api.invoke('listImprovements', {});
      if (answer.ok) listener.dispatch(improvementsLoaded(answer.value));
      else listener.dispatch(improvementsFailed(answer.error));
    },
  });

  startListening({
    actionCreator: improvementSubmitted,
    effect: async (_action, listener) => {
      const draft = listener.getState().improvements.draft;
      if (!draft || draft.sending) return;
      listener.dispatch(draftSending());
      const answer = await listener.extra.api.invoke('createImprovement', {
        title: draft.title.trim(),
        change: draft.change.trim(),
        departmentId: draft.departmentId,
        topicId: draft.topicId,
        targetDate: draft.targetDate || null,
        from: draft.source,
      });
      if (answer.ok) listener.dispatch(improvementCreated(answer.value));
      else listener.dispatch(draftFailed(answer.error.message));
    },
  });

  /** The open improvement and, once done, its customers; null when it failed (said on the page). */
  async function reload(listener: { extra: { api: DesktopApi }; dispatch: AppDispatch }, id: string): Promise<ImprovementDetail | null> {
    const detail = await listener.extra.api.invoke('getImprovement', { id });
    if (!detail.ok) {
      listener.dispatch(improvementLoadFailed({ id, message: detail.error.message }));
      return null;
    }
    let customers = null;
    if (detail.value.improvement.status === 'done') {
      const c = await listener.extra.api.invoke('getImprovementCustomers', { id });
      if (c.ok) customers = c.value;
    }
    listener.dispatch(improvementLoaded({ detail: detail.value, customers }));
    return detail.value;
  }

  startListening({
    actionCreator: improvementOpened,
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      await reload(listener, action.payload);
    },
  });

  startListening({
    predicate: (action) => improvementStatusAsked.match(action) || improvementLinkSubmitted.match(action),
    effect: async (action, listener) => {
      const open = listener.getState().improvements.open;
      if (!open || open.acting) return;
      listener.dispatch(actionSending());
      const answer = improvementStatusAsked.match(action)
        ? await listener.extra.api.invoke('setImprovementStatus', { id: open.id, status: action.payload.to, ...(action.payload.reason ? { reason: action.payload.reason } : {}) })
        : open.linking?.length
          ? await listener.extra.api.invoke('linkImprovementItems', { id: open.id, items: open.linking })
          : null;
      if (answer && !answer.ok) {
        listener.dispatch(actionFailed(answer.error.message));
        return;
      }
      listener.dispatch(actionDone());
      await reload(listener, open.id);
      listener.dispatch(improvementsAsked());
    },
  });

  startListening({
    actionCreator: improvementToldAsked,
    effect: async (action, listener) => {
      const open = listener.getState().improvements.open;
      if (!open) return;
      const { customerId, items, via } = action.payload;
      listener.dispatch(tellingStarted(customerId));
      const answer = await listener.extra.api.invoke('recordImprovementTold', { id: open.id, items, via });
      listener.dispatch(tellingFinished({ customerId, error: answer.ok ? null : answer.error.message }));
      if (answer.ok) await reload(listener, open.id);
    },
  });

  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const offShared = listener.extra.api.on('improvementsShared', (p) => listener.dispatch(sharedReceived(p.items)));
      // Another desk proposed or moved one on: the list, and the one open here if it is that one, read again.
      const offChanged = listener.extra.api.on('improvementChanged', (p) => {
        if (!readsImprovements(rightsOf(listener.getState()))) return;
        listener.dispatch(improvementsAsked());
        if (listener.getState().improvements.open?.id === p.id) void reload(listener, p.id);
      });
      try {
        await listener.condition(appStopped.match);
      } finally {
        offShared();
        offChanged();
      }
    },
  });

  startListening({
    actionCreator: sessionLoaded,
    effect: async (action, listener) => {
      if (!action.payload.signedIn) return;
      const list = await listener.extra.api.invoke('getImprovementsShared');
      if (list.ok) listener.dispatch(sharedReceived(list.value.items));
    },
  });
}
