// The agent's inbox of chats and emails as the desktop reports it (`inbox` events), which item is
// selected, the reply being written per conversation, and what the last action said (a conversation
// taken by someone else names who holds it).
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { InboxItem, InboxView, KeptReply } from '../../../shared/api/inbox';
import type { Snippet } from '../../../shared/api/snippets';
import type { Queue } from '../../../shared/domain/entities';

export interface InboxState {
  items: InboxItem[];
  connected: boolean;
  unsent: KeptReply[];
  selected: string | null;
  drafts: Record<string, string>;
  /** Per conversation: an action in flight. */
  busy: Record<string, boolean>;
  /** The last refusal, in the center's or the desktop's words (who holds it, offline…). */
  notice: { conversationId: string; message: string } | null;
  dispositions: Record<string, string>;
  /** Queues' disposition codes, loaded for items in wrap-up (null: not synced to this computer). */
  queues: Record<string, Queue | null>;
  /** The agent's own saved snippets (this computer), by name; `snippetError` the last refusal (code and words). */
  snippets: Snippet[];
  snippetError: { code: string; message: string } | null;
  /** A snippet save or delete in flight. */
  snippetBusy: boolean;
  /** Saves that went through (the form closes when this moves past the count it was sent at). */
  snippetSaves: number;
}

const initialState: InboxState = { items: [], connected: false, unsent: [], selected: null, drafts: {}, busy: {}, notice: null, dispositions: {}, queues: {}, snippets: [], snippetError: null, snippetBusy: false, snippetSaves: 0 };

export const offerAccepted = createAction<{ conversationId: string }>('inbox/offerAccepted');
export const offerDeclined = createAction<{ conversationId: string }>('inbox/offerDeclined');
export const replySubmitted = createAction<{ conversationId: string }>('inbox/replySubmitted');
export const unsentDiscarded = createAction<{ clientMutationId: string }>('inbox/unsentDiscarded');
export const snippetSaveRequested = createAction<{ id?: string; title: string; text: string }>('inbox/snippetSaveRequested');
export const snippetDeleteRequested = createAction<{ id: string }>('inbox/snippetDeleteRequested');
export const finishRequested = createAction<{ conversationId: string; to: 'wrap_up' | 'closed' }>('inbox/finishRequested');

const slice = createSlice({
  name: 'inbox',
  initialState,
  reducers: {
    inboxReceived(state, action: PayloadAction<InboxView>) {
      state.items = action.payload.items;
      state.connected = action.payload.connected;
      state.unsent = action.payload.unsent;
      const open = action.payload.items.filter((i) => i.conversation.state !== 'offered');
      if (!state.selected || !open.some((i) => i.conversation.id === state.selected)) state.selected = open[0]?.conversation.id ?? null;
    },
    itemSelected(state, action: PayloadAction<string>) {
      state.selected = action.payload;
    },
    draftChanged(state, action: PayloadAction<{ conversationId: string; text: string }>) {
      state.drafts[action.payload.conversationId] = action.payload.text;
    },
    dispositionPicked(state, action: PayloadAction<{ conversationId: string; code: string }>) {
      state.dispositions[action.payload.conversationId] = action.payload.code;
    },
    busyChanged(state, action: PayloadAction<{ conversationId: string; busy: boolean }>) {
      state.busy[action.payload.conversationId] = action.payload.busy;
    },
    queueLoaded(state, action: PayloadAction<{ id: string; queue: Queue | null }>) {
      state.queues[action.payload.id] = action.payload.queue;
    },
    noticeShown(state, action: PayloadAction<InboxState['notice']>) {
      state.notice = action.payload;
    },
    snippetsLoaded(state, action: PayloadAction<Snippet[]>) {
      state.snippets = action.payload;
    },
    snippetErrorCleared(state) {
      state.snippetError = null;
    },
    snippetSaved(state, action: PayloadAction<Snippet[]>) {
      state.snippets = action.payload;
      state.snippetSaves += 1;
    },
    snippetBusyChanged(state, action: PayloadAction<{ busy: boolean; error?: InboxState['snippetError'] }>) {
      state.snippetBusy = action.payload.busy;
      if (action.payload.error !== undefined) state.snippetError = action.payload.error;
    },
  },
});

export const { inboxReceived, itemSelected, draftChanged, dispositionPicked, busyChanged, noticeShown, queueLoaded, snippetsLoaded, snippetSaved, snippetErrorCleared, snippetBusyChanged } = slice.actions;
export const inboxReducer = slice.reducer;

type WithInbox = { inbox: InboxState };
export const selectInbox = (s: WithInbox) => s.inbox;
export const selectSelectedItem = (s: WithInbox) => s.inbox.items.find((i) => i.conversation.id === s.inbox.selected) ?? null;
