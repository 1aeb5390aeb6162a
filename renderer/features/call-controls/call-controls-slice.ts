// Call controls: which ones the agent's state allows, the one in flight, the transfer form and the
// last failure. The call itself is the switch's: the screen follows the center's agent state.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AgentStateView } from '../../../shared/api/index';
import type { CallControlRequest } from '../../../shared/protocol/index';
import { desktopEvent } from '../../app/actions';
import type { CallShortcut } from '../shortcuts/shortcut-keys';

export type CallAction = Exclude<CallControlRequest['action'], 'finishWrapUp'>;

export interface CallControlsState {
  inFlight: CallAction | null;
  transferOpen: boolean;
  transferTarget: string;
  error: string | null;
}

const initialState: CallControlsState = { inFlight: null, transferOpen: false, transferTarget: '', error: null };

export const callControlRequested = createAction<{ action: CallAction; target?: string }>('callControls/requested');
export const callShortcutPressed = createAction<CallShortcut>('callControls/shortcutPressed');

/** The controls shown in each state, in the order they appear. */
export function callActionsFor(state: AgentStateView['state'] | undefined): CallAction[] {
  switch (state) {
    case 'ringing':
      return ['answer'];
    case 'on_call':
      return ['hold', 'transfer', 'hangup'];
    case 'on_hold':
      return ['resume', 'transfer', 'hangup'];
    default:
      return [];
  }
}

const callControlsSlice = createSlice({
  name: 'callControls',
  initialState,
  reducers: {
    callControlDone(state) {
      state.inFlight = null;
      state.transferOpen = false;
      state.transferTarget = '';
    },
    callControlFailed(state, action: PayloadAction<string>) {
      state.inFlight = null;
      state.error = action.payload;
    },
    transferOpened(state) {
      state.transferOpen = true;
      state.error = null;
    },
    transferClosed(state) {
      state.transferOpen = false;
      state.transferTarget = '';
    },
    transferTargetChanged(state, action: PayloadAction<string>) {
      state.transferTarget = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(callControlRequested, (state, action) => {
        state.inFlight = action.payload.action;
        state.error = null;
      })
      .addCase(desktopEvent.agentState, (state, action) => {
        // A new call or the end of this one: an old failure or half-typed transfer no longer applies.
        if (callActionsFor(action.payload.state).length === 0) Object.assign(state, initialState);
      });
  },
});

export const { callControlDone, callControlFailed, transferOpened, transferClosed, transferTargetChanged } = callControlsSlice.actions;
export const callControlsReducer = callControlsSlice.reducer;

type WithCallControls = { callControls: CallControlsState };
export const selectCallControls = (s: WithCallControls) => s.callControls;
