// The agent's free-form note for each interaction: the text as typed, what the desktop has saved,
// and what the center has acknowledged. Text lives here until a save succeeds, so nothing is lost.
import { createSelector, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { SavedNote } from '../../../shared/api/index';
import { desktopEvent } from '../../app/actions';
import { newClientId } from '../../app/new-id';

export interface NoteDraft {
  /** Generated once per interaction; every save is a new revision of this note. */
  noteId: string;
  interactionId: string;
  /** null while the caller has no customer record: the note cannot be saved until there is one. */
  customerId: string | null;
  text: string;
  /** Bumped on every keystroke, so a debounced save knows whether a later edit took over. */
  editSeq: number;
  savedText: string | null;
  savedRevision: number | null;
  syncedRevision: number | null;
  saving: boolean;
  error: string | null;
}

export interface NotesState {
  drafts: Record<string, NoteDraft>;
}

const initialState: NotesState = { drafts: {} };

const notesSlice = createSlice({
  name: 'notes',
  initialState,
  reducers: {
    noteEdited: {
      reducer(
        state,
        action: PayloadAction<{ interactionId: string; customerId: string | null; text: string; candidateNoteId: string }>,
      ) {
        const { interactionId, customerId, text, candidateNoteId } = action.payload;
        const draft = (state.drafts[interactionId] ??= {
          noteId: candidateNoteId,
          interactionId,
          customerId,
          text: '',
          editSeq: 0,
          savedText: null,
          savedRevision: null,
          syncedRevision: null,
          saving: false,
          error: null,
        });
        draft.text = text;
        draft.customerId ??= customerId;
        draft.editSeq += 1;
      },
      // The id is drawn here, outside the reducer, and used only if the interaction has no note yet.
      prepare(payload: { interactionId: string; customerId: string | null; text: string }) {
        return { payload: { ...payload, candidateNoteId: newClientId() } };
      },
    },
    /** The caller's customer record became known after the note was started (e.g. the center's pop). */
    noteCustomerFound(state, action: PayloadAction<{ interactionId: string; customerId: string }>) {
      const draft = state.drafts[action.payload.interactionId];
      if (!draft || draft.customerId !== null) return;
      draft.customerId = action.payload.customerId;
      draft.editSeq += 1;
    },
    noteSaveStarted(state, action: PayloadAction<{ interactionId: string }>) {
      const draft = state.drafts[action.payload.interactionId];
      if (draft) draft.saving = true;
    },
    noteSaved(state, action: PayloadAction<{ interactionId: string; text: string; saved: SavedNote }>) {
      const draft = state.drafts[action.payload.interactionId];
      if (!draft) return;
      const { saved, text } = action.payload;
      draft.saving = false;
      draft.error = null;
      // Saves can overlap; only a newer revision moves what we call saved.
      if (draft.savedRevision !== null && saved.revision <= draft.savedRevision) return;
      draft.savedRevision = saved.revision;
      draft.savedText = text;
      if (saved.synced) draft.syncedRevision = Math.max(draft.syncedRevision ?? 0, saved.revision);
    },
    noteSaveFailed(state, action: PayloadAction<{ interactionId: string; message: string }>) {
      const draft = state.drafts[action.payload.interactionId];
      if (!draft) return;
      draft.saving = false;
      draft.error = action.payload.message;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(desktopEvent.noteSynced, (state, action) => {
      const draft = Object.values(state.drafts).find((d) => d.noteId === action.payload.id);
      if (draft) draft.syncedRevision = Math.max(draft.syncedRevision ?? 0, action.payload.revision);
    });
  },
});

export const { noteEdited, noteCustomerFound, noteSaveStarted, noteSaved, noteSaveFailed } = notesSlice.actions;
export const notesReducer = notesSlice.reducer;

export type NoteStatus = 'idle' | 'noCustomer' | 'saving' | 'failed' | 'saved' | 'synced';

/** What the quiet indicator under the editor says. */
export function noteStatusOf(draft: NoteDraft | undefined): NoteStatus {
  if (!draft || (draft.text === '' && draft.savedRevision === null)) return 'idle';
  if (draft.customerId === null) return 'noCustomer';
  if (draft.savedText !== draft.text) return draft.error ? 'failed' : 'saving';
  if (draft.savedRevision !== null && (draft.syncedRevision ?? 0) >= draft.savedRevision) return 'synced';
  return 'saved';
}

type WithNotes = { notes: NotesState };
export const selectNoteDraft = (s: WithNotes, interactionId: string | null): NoteDraft | undefined =>
  interactionId ? s.notes.drafts[interactionId] : undefined;

/** Notes of earlier contacts in this session that are not yet safely on this computer. */
export const selectUnsavedEarlierNotes = createSelector(
  [(s: WithNotes) => s.notes.drafts, (_s: WithNotes, currentInteractionId: string | null) => currentInteractionId],
  (drafts, current) =>
    Object.values(drafts).filter((d) => d.interactionId !== current && ['saving', 'failed', 'noCustomer'].includes(noteStatusOf(d))),
);
