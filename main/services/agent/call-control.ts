// Call control (answer, hold, resume, transfer, hang up, finish wrap-up): relayed to the center,
// which hands it to the CTI source owning the call. Never queued offline: a call cannot wait.
import type { z } from 'zod';
import { CallControlResponse, EVENTS, type CallControlRequest } from '../../../shared/protocol/index';
import type { CenterLink } from '../center-link';
import { agentFacingError } from './center-errors';

export interface CallControlService {
  control(request: CallControlRequest): Promise<z.infer<typeof CallControlResponse>>;
}

export const OFFLINE_CALL_CONTROL =
  'You are offline: Earshot cannot control the call until the connection returns. Use your phone for this call.';

export function createCallControlService(link: CenterLink): CallControlService {
  return {
    async control(request) {
      try {
        return await link.request(EVENTS.callControl, request, CallControlResponse);
      } catch (err) {
        throw agentFacingError(err, OFFLINE_CALL_CONTROL);
      }
    },
  };
}
