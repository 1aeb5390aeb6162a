// Side effects of fixing refused mutations: load the editable text, send the fix, discard.
import type { AppStartListening } from '../../app/listener';
import {
  rejectedDiscardRequested,
  rejectedFixClosed,
  rejectedFixFailed,
  rejectedFixLoaded,
  rejectedFixOpened,
  rejectedFixSending,
  rejectedRetryRequested,
} from './rejected-slice';

export function registerRejectedListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: rejectedFixOpened,
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      const response = await listener.extra.api.invoke('getRejectedMutation', { mutationId: action.payload.mutationId });
      if (response.ok) listener.dispatch(rejectedFixLoaded(response.value));
      else listener.dispatch(rejectedFixFailed(response.error.message));
    },
  });

  startListening({
    actionCreator: rejectedRetryRequested,
    effect: async (_action, listener) => {
      const { mutationId, edit, status } = listener.getState().rejected;
      if (!mutationId || !edit || status !== 'editing') return;
      listener.dispatch(rejectedFixSending());
      const response = await listener.extra.api.invoke('retryRejectedMutation', { mutationId, edit });
      if (response.ok) listener.dispatch(rejectedFixClosed());
      else listener.dispatch(rejectedFixFailed(response.error.message));
    },
  });

  startListening({
    actionCreator: rejectedDiscardRequested,
    effect: async (action, listener) => {
      const response = await listener.extra.api.invoke('discardRejectedMutation', { mutationId: action.payload.mutationId });
      if (!response.ok) listener.dispatch(rejectedFixFailed(response.error.message));
      else if (listener.getState().rejected.mutationId === action.payload.mutationId) listener.dispatch(rejectedFixClosed());
    },
  });
}
