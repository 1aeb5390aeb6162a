// The agent's state as the center last reported it (the center owns the state machine and the
// timestamps), plus the agent's own request in flight and its outcome.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AgentStateRequest, AgentStateView } from '../../../shared/api/index';
import { desktopEvent } from '../../app/actions';

export interface AgentStateSliceState {
  current: AgentStateView | null;
  submitting: boolean;
  error: string | null;
}

const initialState: AgentStateSliceState = { current: null, submitting: false, error: null };

export const agentStateRequested = createAction<AgentStateRequest>('agentState/requested');

const agentStateSlice = createSlice({
  name: 'agentState',
  initialState,
  reducers: {
    agentStateLoaded(state, action: PayloadAction<AgentStateView | null>) {
      state.current = action.payload;
    },
    agentStateAnswered(state, action: PayloadAction<AgentStateView>) {
      state.current = action.payload;
      state.submitting = false;
    },
    agentStateFailed(state, action: PayloadAction<string>) {
      state.submitting = false;
      state.error = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(agentStateRequested, (state) => {
        state.submitting = true;
        state.error = null;
      })
      .addCase(desktopEvent.agentState, (state, action) => {
        state.current = action.payload;
      });
  },
});

export const { agentStateLoaded, agentStateAnswered, agentStateFailed } = agentStateSlice.actions;
export const agentStateReducer = agentStateSlice.reducer;

type WithAgentState = { agentState: AgentStateSliceState };
export const selectAgentState = (s: WithAgentState) => s.agentState.current;
export const selectAgentStateSubmitting = (s: WithAgentState) => s.agentState.submitting;
export const selectAgentStateError = (s: WithAgentState) => s.agentState.error;

/** States the agent may leave by choosing available or not ready; call states belong to the switch. */
export const isCallState = (state: AgentStateView['state']): boolean => state === 'ringing' || state === 'on_call' || state === 'on_hold';
