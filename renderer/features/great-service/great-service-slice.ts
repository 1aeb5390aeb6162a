// Great service, shared: the tenant's recent marks (newest first) as every desktop shows them, which
// ones this person has hidden, and a supervisor's mark in progress.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { GreatService } from '../../../shared/protocol/index';

export interface GreatServiceState {
  items: GreatService[];
  /** Ids this desktop hid from the banner (kept for the session only). */
  hidden: string[];
  /** A supervisor is writing why this interaction was exceptional. */
  marking: { interactionId: string; agent: string } | null;
  markResult: { agent: string; ok: boolean; message: string | null } | null;
}

const initialState: GreatServiceState = { items: [], hidden: [], marking: null, markResult: null };

export const markSubmitted = createAction<{ interactionId: string; agent: string; why: string }>('greatService/markSubmitted');

const slice = createSlice({
  name: 'greatService',
  initialState,
  reducers: {
    greatServiceReceived(state, action: PayloadAction<GreatService[]>) {
      if (JSON.stringify(state.items) !== JSON.stringify(action.payload)) state.items = action.payload;
    },
    greatServiceHidden(state, action: PayloadAction<string>) {
      if (!state.hidden.includes(action.payload)) state.hidden.push(action.payload);
    },
    markOpened(state, action: PayloadAction<{ interactionId: string; agent: string }>) {
      state.marking = action.payload;
      state.markResult = null;
    },
    markClosed(state) {
      state.marking = null;
    },
    markFinished(state, action: PayloadAction<NonNullable<GreatServiceState['markResult']>>) {
      state.markResult = action.payload;
      if (action.payload.ok) state.marking = null;
    },
  },
});

export const { greatServiceReceived, greatServiceHidden, markOpened, markClosed, markFinished } = slice.actions;
export const greatServiceReducer = slice.reducer;

type WithGreatService = { greatService: GreatServiceState };
export const selectVisibleGreatService = (s: WithGreatService) => s.greatService.items;
export const selectHiddenGreatService = (s: WithGreatService) => s.greatService.hidden;
export const selectMarking = (s: WithGreatService) => s.greatService.marking;
export const selectMarkResult = (s: WithGreatService) => s.greatService.markResult;
