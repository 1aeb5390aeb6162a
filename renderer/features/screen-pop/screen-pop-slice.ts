// The call in front of the agent and its screen pop: the local cache's answer first, replaced by
// the center's fresher one when it arrives.
import { createSlice } from '@reduxjs/toolkit';
import type { ScreenPop } from '../../../shared/domain/index';
import type { CallOffered } from '../../../shared/protocol/index';
import { currentCallLoaded, desktopEvent } from '../../app/actions';

export interface ScreenPopState {
  call: CallOffered | null;
  pop: ScreenPop | null;
}

const initialState: ScreenPopState = { call: null, pop: null };

const screenPopSlice = createSlice({
  name: 'screenPop',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(desktopEvent.callOffered, (state, action) => {
        state.call = action.payload.call;
        state.pop = action.payload.pop;
      })
      .addCase(desktopEvent.screenPopUpdated, (state, action) => {
        if (state.call?.interactionId !== action.payload.interactionId) return;
        // A null from the center means it does not know the caller either; a local answer we
        // already show is still better than nothing, so only a real profile replaces the pop.
        if (action.payload.pop) state.pop = action.payload.pop;
      })
      .addCase(currentCallLoaded, (state, action) => {
        // Never let an answer that was already stale replace a call offered while it was in flight.
        if (!action.payload) return;
        if (state.call?.interactionId === action.payload.call.interactionId) {
          if (action.payload.pop) state.pop = action.payload.pop;
          return;
        }
        if (state.call && action.payload.call.offeredAt <= state.call.offeredAt) return;
        state.call = action.payload.call;
        state.pop = action.payload.pop;
      });
  },
});

export const screenPopReducer = screenPopSlice.reducer;

type WithScreenPop = { screenPop: ScreenPopState };
export const selectCall = (s: WithScreenPop) => s.screenPop.call;
export const selectPop = (s: WithScreenPop) => s.screenPop.pop;
export const selectCurrentInteractionId = (s: WithScreenPop) => s.screenPop.call?.interactionId ?? null;
export const selectCurrentCustomerId = (s: WithScreenPop) => s.screenPop.pop?.customer.id ?? null;
