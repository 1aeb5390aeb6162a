// Follow-up ("happy") calls for agents (VOC.md step 8): the list as the desktop last answered, the
// call this agent placed, and the one form open on a card (outcome, reschedule or skip).
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DeskFollowUp, FollowUpDesk } from '../../../shared/api/voc';
import type { FollowUpOutcome } from '../../../shared/domain/index';

export type FollowUpFormKind = 'outcome' | 'reschedule' | 'skip';

export interface FollowUpForm {
  kind: FollowUpFormKind;
  taskId: string;
  outcome: FollowUpOutcome | null;
  reason: string;
  /** datetime-local text on the agent's clock (reschedule). */
  at: string;
  sending: boolean;
  error: string | null;
}

export interface FollowUpsState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  tasks: DeskFollowUp[];
  asOf: string | null;
  offline: boolean;
  error: string | null;
  /** Tasks this agent called (the center claims them for the agent): the outcome form stays offered. */
  called: Record<string, { interactionId: string }>;
  /** The task whose call is being placed, and a refusal to place it. */
  placing: string | null;
  callError: { taskId: string; message: string } | null;
  form: FollowUpForm | null;
}

const initialState: FollowUpsState = { status: 'idle', tasks: [], asOf: null, offline: false, error: null, called: {}, placing: null, callError: null, form: null };

export const followUpsRequested = createAction('followUps/requested');
export const followUpCallRequested = createAction<{ taskId: string }>('followUps/callRequested');
export const followUpFormSubmitted = createAction('followUps/formSubmitted');

const followUpsSlice = createSlice({
  name: 'followUps',
  initialState,
  reducers: {
    followUpsLoading(state) {
      if (state.status !== 'ready') state.status = 'loading';
    },
    followUpsLoaded(state, action: PayloadAction<FollowUpDesk>) {
      state.status = 'ready';
      state.tasks = action.payload.tasks;
      state.asOf = action.payload.asOf;
      state.offline = action.payload.offline;
      state.error = null;
    },
    followUpsFailed(state, action: PayloadAction<string>) {
      state.status = 'failed';
      state.error = action.payload;
    },
    followUpCallPlacing(state, action: PayloadAction<string>) {
      state.placing = action.payload;
      state.callError = null;
    },
    followUpCallPlaced(state, action: PayloadAction<{ taskId: string; interactionId: string }>) {
      state.placing = null;
      state.called[action.payload.taskId] = { interactionId: action.payload.interactionId };
      state.form = { kind: 'outcome', taskId: action.payload.taskId, outcome: null, reason: '', at: '', sending: false, error: null };
    },
    followUpCallFailed(state, action: PayloadAction<{ taskId: string; message: string }>) {
      state.placing = null;
      state.callError = action.payload;
    },
    followUpFormOpened(state, action: PayloadAction<{ kind: FollowUpFormKind; taskId: string; at?: string }>) {
      state.form = { kind: action.payload.kind, taskId: action.payload.taskId, outcome: null, reason: '', at: action.payload.at ?? '', sending: false, error: null };
    },
    followUpFormChanged(state, action: PayloadAction<Partial<Pick<FollowUpForm, 'outcome' | 'reason' | 'at'>>>) {
      if (state.form && !state.form.sending) Object.assign(state.form, action.payload);
    },
    followUpFormClosed(state) {
      state.form = null;
    },
    followUpFormSending(state) {
      if (state.form) {
        state.form.sending = true;
        state.form.error = null;
      }
    },
    followUpFormFailed(state, action: PayloadAction<string>) {
      if (state.form) {
        state.form.sending = false;
        state.form.error = action.payload;
      }
    },
    followUpFormDone(state, action: PayloadAction<{ tasks?: DeskFollowUp[] }>) {
      const taskId = state.form?.taskId;
      state.form = null;
      if (taskId) delete state.called[taskId];
      if (action.payload.tasks) state.tasks = action.payload.tasks;
    },
  },
});

export const {
  followUpsLoading,
  followUpsLoaded,
  followUpsFailed,
  followUpCallPlacing,
  followUpCallPlaced,
  followUpCallFailed,
  followUpFormOpened,
  followUpFormChanged,
  followUpFormClosed,
  followUpFormSending,
  followUpFormFailed,
  followUpFormDone,
} = followUpsSlice.actions;
export const followUpsReducer = followUpsSlice.reducer;
export const selectFollowUps = (s: { followUps: FollowUpsState }) => s.followUps;
