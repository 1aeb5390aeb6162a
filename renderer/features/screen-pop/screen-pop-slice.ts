// The call in front of the agent and its screen pop: the local cache's answer first (or the pop the
// center pushed with the offer, for a caller the cache does not hold), replaced by a fresher one when it
// arrives; never by an answer for another call, nor by an older reading of the same customer (`asOf`).
// The pop carries the whole card: the customer (identity, language, consent, segment, value with its
// R/F/M scores, tier and lifetime value, flags), the open VOC items and the last 50 contacts.
import { createSlice } from '@reduxjs/toolkit';
import { isOlderPop, type ScreenPop } from '../../../shared/domain/index';
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
        // already show is still better than nothing, so only a real profile replaces the pop,
        // and only one at least as new as the one shown.
        if (action.payload.pop && !isOlderPop(action.payload.pop, state.pop)) state.pop = action.payload.pop;
      })
      .addCase(currentCallLoaded, (state, action) => {
        // Never let an answer that was already stale replace a call offered while it was in flight.
        if (!action.payload) return;
        if (state.call?.interactionId === action.payload.call.interactionId) {
          if (action.payload.pop && !isOlderPop(action.payload.pop, state.pop)) state.pop = action.payload.pop;
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
