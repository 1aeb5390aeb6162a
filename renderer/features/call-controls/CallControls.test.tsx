// Call controls follow the agent's state (answer when ringing; hold/resume, transfer, hang up on the
// call), send the call's id to the desktop, work from the keyboard and show their shortcut.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentStateView } from '../../../shared/api/index';
import { TRANSFER_TARGET_MAX_CHARS } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { INTERACTION_ID } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

const inState = (state: AgentStateView['state']): AgentStateView => ({
  state,
  reason: null,
  since: new Date().toISOString(),
  forcedBy: null,
  interactionId: state === 'available' ? null : INTERACTION_ID,
  queue: state === 'available' ? null : 'billing',
  pending: null,
});

async function start(state: AgentStateView['state']) {
  const api = new FakeDesktopApi();
  api.agentState = inState('available');
  const app = renderApp({ api });
  await waitFor(() => expect(screen.getByTestId('agent-state').textContent).toBe('Available'));
  act(() => api.emit('agentState', inState(state)));
  return app;
}

describe('call controls', () => {
  it('offers only Answer while ringing, and answers this call', async () => {
    const { api, user } = await start('ringing');
    const answer = screen.getByTestId('call-answer');
    expect(answer.getAttribute('title')).toBe('Answer (Alt+A)');
    expect(screen.queryByTestId('call-hangup')).toBeNull();
    await user.click(answer);
    expect(api.callsOf('callControl')).toEqual([[{ interactionId: INTERACTION_ID, action: 'answer' }]]);
  });

  it('shows hold, transfer and hang up on the call, resume on hold', async () => {
    const { api, user } = await start('on_call');
    expect(screen.getByTestId('call-hold')).toBeTruthy();
    expect(screen.getByTestId('call-transfer')).toBeTruthy();
    expect(screen.queryByTestId('call-resume')).toBeNull();
    await user.click(screen.getByTestId('call-hold'));
    await waitFor(() => expect(api.callsOf('callControl')).toHaveLength(1));
    act(() => api.emit('agentState', inState('on_hold')));
    expect(screen.queryByTestId('call-hold')).toBeNull();
    await user.click(screen.getByTestId('call-resume'));
    await user.click(screen.getByTestId('call-hangup'));
    expect(api.callsOf('callControl').map(([r]) => r.action)).toEqual(['hold', 'resume', 'hangup']);
  });

  it('transfers to the queue or agent typed', async () => {
    const { api, user } = await start('on_call');
    await user.click(screen.getByTestId('call-transfer'));
    const target = screen.getByTestId('call-transfer-target');
    expect(document.activeElement).toBe(target);
    expect((target as HTMLInputElement).maxLength).toBe(TRANSFER_TARGET_MAX_CHARS);
    await user.type(target, 'sales{Enter}');
    expect(api.callsOf('callControl')).toEqual([[{ interactionId: INTERACTION_ID, action: 'transfer', target: 'sales' }]]);
    await waitFor(() => expect(screen.queryByTestId('call-transfer-target')).toBeNull());
  });

  it('works from the keyboard only where the control applies', async () => {
    const { api, user } = await start('ringing');
    await user.keyboard('{Alt>}o{/Alt}');
    await user.keyboard('{Alt>}a{/Alt}');
    await waitFor(() => expect(api.callsOf('callControl')).toEqual([[{ interactionId: INTERACTION_ID, action: 'answer' }]]));
  });

  it('keeps a shortcut pressed while the previous control is still being answered, and sends it after', async () => {
    const { api, user } = await start('on_call');
    let answerHold: () => void = () => {};
    api.handle('callControl', (req) => (req.action === 'hold' ? new Promise((r) => (answerHold = () => r({ interactionId: req.interactionId, action: req.action }))) : Promise.resolve({ interactionId: req.interactionId, action: req.action })));
    await user.keyboard('{Alt>}o{/Alt}');
    await waitFor(() => expect(api.callsOf('callControl')).toHaveLength(1));
    // The center's state push arrives before its answer to the hold.
    act(() => api.emit('agentState', inState('on_hold')));
    await user.keyboard('{Alt>}r{/Alt}');
    await new Promise((r) => setTimeout(r, 50));
    expect(api.callsOf('callControl')).toHaveLength(1);
    act(() => answerHold());
    await waitFor(() => expect(api.callsOf('callControl').map(([r]) => r.action)).toEqual(['hold', 'resume']));
  });

  it('says why a control failed', async () => {
    const { api, user } = await start('on_call');
    api.failNext('callControl', { code: 'offline', message: 'You are offline: Earshot cannot control the call until the connection returns.' });
    await user.click(screen.getByTestId('call-hangup'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The call control did not work: You are offline: Earshot cannot control the call until the connection returns.');
  });

  it('lists the call shortcuts in the ? sheet', async () => {
    const { user } = await start('available');
    await user.keyboard('?');
    const sheet = await screen.findByTestId('shortcut-sheet');
    for (const text of ['Answer the call', 'Put the caller on hold', 'Take the caller off hold', 'Transfer the call', 'Hang up', 'Finish wrap-up (Done)']) {
      expect(within(sheet).getByText(text)).toBeTruthy();
    }
    expect(screen.queryByTestId('call-answer')).toBeNull();
  });
});
