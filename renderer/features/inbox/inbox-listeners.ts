// Inbox side effects: follow the desktop's `inbox` and `conversationWithdrawn` events, load the view on
// sign-in, and ask the desktop to accept, decline, reply, wrap up and close.
import type { ApiResponse } from '../../../shared/api/index';
import type { Snippet } from '../../../shared/api/snippets';
import { appStarted, appStopped } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { sessionLoaded } from '../session/session-slice';
import {
  busyChanged,
  draftChanged,
  finishRequested,
  inboxReceived,
  noticeShown,
  offerAccepted,
  offerDeclined,
  queueLoaded,
  replySubmitted,
  itemSelected,
  snippetBusyChanged,
  snippetDeleteRequested,
  snippetSaveRequested,
  snippetsLoaded,
  snippetSaved,
  unsentDiscarded,
} from './inbox-slice';

export function registerInboxListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const offs = [
        listener.extra.api.on('inbox', (v) => listener.dispatch(inboxReceived(v))),
        listener.extra.api.on('conversationWithdrawn', (w) => listener.dispatch(noticeShown({ conversationId: w.conversationId, message: `withdrawn:${w.reason}` }))),
      ];
      try {
        await listener.condition(appStopped.match);
      } finally {
        for (const off of offs) off();
      }
    },
  });

  startListening({
    actionCreator: sessionLoaded,
    effect: async (action, listener) => {
      if (!action.payload.signedIn) return;
      const view = await listener.extra.api.invoke('getInbox');
      if (view.ok) listener.dispatch(inboxReceived(view.value));
      // The signed-in agent's own snippets (another person on this computer has theirs).
      const snippets = await listener.extra.api.invoke('listSnippets');
      listener.dispatch(snippetsLoaded(snippets.ok ? snippets.value : []));
    },
  });

  // A queue's disposition codes (from the local store), once per queue, for the items in wrap-up.
  startListening({
    actionCreator: inboxReceived,
    effect: async (action, listener) => {
      for (const item of action.payload.items) {
        const id = item.conversation.queue;
        if (item.conversation.state !== 'wrap_up' || id in listener.getState().inbox.queues) continue;
        const queue = await listener.extra.api.invoke('getQueue', { queueId: id });
        listener.dispatch(queueLoaded({ id, queue: queue.ok ? queue.value : null }));
      }
    },
  });

  /** Runs one request for a conversation: busy while it runs, its refusal shown in words. */
  const guarded = async (listener: Parameters<Parameters<AppStartListening>[0]['effect']>[1], conversationId: string, run: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    listener.dispatch(busyChanged({ conversationId, busy: true }));
    listener.dispatch(noticeShown(null));
    try {
      const answer = await run();
      if (!answer.ok) listener.dispatch(noticeShown({ conversationId, message: answer.error?.message ?? '' }));
      return answer.ok;
    } finally {
      listener.dispatch(busyChanged({ conversationId, busy: false }));
    }
  };

  startListening({
    actionCreator: offerAccepted,
    effect: async ({ payload: { conversationId } }, listener) => {
      if (await guarded(listener, conversationId, () => listener.extra.api.invoke('acceptConversation', { conversationId }))) listener.dispatch(itemSelected(conversationId));
    },
  });
  startListening({
    actionCreator: offerDeclined,
    effect: async ({ payload: { conversationId } }, listener) => {
      await guarded(listener, conversationId, () => listener.extra.api.invoke('declineConversation', { conversationId }));
    },
  });
  startListening({
    actionCreator: replySubmitted,
    effect: async ({ payload: { conversationId } }, listener) => {
      const text = listener.getState().inbox.drafts[conversationId] ?? '';
      if (text.trim() === '') return;
      // Kept by the desktop first (offline too): the draft is cleared once it is safe there.
      if (await guarded(listener, conversationId, () => listener.extra.api.invoke('replyToConversation', { conversationId, text }))) {
        listener.dispatch(draftChanged({ conversationId, text: '' }));
      }
    },
  });
  startListening({
    actionCreator: unsentDiscarded,
    effect: async ({ payload: { clientMutationId } }, listener) => {
      await listener.extra.api.invoke('discardReply', { clientMutationId });
    },
  });
  startListening({
    actionCreator: finishRequested,
    effect: async ({ payload: { conversationId, to } }, listener) => {
      const disposition = listener.getState().inbox.dispositions[conversationId];
      await guarded(listener, conversationId, () => listener.extra.api.invoke('finishConversation', { conversationId, to, ...(to === 'closed' && disposition ? { disposition } : {}) }));
    },
  });

  // Saved snippets: a save or delete answers the list as it now stands; a refusal keeps the form as typed.
  const snippetChange = async (listener: Parameters<Parameters<AppStartListening>[0]['effect']>[1], run: () => Promise<ApiResponse<Snippet[]>>, saving = false) => {
    listener.dispatch(snippetBusyChanged({ busy: true, error: null }));
    const answer = await run();
    if (answer.ok) listener.dispatch(saving ? snippetSaved(answer.value) : snippetsLoaded(answer.value));
    listener.dispatch(snippetBusyChanged({ busy: false, error: answer.ok ? null : answer.error }));
  };
  startListening({
    actionCreator: snippetSaveRequested,
    effect: async ({ payload }, listener) => {
      await snippetChange(listener, () => listener.extra.api.invoke('saveSnippet', payload.id ? payload : { title: payload.title, text: payload.text }), true);
    },
  });
  startListening({
    actionCreator: snippetDeleteRequested,
    effect: async ({ payload: { id } }, listener) => {
      await snippetChange(listener, () => listener.extra.api.invoke('deleteSnippet', { id }));
    },
  });
}
