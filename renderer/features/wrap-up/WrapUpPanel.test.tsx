// Wrap-up after the call: the queue's codes (required or optional), elapsed after-call work,
// Done returning the agent to available, and notes that stay editable throughout.
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentStateView } from '../../../shared/api/index';
import type { Queue } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { INTERACTION_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

const billing = (dispositionRequired: boolean): Queue => ({
  id: 'billing',
  name: 'Billing',
  labels: { ko: '요금 문의' },
  dispositionRequired,
  dispositionCodes: [
    { code: 'resolved', label: 'Resolved', labels: { ko: '해결' } },
    { code: 'callback', label: 'Call back', labels: {} },
  ],
});

const wrapUp = (since = new Date().toISOString()): AgentStateView => ({
  state: 'wrap_up',
  reason: null,
  since,
  forcedBy: null,
  interactionId: INTERACTION_ID,
  queue: 'billing',
  pending: null,
});

async function afterCall(queue: Queue | null, since?: string) {
  const api = new FakeDesktopApi();
  if (queue) api.queues.set(queue.id, queue);
  const app = renderApp({ api });
  await screen.findByTestId('waiting-for-call');
  act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
  await screen.findByTestId('note-editor');
  act(() => api.emit('agentState', wrapUp(since)));
  await screen.findByTestId('wrap-up');
  return app;
}

describe('wrap-up', () => {
  it('needs a code where the queue requires one, saves it and returns the agent to available', async () => {
    const { api, user } = await afterCall(billing(true));
    const select = await screen.findByTestId('wrap-up-disposition');
    expect(screen.getByTestId('wrap-up-done')).toHaveProperty('disabled', true);
    await user.selectOptions(select, 'callback');
    await user.click(screen.getByTestId('wrap-up-done'));

    expect(api.callsOf('finishWrapUp')).toEqual([[{ interactionId: INTERACTION_ID, disposition: 'callback' }]]);
    await waitFor(() => expect(screen.queryByTestId('wrap-up')).toBeNull());
    expect(screen.getByTestId('agent-state').textContent).toBe('Available');
  });

  it('lets the agent finish without a code where it is optional, with Alt+D', async () => {
    const { api, user } = await afterCall(billing(false));
    await screen.findByTestId('wrap-up-disposition');
    expect(screen.getByTestId('wrap-up-done').getAttribute('title')).toBe('Done (Alt+D)');
    await user.keyboard('{Alt>}d{/Alt}');
    await waitFor(() => expect(api.callsOf('finishWrapUp')).toEqual([[{ interactionId: INTERACTION_ID }]]));
  });

  it('shows after-call work as time elapsed, not a countdown', async () => {
    await afterCall(billing(false), new Date(Date.now() - 61_000).toISOString());
    expect(screen.getByTestId('wrap-up').textContent).toMatch(/After-call work: 1:0\d/);
  });

  it('keeps the notes editable during and after wrap-up', async () => {
    const { api, user } = await afterCall(billing(false));
    const editor = screen.getByTestId('note-editor');
    expect(editor).toHaveProperty('disabled', false);
    await user.click(screen.getByTestId('wrap-up-done'));
    await waitFor(() => expect(screen.queryByTestId('wrap-up')).toBeNull());
    await user.type(screen.getByTestId('note-editor'), 'Promised a call back');
    await waitFor(() => expect(api.savedNotes.at(-1)?.text).toBe('Promised a call back'));
  });

  it('says the disposition is kept when the center cannot be reached', async () => {
    const { api, user } = await afterCall(billing(false));
    api.handle('finishWrapUp', ({ disposition }) => ({ disposition: disposition ?? null, wrapUpFinished: false }));
    await user.selectOptions(await screen.findByTestId('wrap-up-disposition'), 'resolved');
    await user.click(screen.getByTestId('wrap-up-done'));
    expect((await screen.findByText(/Disposition saved on this computer/)).getAttribute('role')).toBe('status');
    expect(api.callsOf('finishWrapUp')).toEqual([[{ interactionId: INTERACTION_ID, disposition: 'resolved' }]]);
  });

  it('lets the agent finish when the queue codes have not synced yet', async () => {
    await afterCall(null);
    expect(screen.queryByTestId('wrap-up-disposition')).toBeNull();
    expect(screen.getByTestId('wrap-up').textContent).toMatch(/not on this computer yet/);
    expect(screen.getByTestId('wrap-up-done')).toHaveProperty('disabled', false);
  });
});
