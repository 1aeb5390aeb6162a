// The agent state bar: shows the center's state with reason, time in state and who forced it;
// sends the agent's choice; says when a choice made offline is waiting for the connection.
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentStateView } from '../../../shared/api/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { formatElapsed } from './elapsed';

afterEach(stopRenderedApps);

const view = (over: Partial<AgentStateView> = {}): AgentStateView => ({
  state: 'available',
  reason: null,
  since: new Date().toISOString(),
  forcedBy: null,
  interactionId: null,
  queue: null,
  pending: null,
  ...over,
});

describe('agent state bar', () => {
  it('loads the state once signed in and sets not ready with the chosen reason', async () => {
    const api = new FakeDesktopApi();
    api.agentState = view();
    const { user } = renderApp({ api });
    await waitFor(() => expect(screen.getByTestId('agent-state').textContent).toBe('Available'));
    expect(screen.getByTestId('agent-state-available')).toHaveProperty('disabled', true);

    await user.selectOptions(screen.getByTestId('agent-state-reason-choice'), 'meal');
    await user.click(screen.getByTestId('agent-state-not-ready'));

    expect(api.callsOf('setAgentState')).toEqual([[{ state: 'not_ready', reason: 'meal' }]]);
    await waitFor(() => expect(screen.getByTestId('agent-state').textContent).toBe('Not ready'));
    expect(screen.getByTestId('agent-state-reason').textContent).toBe('Meal');

    await user.click(screen.getByTestId('agent-state-available'));
    expect(api.callsOf('setAgentState')[1]).toEqual([{ state: 'available' }]);
    await waitFor(() => expect(screen.queryByTestId('agent-state-reason')).toBeNull());
  });

  it('counts time in state up from the center timestamp', async () => {
    const api = new FakeDesktopApi();
    api.agentState = view({ state: 'not_ready', reason: 'break', since: new Date(Date.now() - 125_000).toISOString() });
    renderApp({ api });
    const elapsed = await screen.findByTestId('agent-state-elapsed');
    // At least 2:05 has passed; the test never depends on how long rendering took beyond that.
    expect(elapsed.textContent).toMatch(/^2:0\d$/);
  });

  it('shows which supervisor forced the state, in Korean too', async () => {
    const api = new FakeDesktopApi();
    api.agentState = view();
    renderApp({ api, locale: 'ko' });
    await waitFor(() => expect(screen.getByTestId('agent-state').textContent).toBe('대기'));
    act(() => api.emit('agentState', view({ state: 'not_ready', reason: 'meeting', forcedBy: 'super1' })));
    expect(screen.getByTestId('agent-state').textContent).toBe('이석');
    expect(screen.getByTestId('agent-state-reason').textContent).toBe('회의');
    expect(screen.getByTestId('agent-state-forced').textContent).toBe('관리자 super1 님이 설정함');
  });

  it('says an offline choice will be set when the connection returns, and shows a refusal', async () => {
    const api = new FakeDesktopApi();
    api.agentState = view();
    api.handle('setAgentState', (r) => view({ state: 'available', pending: { state: r.state, reason: r.reason } }));
    const { user } = renderApp({ api });
    await screen.findByTestId('agent-state-not-ready');
    await user.click(screen.getByTestId('agent-state-not-ready'));
    expect((await screen.findByTestId('agent-state-pending')).textContent).toBe(
      'You are offline: your state will be set when the connection returns.',
    );

    api.failNext('setAgentState', { code: 'conflict', message: 'You are on a call.' });
    await user.selectOptions(screen.getByTestId('agent-state-reason-choice'), 'training');
    await user.click(screen.getByTestId('agent-state-not-ready'));
    expect((await screen.findByRole('alert')).textContent).toBe('Your state was not changed: You are on a call.');
  });

  it('hides the choices during a call: the switch moves call states', async () => {
    const api = new FakeDesktopApi();
    api.agentState = view({ state: 'on_call', interactionId: '0193a000-0000-7000-8000-000000000001' });
    renderApp({ api });
    await waitFor(() => expect(screen.getByTestId('agent-state').textContent).toBe('On a call'));
    expect(screen.queryByTestId('agent-state-not-ready')).toBeNull();
  });
});

describe('formatElapsed', () => {
  it('counts up in minutes and seconds, then hours', () => {
    expect(formatElapsed(7)).toBe('0:07');
    expect(formatElapsed(765)).toBe('12:45');
    expect(formatElapsed(3723)).toBe('1:02:03');
    expect(formatElapsed(-3)).toBe('0:00');
  });
});
