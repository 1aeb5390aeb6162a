// Turns a refused or unanswered center request into an error the agent can act on.
import { DesktopApiError } from '../api-dispatch';
import { CenterRequestError } from '../center-link';

/** `offline` says what to do while disconnected; other refusals keep the center's own words. */
export function agentFacingError(err: unknown, offline: string): DesktopApiError {
  if (!(err instanceof CenterRequestError)) {
    return new DesktopApiError('internal', `The request failed on this computer (${err instanceof Error ? err.message : 'unknown error'}). Try again; if it keeps failing, tell IT.`);
  }
  switch (err.code) {
    case 'offline':
      return new DesktopApiError('offline', offline);
    case 'timeout':
      return new DesktopApiError('timeout', 'The Earshot center did not answer in time. Check the call on your phone and try again.');
    case 'bad_answer':
      return new DesktopApiError('bad_answer', 'The Earshot center answered in a way this desktop does not understand. Tell IT: Earshot may need an update.');
    default:
      return new DesktopApiError(err.code, err.message);
  }
}
