// The agents grid names the customer each agent is talking to (when the center knows them), and the
// text filter finds agents by that name too.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisedAgent } from '../../../shared/api/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(() => stopRenderedApps());

const AT = '2026-11-25T10:00:00.000Z';
const CALL = '0190f000-0000-7000-8000-000000000001';
const agent = (name: string, over: Partial<SupervisedAgent> = {}): SupervisedAgent => ({
  agent: name, state: 'available', reason: null, since: AT, queue: 'sales', interactionId: null, forcedBy: null, ...over,
});

function supervisorApi(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
  api.supervisedAgents = [agent('agent1', { state: 'on_call', interactionId: CALL, customerName: 'Kim Minji' }), agent('agent2', { state: 'on_call', interactionId: '0190f000-0000-7000-8000-000000000002' }), agent('agent3')];
  return api;
}

describe('agents grid: customer', () => {
  it('shows the customer on the call, "On a contact" when unknown, nothing when free; filters by name', async () => {
    const { user } = renderApp({ api: supervisorApi() });
    const rows = await screen.findAllByTestId('agent-row');
    const cell = (id: string) => within(rows.find((r) => r.getAttribute('data-agent') === id)!).getByTestId('agent-customer').textContent;
    expect(cell('agent1')).toBe('Kim Minji');
    expect(cell('agent2')).toBe('On a contact');
    expect(cell('agent3')).toBe('');
    await user.type(screen.getByTestId('agent-filter'), 'minji');
    expect(screen.getAllByTestId('agent-row').map((r) => r.getAttribute('data-agent'))).toEqual(['agent1']);
  });

  it('updates the name when the agent moves to the next call', async () => {
    const api = supervisorApi();
    renderApp({ api });
    await screen.findAllByTestId('agent-row');
    act(() => api.emit('agentStates', { agents: [agent('agent3', { state: 'ringing', interactionId: CALL, customerName: 'Lee Jisoo' })] }));
    const row = screen.getAllByTestId('agent-row').find((r) => r.getAttribute('data-agent') === 'agent3')!;
    expect(within(row).getByTestId('agent-customer').textContent).toBe('Lee Jisoo');
  });
});
