// The one mapping from a refused or unanswered center request to the error a person reads.
import { describe, expect, it } from 'vitest';
import { DesktopApiError } from './api-dispatch';
import { desktopErrorFromCenter } from './center-errors';
import { CenterRequestError } from './center-link';

const words = { offline: 'You are offline: try again when the connection returns.' };
const mapped = (err: unknown, w: Parameters<typeof desktopErrorFromCenter>[1] = words) => {
  const e = desktopErrorFromCenter(err, w);
  expect(e).toBeInstanceOf(DesktopApiError);
  return { code: e.code, message: e.message };
};

describe('desktopErrorFromCenter', () => {
  it("says what to do while offline in the caller's words", () => {
    expect(mapped(new CenterRequestError('offline', 'Not connected to the Earshot center.'))).toEqual({ code: 'offline', message: words.offline });
  });

  it('explains a timeout and an answer it cannot read, unless the caller says it better', () => {
    expect(mapped(new CenterRequestError('timeout', 'The Earshot center did not answer call:control in time.'))).toEqual({
      code: 'timeout',
      message: 'The Earshot center did not answer in time. Try again in a moment.',
    });
    expect(mapped(new CenterRequestError('bad_answer', "The Earshot center's answer to queue:trends was not understood."))).toEqual({
      code: 'bad_answer',
      message: 'The Earshot center answered in a way this desktop does not understand. Tell IT: Earshot may need an update.',
    });
    const onTheCall = { ...words, timeout: 'The Earshot center did not answer in time. Check the call on your phone and try again.' };
    expect(mapped(new CenterRequestError('timeout', 'late'), onTheCall)).toEqual({ code: 'timeout', message: onTheCall.timeout });
  });

  it("keeps the center's own words for a refusal the caller has no words for, and the code always", () => {
    expect(mapped(new CenterRequestError('not_found', 'That interaction is not known at the center.'))).toEqual({
      code: 'not_found',
      message: 'That interaction is not known at the center.',
    });
    const supervisor = { ...words, forbidden: 'Only supervisors can do this. Sign in with a supervisor account.' };
    expect(mapped(new CenterRequestError('forbidden', 'no'), supervisor)).toEqual({ code: 'forbidden', message: supervisor.forbidden });
    expect(mapped(new CenterRequestError('forbidden', 'Agents may not force states.'))).toEqual({ code: 'forbidden', message: 'Agents may not force states.' });
  });

  it('says a failure on this computer is one, with its cause, and what to do', () => {
    expect(mapped(new TypeError('socket is closed'))).toEqual({
      code: 'internal',
      message: 'The request failed on this computer (socket is closed). Try again; if it keeps failing, tell IT.',
    });
    expect(mapped('thrown text')).toEqual({
      code: 'internal',
      message: 'The request failed on this computer (unknown error). Try again; if it keeps failing, tell IT.',
    });
  });
});
