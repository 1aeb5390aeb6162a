// Who is signed in and signing out, on the agent's and the supervisor's screens; changes still
// waiting said and waited for; the idle sign-out explained; activity reported at most once a minute.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER, INTERACTION_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

describe('signed in as, and signing out', () => {
  it("shows who is signed in on the agent's bar, and signs out back to the form", async () => {
    const api = new FakeDesktopApi();
    const { user } = renderApp({ api });
    const who = await screen.findByTestId('signed-in-as');
    expect(within(who).getByTestId('agent-name').textContent).toBe('Kim Jiwoo');
    expect(within(who).getByTestId('agent-name').getAttribute('title')).toBe(`Signed in as Kim Jiwoo (${AGENT_USER.username}, Agent)`);
    await user.click(within(who).getByRole('button', { name: 'Sign out' }));
    expect((await screen.findByTestId('session-ended')).textContent).toBe('You have signed out. Sign in to continue.');
    expect(screen.getByTestId('sign-in')).toBeTruthy();
    expect(api.callsOf('signOut')).toEqual([[{ whenChangesWait: 'ask' }]]);
  });

  it("shows who is signed in and a sign-out button on the supervisor's screen too", async () => {
    const api = new FakeDesktopApi();
    api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
    const { user } = renderApp({ api });
    await screen.findByTestId('supervisor-view');
    const view = screen.getByTestId('floor-bar');
    expect(within(view).getByTestId('agent-name').textContent).toBe('Sun Supervisor');
    expect(within(view).getByTestId('signed-in-as').textContent).toContain('Supervisor');
    await user.click(within(view).getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByTestId('sign-in')).toBeTruthy();
  });

  it('says how many changes are still waiting, and waits for them on request (or signs out now)', async () => {
    const api = new FakeDesktopApi();
    api.syncStatus = { ...api.syncStatus, state: 'offline', pending: 3 };
    const { user } = renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByTestId('sign-out-changes-waiting');
    expect(dialog.textContent).toContain('3 of your change(s) have not reached the Earshot center yet');
    expect(screen.queryByTestId('sign-in')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Wait for them, then sign out' }));
    expect((await screen.findByTestId('sign-out-waiting')).textContent).toContain('Signing out once 3 change(s) have reached the Earshot center');
    // The changes reach the center: the desktop signs out and says so.
    act(() => api.emit('sessionEnded', { reason: 'signedOut' }));
    expect(await screen.findByTestId('sign-in')).toBeTruthy();
    expect(api.callsOf('signOut')).toEqual([[{ whenChangesWait: 'ask' }], [{ whenChangesWait: 'wait' }]]);
  });

  it('lets the agent stay signed in, or sign out at once, when told changes are waiting', async () => {
    const api = new FakeDesktopApi();
    api.syncStatus = { ...api.syncStatus, pending: 1 };
    const { user } = renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    await user.click(within(await screen.findByTestId('sign-out-changes-waiting')).getByRole('button', { name: 'Stay signed in' }));
    expect(screen.queryByTestId('sign-out-changes-waiting')).toBeNull();
    expect(screen.getByTestId('agent-bar')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    api.syncStatus = { ...api.syncStatus, pending: 0 };
    await user.click(within(await screen.findByTestId('sign-out-changes-waiting')).getByRole('button', { name: 'Sign out now' }));
    expect(await screen.findByTestId('sign-in')).toBeTruthy();
  });

  it('saves the note being typed before signing out', async () => {
    const api = new FakeDesktopApi();
    const { user } = renderApp({ api, timing: { noteSaveDelayMs: 60_000 } });
    await screen.findByTestId('waiting-for-call');
    act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
    await user.type(await screen.findByTestId('note-editor'), 'Call back on Monday');
    expect(api.callsOf('saveNote')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByTestId('sign-in');
    const order = api.calls.map((c) => c.method).filter((m) => m === 'saveNote' || m === 'signOut');
    expect(order).toEqual(['saveNote', 'signOut']);
    expect(api.callsOf('saveNote')[0]).toEqual([expect.objectContaining({ interactionId: INTERACTION_ID, text: 'Call back on Monday' })]);
  });

  it('says why when the idle timeout signed the agent out', async () => {
    const api = new FakeDesktopApi();
    renderApp({ api });
    await screen.findByTestId('agent-bar');
    act(() => api.emit('sessionEnded', { reason: 'idle' }));
    expect((await screen.findByTestId('session-ended')).textContent).toMatch(/signed out because Earshot was not used for a while/);
  });

  it('tells the desktop the agent is here when they type or click, at most once a minute', async () => {
    const api = new FakeDesktopApi();
    renderApp({ api });
    await screen.findByTestId('agent-bar');
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.pointerDown(document.body);
    fireEvent.keyDown(window, { key: 'b' });
    await waitFor(() => expect(api.callsOf('reportActivity')).toHaveLength(1));
  });
});
