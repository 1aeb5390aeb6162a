import { describe, expect, it } from 'vitest';
import type { DesktopApiHandlers } from '../../shared/api/index';
import { DesktopApiError, dispatchApiCall } from './api-dispatch';

const ran: string[] = [];
const handlers = {
  lookupCaller: async ({ phone }: { phone: string }) => {
    ran.push(`lookupCaller ${phone}`);
    if (phone === 'boom') throw new Error('disk full');
    if (phone === 'gone') throw new DesktopApiError('not_signed_in', 'Sign in first.');
    return null;
  },
} as unknown as DesktopApiHandlers;

describe('dispatchApiCall', () => {
  it('runs the handler with parsed arguments', async () => {
    ran.length = 0;
    expect(await dispatchApiCall(handlers, 'lookupCaller', [{ phone: '+821012345678' }])).toEqual({ ok: true, value: null });
    expect(ran).toEqual(['lookupCaller +821012345678']);
  });

  it.each([
    ['unknown method', 'dropDatabase', [], 'unknown_method'],
    ['prototype key as method', 'constructor', [], 'unknown_method'],
    ['non-string method', 42, [], 'unknown_method'],
    ['wrong type', 'lookupCaller', [{ phone: 1 }], 'bad_request'],
    ['missing field', 'lookupCaller', [{}], 'bad_request'],
    ['huge string', 'lookupCaller', [{ phone: 'x'.repeat(100_000) }], 'bad_request'],
    ['args not a tuple', 'lookupCaller', { phone: '1' }, 'bad_request'],
    ['extra argument', 'lookupCaller', [{ phone: '1' }, 'more'], 'bad_request'],
  ])('refuses %s before any service runs', async (_label, method, args, code) => {
    ran.length = 0;
    const response = await dispatchApiCall(handlers, method, args);
    expect(response).toMatchObject({ ok: false, error: { code } });
    expect(ran).toEqual([]);
  });

  it('turns service failures into error responses', async () => {
    expect(await dispatchApiCall(handlers, 'lookupCaller', [{ phone: 'gone' }])).toEqual({
      ok: false,
      error: { code: 'not_signed_in', message: 'Sign in first.' },
    });
    expect(await dispatchApiCall(handlers, 'lookupCaller', [{ phone: 'boom' }])).toEqual({
      ok: false,
      error: { code: 'internal', message: 'lookupCaller failed: disk full' },
    });
  });
});
