// Sends call controls to the desktop, and turns call shortcuts into the control the state allows.
import type { AppStartListening } from '../../app/listener';
import type { RootState } from '../../app/root-reducer';
import { selectCurrentInteractionId } from '../screen-pop/screen-pop-slice';
import { wrapUpDoneRequested } from '../wrap-up/wrap-up-slice';
import { callActionsFor, callControlDone, callControlFailed, callControlRequested, callShortcutPressed, transferOpened, type CallAction } from './call-controls-slice';

/** The call the controls act on: the one the center says the agent is on, else the one popped. */
export const selectControlledCall = (s: RootState): string | null => s.agentState.current?.interactionId ?? selectCurrentInteractionId(s);

/** How long a call shortcut waits for the control before it to be answered. */
const IN_FLIGHT_WAIT_MS = 5_000;

const SHORTCUT_ACTIONS: Record<string, CallAction> = {
  answerCall: 'answer',
  holdCall: 'hold',
  resumeCall: 'resume',
  transferCall: 'transfer',
  hangUpCall: 'hangup',
};

export function registerCallControlsListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: callControlRequested,
    effect: async (action, listener) => {
      const interactionId = selectControlledCall(listener.getState());
      if (!interactionId) return void listener.dispatch(callControlFailed('there is no call to control.'));
      const { action: what, target } = action.payload;
      const response = await listener.extra.api.invoke('callControl', { interactionId, action: what, ...(target ? { target } : {}) });
      if (response.ok) listener.dispatch(callControlDone());
      else listener.dispatch(callControlFailed(response.error.message));
    },
  });

  startListening({
    actionCreator: callShortcutPressed,
    effect: async (action, listener) => {
      // A key pressed while the previous control is still being answered (the center's state push can
      // arrive before its reply) waits for that reply, briefly, instead of being dropped.
      if (listener.getState().callControls.inFlight !== null) {
        if (!(await listener.condition((_, s) => s.callControls.inFlight === null, IN_FLIGHT_WAIT_MS))) return;
      }
      const state = listener.getState();
      const agentState = state.agentState.current?.state;
      if (action.payload === 'finishWrapUp') {
        if (agentState === 'wrap_up') listener.dispatch(wrapUpDoneRequested());
        return;
      }
      const wanted = SHORTCUT_ACTIONS[action.payload];
      if (!wanted || !callActionsFor(agentState).includes(wanted)) return;
      if (wanted === 'transfer') listener.dispatch(transferOpened());
      else listener.dispatch(callControlRequested({ action: wanted }));
    },
  });
}
