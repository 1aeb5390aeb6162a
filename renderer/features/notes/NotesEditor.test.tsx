// Notes as the agent experiences them: every change saved through saveNote after the debounce with
// the full text, "Saved on this computer" then "Synced", failures retried and shown, nothing lost.
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTE_MAX_CHARS, type ScreenPop } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { CUSTOMER_ID, INTERACTION_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

async function onCall(api: FakeDesktopApi, pop: ScreenPop | null = makePop(), call = makeCall()) {
  await screen.findByTestId('waiting-for-call');
  act(() => api.emit('callOffered', { call, pop }));
  return screen.findByTestId('note-editor');
}

describe('note editor', () => {
  it('saves the full text after the agent pauses, then shows Synced when the center acknowledges', async () => {
    const { api, user } = renderApp();
    const editor = await onCall(api);
    expect(screen.getByTestId('note-status').textContent).toBe('Nothing written yet');
    expect((editor as HTMLTextAreaElement).maxLength).toBe(NOTE_MAX_CHARS);

    const typed = 'Wants a refund for the second order';
    await user.type(editor, typed);

    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toBe('Saved on this computer'));
    const saves = api.callsOf('saveNote').map(([note]) => note);
    // Debounced: far fewer saves than keystrokes, and the last one carries everything typed.
    expect(saves.length).toBeGreaterThan(0);
    expect(saves.length).toBeLessThan(typed.length);
    expect(saves.at(-1)).toMatchObject({ customerId: CUSTOMER_ID, interactionId: INTERACTION_ID, text: typed });
    const first = api.savedNotes.at(-1)!;

    // Typing again: a new revision of the same note, local-only until acknowledged.
    await user.type(editor, '.');
    await waitFor(() => expect(api.savedNotes.at(-1)?.text).toBe(`${typed}.`));
    const second = api.savedNotes.at(-1)!;
    expect(second).toMatchObject({ id: first.id, revision: first.revision + 1 });
    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toBe('Saved on this computer'));

    // The acknowledgement of the older revision is not enough; the current one is.
    act(() => api.emit('noteSynced', { id: first.id, revision: first.revision }));
    expect(screen.getByTestId('note-status').textContent).toBe('Saved on this computer');
    act(() => api.emit('noteSynced', { id: second.id, revision: second.revision }));
    expect(screen.getByTestId('note-status').textContent).toBe('Synced');
  });

  it('keeps one note id per interaction and starts a new note for the next call', async () => {
    const { api, user } = renderApp();
    const editor = await onCall(api);
    await user.type(editor, 'first');
    await waitFor(() => expect(api.savedNotes.at(-1)?.text).toBe('first'));
    await user.type(editor, ' call');
    await waitFor(() => expect(api.savedNotes.at(-1)?.text).toBe('first call'));
    const firstIds = new Set(api.savedNotes.map((n) => n.id));
    expect(firstIds.size).toBe(1);

    const nextCall = makeCall({ interactionId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70' });
    act(() => api.emit('callOffered', { call: nextCall, pop: makePop() }));
    await waitFor(() => expect((screen.getByTestId('note-editor') as HTMLTextAreaElement).value).toBe(''));
    await user.type(screen.getByTestId('note-editor'), 'second');
    await waitFor(() => expect(api.savedNotes.at(-1)?.text).toBe('second'));
    const secondId = api.savedNotes.at(-1)!.id;
    expect(firstIds.has(secondId)).toBe(false);
    expect(api.callsOf('saveNote').at(-1)?.[0].interactionId).toBe(nextCall.interactionId);
  });

  it('shows a failed save, retries it, and never loses the text', async () => {
    const api = new FakeDesktopApi();
    api.failNext('saveNote', { code: 'internal', message: 'the local database is busy' }, 2);
    const { user } = renderApp({ api });
    const editor = await onCall(api);

    await user.type(editor, 'Do not lose this');
    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toMatch(/Not saved yet, retrying: the local database is busy/));
    expect((editor as HTMLTextAreaElement).value).toBe('Do not lose this');

    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toBe('Saved on this computer'));
    expect(api.savedNotes.map((n) => n.text)).toEqual(['Do not lose this']);
    expect(api.callsOf('saveNote').length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the note of an unknown caller on screen and saves it once the center names the customer', async () => {
    const { api, user } = renderApp();
    const editor = await onCall(api, null);
    await user.type(editor, 'Caller from a new number');
    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toMatch(/no customer record yet/));
    expect(api.callsOf('saveNote')).toHaveLength(0);

    act(() => api.emit('screenPopUpdated', { interactionId: INTERACTION_ID, pop: makePop({ source: 'center' }) }));
    await waitFor(() => expect(api.savedNotes.at(-1)).toMatchObject({ text: 'Caller from a new number', customerId: CUSTOMER_ID }));
    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toBe('Saved on this computer'));
  });

  it("lists an earlier contact's note that is not saved yet when the next call arrives, until it is", async () => {
    const api = new FakeDesktopApi();
    const { user } = renderApp({ api });
    const editor = await onCall(api, null);
    await user.type(editor, 'Unknown caller wants a callback');
    // The next call arrives before the first caller has a customer record.
    act(() => api.emit('callOffered', { call: makeCall({ interactionId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70' }), pop: makePop() }));

    const earlier = await screen.findByTestId('earlier-note');
    expect(earlier.textContent).toMatch(/no customer record yet.*Unknown caller wants a callback/);
    expect((screen.getByTestId('note-editor') as HTMLTextAreaElement).value).toBe('');
    expect(api.callsOf('saveNote')).toHaveLength(0);
  });

  it('keeps retrying an earlier note in the background and clears it from the list once saved', async () => {
    const api = new FakeDesktopApi();
    api.failNext('saveNote', { code: 'internal', message: 'disk full' }, 3);
    const { user } = renderApp({ api });
    const editor = await onCall(api);
    await user.type(editor, 'First caller');
    await waitFor(() => expect(screen.getByTestId('note-status').textContent).toMatch(/disk full/));
    act(() => api.emit('callOffered', { call: makeCall({ interactionId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70' }), pop: makePop() }));
    expect((await screen.findByTestId('earlier-note')).textContent).toMatch(/First caller/);

    await waitFor(() => expect(api.savedNotes.map((n) => n.text)).toEqual(['First caller']));
    await waitFor(() => expect(screen.queryByTestId('earlier-notes')).toBeNull());
    expect(api.callsOf('saveNote').at(-1)?.[0].interactionId).toBe(INTERACTION_ID);
  });
});
