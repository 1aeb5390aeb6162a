// Fixing a mutation the center refused: the one the agent opened (its editable text, loaded from the
// desktop), the edit in progress, and the request in flight. One at a time: the list is short.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { RejectedDetail, RejectedEdit } from '../../../shared/api/rejected';
import { desktopEvent } from '../../app/actions';

export interface RejectedFixState {
  /** The refused mutation being fixed, or null. */
  mutationId: string | null;
  status: 'idle' | 'loading' | 'editing' | 'sending' | 'notEditable';
  detail: RejectedDetail | null;
  edit: RejectedEdit | null;
  error: string | null;
}

const initialState: RejectedFixState = { mutationId: null, status: 'idle', detail: null, edit: null, error: null };

/** The agent chose "discard" on a refused mutation (the listener asks the desktop). */
export const rejectedDiscardRequested = createAction<{ mutationId: string }>('rejected/discardRequested');
/** The agent sent the fixed text again (the listener asks the desktop). */
export const rejectedRetryRequested = createAction('rejected/retryRequested');

const rejectedSlice = createSlice({
  name: 'rejected',
  initialState,
  reducers: {
    rejectedFixOpened(_state, action: PayloadAction<{ mutationId: string }>) {
      return { ...initialState, mutationId: action.payload.mutationId, status: 'loading' };
    },
    rejectedFixLoaded(state, action: PayloadAction<RejectedDetail | null>) {
      const detail = action.payload;
      if (state.status !== 'loading' || !detail || detail.mutationId !== state.mutationId) {
        if (!detail && state.status === 'loading') return initialState; // gone from the list meanwhile
        return;
      }
      state.detail = detail;
      state.edit = detail.editable;
      state.status = detail.editable ? 'editing' : 'notEditable';
    },
    rejectedFixChanged(state, action: PayloadAction<RejectedEdit>) {
      if (state.status === 'editing' && state.edit?.kind === action.payload.kind) state.edit = action.payload;
    },
    rejectedFixSending(state) {
      state.status = 'sending';
      state.error = null;
    },
    rejectedFixFailed(state, action: PayloadAction<string>) {
      // Back to the edit (or to the list when it was a load or a discard): nothing typed is lost.
      state.status = state.edit ? 'editing' : state.detail ? 'notEditable' : 'idle';
      state.error = action.payload;
    },
    rejectedFixClosed() {
      return initialState;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(desktopEvent.syncStatus, (state, action) => {
      // Retried or discarded (here or elsewhere): the entry left the list, so does its editor.
      if (state.mutationId && state.status !== 'sending' && !action.payload.rejected.some((r) => r.mutationId === state.mutationId)) return initialState;
    });
  },
});

export const { rejectedFixOpened, rejectedFixLoaded, rejectedFixChanged, rejectedFixSending, rejectedFixFailed, rejectedFixClosed } = rejectedSlice.actions;
export const rejectedReducer = rejectedSlice.reducer;
export const selectRejectedFix = (s: { rejected: RejectedFixState }) => s.rejected;
