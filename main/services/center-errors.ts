// Turns a refused or unanswered center request into an error a person can act on: the one mapping
// of CenterRequestError to DesktopApiError, used by every service that asks the center on a person's
// behalf (agent state, call control, the supervisor's floor and thresholds, great service).
import { DesktopApiError } from './api-dispatch';
import { CenterRequestError } from './center-link';

type CenterErrorCode = CenterRequestError['code'];

/**
 * The caller's own words for some codes, where its context says more than the center can (what to do
 * while offline, always; who may do this; what "already done" means here).
 */
export type CenterErrorWords = { offline: string } & Partial<Record<CenterErrorCode, string>>;

const COMMON_WORDS: Partial<Record<CenterErrorCode, string>> = {
  timeout: 'The Earshot center did not answer in time. Try again in a moment.',
  bad_answer: 'The Earshot center answered in a way this desktop does not understand. Tell IT: Earshot may need an update.',
};

/** The code is kept; the message is the caller's words, else the common ones, else the center's own. */
export function desktopErrorFromCenter(err: unknown, words: CenterErrorWords): DesktopApiError {
  if (!(err instanceof CenterRequestError)) {
    const cause = err instanceof Error ? err.message : 'unknown error';
    return new DesktopApiError('internal', `The request failed on this computer (${cause}). Try again; if it keeps failing, tell IT.`);
  }
  return new DesktopApiError(err.code, words[err.code] ?? COMMON_WORDS[err.code] ?? err.message);
}
