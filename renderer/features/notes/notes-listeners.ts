// Saves notes through the DesktopApi: debounced after the last keystroke, always the full text,
// retried with capped backoff until the desktop has it.
import { isAnyOf } from '@reduxjs/toolkit';
import type { AppStartListening } from '../../app/listener';
import { noteCustomerFound, noteEdited, noteSaved, noteSaveFailed, noteSaveStarted } from './notes-slice';

export function registerNotesListeners(startListening: AppStartListening): void {
  startListening({
    matcher: isAnyOf(noteEdited, noteCustomerFound),
    effect: async (action, listener) => {
      const { api, timing } = listener.extra;
      if (!noteEdited.match(action) && !noteCustomerFound.match(action)) return;
      const { interactionId } = action.payload;
      const draftNow = () => listener.getState().notes.drafts[interactionId];
      const mySeq = draftNow()?.editSeq;
      await listener.delay(timing.noteSaveDelayMs);
      let retryWait = timing.noteRetryBaseMs;
      for (;;) {
        const draft = draftNow();
        // A later edit runs its own debounced save; this one stands down.
        if (!draft || draft.editSeq !== mySeq) return;
        if (draft.customerId === null || draft.savedText === draft.text) return;
        listener.dispatch(noteSaveStarted({ interactionId }));
        const text = draft.text;
        const response = await api.invoke('saveNote', {
          id: draft.noteId,
          customerId: draft.customerId,
          interactionId,
          text,
        });
        if (response.ok) {
          listener.dispatch(noteSaved({ interactionId, text, saved: response.value }));
          return;
        }
        listener.dispatch(noteSaveFailed({ interactionId, message: response.error.message }));
        await listener.delay(retryWait);
        retryWait = Math.min(retryWait * 2, timing.noteRetryMaxMs);
      }
    },
  });

  // A note started for an unknown caller is saved as soon as the center's pop names a customer.
  startListening({
    predicate: (_action, current, previous) => current.screenPop.pop !== previous.screenPop.pop,
    effect: (_action, listener) => {
      const { call, pop } = listener.getState().screenPop;
      if (!call || !pop) return;
      const draft = listener.getState().notes.drafts[call.interactionId];
      if (draft && draft.customerId === null) {
        listener.dispatch(noteCustomerFound({ interactionId: call.interactionId, customerId: pop.customer.id }));
      }
    },
  });
}
