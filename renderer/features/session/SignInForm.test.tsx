// Sign-in as the agent sees it: the form when signed out, the workspace with their name after.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD_MAX_CHARS, TENANT_MAX_CHARS, USERNAME_MAX_CHARS } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { INTERACTION_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

describe('sign in', () => {
  it('shows the form when signed out and the agent bar once signed in', async () => {
    const api = new FakeDesktopApi();
    api.session = { signedIn: false, centerUrl: 'http://127.0.0.1:7300', user: null };
    const { user } = renderApp({ api });

    const form = await screen.findByTestId('sign-in');
    const maxLengths = ['Organisation', 'Username', 'Password'].map((label) => (within(form).getByLabelText(label) as HTMLInputElement).maxLength);
    expect(maxLengths).toEqual([TENANT_MAX_CHARS, USERNAME_MAX_CHARS, PASSWORD_MAX_CHARS]);
    await user.type(within(form).getByLabelText('Organisation'), 'demo');
    await user.type(within(form).getByLabelText('Username'), 'agent1');
    await user.type(within(form).getByLabelText('Password'), 'demo');
    await user.click(within(form).getByRole('button', { name: 'Sign in' }));

    const bar = await screen.findByTestId('agent-bar');
    expect(bar.textContent).toContain('Kim Jiwoo');
    expect(api.callsOf('signIn')).toEqual([[{ tenant: 'demo', username: 'agent1', password: 'demo' }]]);
    // Once signed in, the workspace asks for the sync state and any call in progress.
    await waitFor(() => expect(api.callsOf('getCurrentCall')).toHaveLength(1));
    expect(api.callsOf('getSyncStatus')).toHaveLength(1);
    expect(screen.queryByTestId('sign-in')).toBeNull();
  });

  it('says why sign-in failed and keeps the form', async () => {
    const api = new FakeDesktopApi();
    api.session = { signedIn: false, centerUrl: 'http://127.0.0.1:7300', user: null };
    api.failNext('signIn', { code: 'unauthenticated', message: 'Wrong username or password. Check them and try again.' });
    const { user } = renderApp({ api });

    const form = await screen.findByTestId('sign-in');
    await user.type(within(form).getByLabelText('Organisation'), 'demo');
    await user.type(within(form).getByLabelText('Username'), 'agent1');
    await user.type(within(form).getByLabelText('Password'), 'nope');
    await user.click(within(form).getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Sign-in failed: Wrong username or password. Check them and try again.');
    expect(screen.getByTestId('sign-in')).toBeTruthy();
  });

  it('goes back to the form, saying why, when the center ends the session, and saves the held-back note first', async () => {
    const api = new FakeDesktopApi();
    const { user } = renderApp({ api, timing: { noteSaveDelayMs: 60_000 } });
    await screen.findByTestId('waiting-for-call');
    act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
    await user.type(await screen.findByTestId('note-editor'), 'Refund promised by Friday');
    expect(api.callsOf('saveNote')).toEqual([]); // held back by the debounce

    act(() => api.emit('sessionEnded', { reason: 'center' }));
    expect((await screen.findByTestId('session-ended')).textContent).toMatch(/ended your session .* Sign in again/);
    expect(screen.getByTestId('sign-in')).toBeTruthy();
    await waitFor(() => expect(api.callsOf('saveNote')).toEqual([[expect.objectContaining({ interactionId: INTERACTION_ID, text: 'Refund promised by Friday' })]]));

    const form = screen.getByTestId('sign-in');
    await user.type(within(form).getByLabelText('Organisation'), 'demo');
    await user.type(within(form).getByLabelText('Username'), 'agent1');
    await user.type(within(form).getByLabelText('Password'), 'demo');
    await user.click(within(form).getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByTestId('agent-bar')).toBeTruthy();
    expect(screen.queryByTestId('session-ended')).toBeNull();
  });

  it('shows the signed-in view when the desktop signs itself in after the screen asked', async () => {
    const api = new FakeDesktopApi();
    const signedIn = api.session;
    api.session = { ...signedIn, signedIn: false, user: null };
    renderApp({ api });
    expect(await screen.findByTestId('sign-in')).toBeTruthy();
    act(() => api.emit('sessionStarted', signedIn));
    expect(await screen.findByTestId('agent-bar')).toBeTruthy();
    expect(screen.queryByTestId('sign-in')).toBeNull();
  });

  it('keeps asking while the desktop service is not answering, then carries on', async () => {
    const api = new FakeDesktopApi();
    api.failNext('getSession', { code: 'disconnected', message: 'The connection dropped.' }, 2);
    renderApp({ api });
    expect(await screen.findByTestId('app-unavailable')).toBeTruthy();
    expect(await screen.findByTestId('agent-bar')).toBeTruthy();
    expect(api.callsOf('getSession')).toHaveLength(3);
  });
});
