// Flush on close: the note the agent is typing is saved after a short pause (the debounce); when
// the window closes or the desktop quits inside that pause, the text is saved at once instead.
// Two triggers: the desktop's `flushRequested` event (Electron waits, bounded, for `flushCompleted`)
// and the page's `beforeunload` (web mode's tab closed: the saves are sent before the page goes).
import { createAction } from '@reduxjs/toolkit';
import { appStarted, appStopped } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { noteSaved, noteSaveFailed, noteSaveStarted } from '../notes/notes-slice';

/** Save every held-back note now; `requestId` is the desktop's request to answer, if it asked. */
export const notesFlushRequested = createAction<{ requestId: string | null }>('flushOnClose/requested');

export function registerFlushOnCloseListeners(startListening: AppStartListening, target: Pick<Window, 'addEventListener' | 'removeEventListener'> | null = typeof window === 'undefined' ? null : window): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const off = listener.extra.api.on('flushRequested', ({ requestId }) => listener.dispatch(notesFlushRequested({ requestId })));
      const onUnload = () => listener.dispatch(notesFlushRequested({ requestId: null }));
      target?.addEventListener('beforeunload', onUnload);
      try {
        await listener.condition(appStopped.match);
      } finally {
        off();
        target?.removeEventListener('beforeunload', onUnload);
      }
    },
  });

  startListening({
    actionCreator: notesFlushRequested,
    effect: async (action, listener) => {
      const { api } = listener.extra;
      // Every note whose latest text the desktop does not have yet (and that has a customer to belong to).
      const held = Object.values(listener.getState().notes.drafts).filter((d) => d.customerId !== null && d.savedText !== d.text);
      // All sent at once: on `beforeunload` the page may not live to send a second round.
      const results = await Promise.all(
        held.map(async (draft) => {
          const text = draft.text;
          listener.dispatch(noteSaveStarted({ interactionId: draft.interactionId }));
          const response = await api.invoke('saveNote', { id: draft.noteId, customerId: draft.customerId!, interactionId: draft.interactionId, text });
          if (response.ok) listener.dispatch(noteSaved({ interactionId: draft.interactionId, text, saved: response.value }));
          else listener.dispatch(noteSaveFailed({ interactionId: draft.interactionId, message: response.error.message }));
          return response.ok;
        }),
      );
      const { requestId } = action.payload;
      if (requestId) await api.invoke('flushCompleted', { requestId, saved: results.filter(Boolean).length });
    },
  });
}
