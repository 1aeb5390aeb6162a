// Side effects of wrap-up: load the queue's disposition codes when after-call work starts, and
// finish it through the desktop (disposition via the outbox, then the center ends wrap-up).
import type { AppStartListening } from '../../app/listener';
import { selectDispositionRequired, wrapUpDispositionMissing, wrapUpDoneRequested, wrapUpFailed, wrapUpFinished, wrapUpQueueLoaded, wrapUpSubmitting } from './wrap-up-slice';

export function registerWrapUpListeners(startListening: AppStartListening): void {
  startListening({
    predicate: (_action, current, previous) => current.wrapUp.queueId !== null && current.wrapUp.interactionId !== previous.wrapUp.interactionId,
    effect: async (_action, listener) => {
      const queueId = listener.getState().wrapUp.queueId;
      if (!queueId) return;
      const response = await listener.extra.api.invoke('getQueue', { queueId });
      // Without the codes the agent may still finish: the center decides; the panel says so.
      listener.dispatch(wrapUpQueueLoaded({ queueId, queue: response.ok ? response.value : null }));
    },
  });

  startListening({
    actionCreator: wrapUpDoneRequested,
    effect: async (_action, listener) => {
      const state = listener.getState();
      const { interactionId, disposition, submitting } = state.wrapUp;
      if (!interactionId || submitting) return;
      if (selectDispositionRequired(state) && !disposition) return void listener.dispatch(wrapUpDispositionMissing());
      listener.dispatch(wrapUpSubmitting());
      const response = await listener.extra.api.invoke('finishWrapUp', { interactionId, ...(disposition ? { disposition } : {}) });
      if (response.ok) listener.dispatch(wrapUpFinished(response.value));
      else listener.dispatch(wrapUpFailed(response.error.message));
    },
  });
}
