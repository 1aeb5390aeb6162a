// Call control (answer, hold, resume, transfer, hang up, finish wrap-up): relayed to the center,
// which hands it to the CTI source owning the call. Never queued offline: a call cannot wait.
import type { z } from 'zod';
import { CallControlResponse, EVENTS, type CallControlRequest } from '../../../shared/protocol/index';
import type { CenterLink } from '../center-link';
import { desktopErrorFromCenter, type CenterErrorWords } from '../center-errors';

export interface CallControlService {
  control(request: CallControlRequest): Promise<z.infer<typeof CallControlResponse>>;
}

export const OFFLINE_CALL_CONTROL =
  'You are offline: Earshot cannot control the call until the connection returns. Use your phone for this call.';

/** A call cannot wait: without an answer from the center, the phone is where the agent acts. */
const CALL_CONTROL_WORDS: CenterErrorWords = {
  offline: OFFLINE_CALL_CONTROL,
  timeout: 'The Earshot center did not answer in time. Check the call on your phone and try again.',
};

export function createCallControlService(link: CenterLink): CallControlService {
  return {
    async control(request) {
      try {
        return await link.request(EVENTS.callControl, request, CallControlResponse);
      } catch (err) {
        throw desktopErrorFromCenter(err, CALL_CONTROL_WORDS);
      }
    },
  };
}
