// Wrap-up of the call just ended: the queue's disposition codes (required or optional per queue),
// the agent's choice, and finishing after-call work. Never touches notes: they stay editable.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AgentStateView, FinishWrapUpResult } from '../../../shared/api/index';
import type { Queue } from '../../../shared/domain/entities';
import { desktopEvent } from '../../app/actions';
import { agentStateAnswered, agentStateLoaded } from '../agent-state/agent-state-slice';

export interface WrapUpState {
  /** The interaction being wrapped up; the choice below belongs to it. */
  interactionId: string | null;
  queueId: string | null;
  /** undefined while loading; null when this computer has not synced the queue. */
  queue: Queue | null | undefined;
  disposition: string;
  submitting: boolean;
  /** Done was pressed without the disposition the queue requires. */
  missingDisposition: boolean;
  /** Finished offline: the disposition is saved, the center ends wrap-up on reconnect. */
  savedOffline: boolean;
  error: string | null;
}

const initialState: WrapUpState = {
  interactionId: null,
  queueId: null,
  queue: undefined,
  disposition: '',
  submitting: false,
  missingDisposition: false,
  savedOffline: false,
  error: null,
};

export const wrapUpDoneRequested = createAction('wrapUp/doneRequested');

function follow(state: WrapUpState, view: AgentStateView | null): void {
  if (view?.state !== 'wrap_up' || !view.interactionId) return;
  if (view.interactionId === state.interactionId) return;
  Object.assign(state, initialState, { interactionId: view.interactionId, queueId: view.queue });
}

const wrapUpSlice = createSlice({
  name: 'wrapUp',
  initialState,
  reducers: {
    wrapUpQueueLoaded(state, action: PayloadAction<{ queueId: string; queue: Queue | null }>) {
      if (state.queueId === action.payload.queueId) state.queue = action.payload.queue;
    },
    dispositionChosen(state, action: PayloadAction<string>) {
      state.disposition = action.payload;
      state.missingDisposition = false;
    },
    wrapUpDispositionMissing(state) {
      state.missingDisposition = true;
    },
    wrapUpFinished(state, action: PayloadAction<FinishWrapUpResult>) {
      state.submitting = false;
      state.savedOffline = !action.payload.wrapUpFinished;
    },
    wrapUpFailed(state, action: PayloadAction<string>) {
      state.submitting = false;
      state.error = action.payload;
    },
    wrapUpSubmitting(state) {
      state.submitting = true;
      state.error = null;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(desktopEvent.agentState, (state, action) => follow(state, action.payload))
      .addCase(agentStateLoaded, (state, action) => follow(state, action.payload))
      .addCase(agentStateAnswered, (state, action) => follow(state, action.payload));
  },
});

export const { wrapUpQueueLoaded, dispositionChosen, wrapUpDispositionMissing, wrapUpFinished, wrapUpFailed, wrapUpSubmitting } = wrapUpSlice.actions;
export const wrapUpReducer = wrapUpSlice.reducer;

type WithWrapUp = { wrapUp: WrapUpState };
export const selectWrapUp = (s: WithWrapUp) => s.wrapUp;
export const selectDispositionRequired = (s: WithWrapUp) => s.wrapUp.queue?.dispositionRequired ?? false;
