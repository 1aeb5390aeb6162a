// getDesktopApi prefers the Electron preload's window.earshot, and still holds it to the contract.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResponse, DesktopApi } from '../shared/api/index';
import { getDesktopApi } from './api';

afterEach(() => {
  delete window.earshot;
});

const SESSION = { signedIn: false, centerUrl: 'http://127.0.0.1:7300', user: null };

describe('getDesktopApi', () => {
  it("uses the preload's DesktopApi when present, checking answers and events against the contract", async () => {
    const calls: string[] = [];
    const listeners: Array<(payload: unknown) => void> = [];
    // A preload that misbehaves on purpose: a malformed answer and a malformed event.
    const preload = {
      async invoke(method: string): Promise<ApiResponse<unknown>> {
        calls.push(method);
        return method === 'getSession' ? { ok: true, value: SESSION } : { ok: true, value: { state: 'lost' } };
      },
      on(_event: string, listener: (payload: unknown) => void) {
        listeners.push(listener);
        return () => undefined;
      },
    } as unknown as DesktopApi;
    window.earshot = preload;

    const api = getDesktopApi();
    expect(getDesktopApi()).toBe(api);
    expect(await api.invoke('getSession')).toEqual({ ok: true, value: SESSION });
    expect(await api.invoke('getSyncStatus')).toMatchObject({ ok: false, error: { code: 'bad_response' } });
    expect(calls).toEqual(['getSession', 'getSyncStatus']);

    const received: unknown[] = [];
    api.on('noteSynced', (p) => received.push(p));
    listeners[0]?.({ id: 'not-a-uuid', revision: 1 });
    listeners[0]?.({ id: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b', revision: 1 });
    expect(received).toEqual([{ id: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b', revision: 1 }]);
  });
});
