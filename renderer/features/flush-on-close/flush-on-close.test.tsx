// Closing inside the note debounce: the held-back text is saved at once, on the desktop's request
// (answered with flushCompleted) and on the page's beforeunload.
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { CUSTOMER_ID, INTERACTION_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

const REQUEST_ID = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

/** A debounce far longer than the test: only a flush can save the note in time. */
async function typedButHeldBack(text: string) {
  const api = new FakeDesktopApi();
  const { user } = renderApp({ api, timing: { noteSaveDelayMs: 60_000 } });
  await screen.findByTestId('waiting-for-call');
  act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
  await user.type(await screen.findByTestId('note-editor'), text);
  expect(api.callsOf('saveNote')).toEqual([]); // held back by the debounce
  return api;
}

describe('flush on close', () => {
  it('saves the held-back note when the desktop asks, then answers flushCompleted', async () => {
    const api = await typedButHeldBack('Customer will call back about the refund');
    act(() => api.emit('flushRequested', { requestId: REQUEST_ID }));
    await waitFor(() => expect(api.callsOf('flushCompleted')).toEqual([[{ requestId: REQUEST_ID, saved: 1 }]]));
    expect(api.callsOf('saveNote')).toEqual([
      [expect.objectContaining({ customerId: CUSTOMER_ID, interactionId: INTERACTION_ID, text: 'Customer will call back about the refund' })],
    ]);
    // The confirmation comes after the save, not before.
    const order = api.calls.map((c) => c.method).filter((m) => m === 'saveNote' || m === 'flushCompleted');
    expect(order).toEqual(['saveNote', 'flushCompleted']);
    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toBe('Saved on this computer'));
  });

  it('answers at once with nothing to save when every note is already saved', async () => {
    const api = new FakeDesktopApi();
    renderApp({ api });
    await screen.findByTestId('waiting-for-call');
    act(() => api.emit('flushRequested', { requestId: REQUEST_ID }));
    await waitFor(() => expect(api.callsOf('flushCompleted')).toEqual([[{ requestId: REQUEST_ID, saved: 0 }]]));
    expect(api.callsOf('saveNote')).toEqual([]);
  });

  it('saves the held-back note on beforeunload (a web-mode tab closed)', async () => {
    const api = await typedButHeldBack('Wants the invoice by email');
    act(() => {
      window.dispatchEvent(new Event('beforeunload'));
    });
    await waitFor(() => expect(api.callsOf('saveNote')).toEqual([[expect.objectContaining({ text: 'Wants the invoice by email' })]]));
    expect(api.callsOf('flushCompleted')).toEqual([]); // nobody asked: nothing to answer
  });
});
