// The agents grid names the customer each agent is talking to (when the center knows them), and the
// text filter finds agents by that name too; it keeps its order as agents change, counts time in
// state without re-rendering rows, and follows the UI language.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisedAgent } from '../../../shared/api/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { localeChanged } from '../../i18n/locale-slice';
import { renderProbe } from './render-probe';

afterEach(() => {
  renderProbe.onRow = null;
  stopRenderedApps();
});

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

describe('agents grid: order, clock and language', () => {
  const shown = () => screen.getAllByTestId('agent-row').map((r) => r.getAttribute('data-agent'));
  const row = (id: string) => screen.getAllByTestId('agent-row').find((r) => r.getAttribute('data-agent') === id)!;

  it('sorted by state, moves an agent whose state changed and re-renders only that row', async () => {
    const { user, api } = renderApp({ api: supervisorApi() });
    await screen.findAllByTestId('agent-row');
    await user.selectOptions(screen.getByTestId('agent-sort'), 'state');
    expect(shown()).toEqual(['agent3', 'agent1', 'agent2']);
    const renders: string[] = [];
    renderProbe.onRow = (kind, id) => renders.push(`${kind}:${id}`);
    act(() => api.emit('agentStates', { agents: [agent('agent3', { state: 'wrap_up', since: '2026-11-25T10:05:00.000Z' })] }));
    expect(shown()).toEqual(['agent1', 'agent2', 'agent3']);
    expect(row('agent3').getAttribute('data-state')).toBe('wrap_up');
    expect(renders).toEqual(['agent:agent3']);
    await user.selectOptions(screen.getByTestId('agent-state-filter'), 'on_call');
    expect(shown()).toEqual(['agent1', 'agent2']);
  });

  it('counts time in state up every second without re-rendering a row', async () => {
    const api = supervisorApi();
    api.supervisedAgents = [agent('agent1', { since: new Date(Date.now() - 65_000).toISOString() })];
    renderApp({ api });
    await screen.findAllByTestId('agent-row');
    const cell = () => within(row('agent1')).getAllByRole('cell')[2]!.textContent;
    expect(['1:04', '1:05', '1:06']).toContain(cell());
    const first = cell();
    const renders: string[] = [];
    renderProbe.onRow = (kind, id) => renders.push(`${kind}:${id}`);
    await waitFor(() => expect(cell()).not.toBe(first), { timeout: 3000 });
    expect(cell()).toMatch(/^1:0[5-8]$/);
    expect(renders).toEqual([]);
  });

  it('shows every row in Korean when the language changes', async () => {
    const { store } = renderApp({ api: supervisorApi() });
    await screen.findAllByTestId('agent-row');
    expect(within(row('agent1')).getAllByRole('cell')[0]!.textContent).toBe('On a call');
    act(() => store.dispatch(localeChanged('ko')));
    expect(within(row('agent1')).getAllByRole('cell')[0]!.textContent).toBe('통화 중');
    expect(within(row('agent3')).getAllByRole('cell')[0]!.textContent).toBe('대기');
    expect(within(row('agent2')).getByTestId('agent-customer').textContent).toBe('상담 중');
    expect(within(row('agent1')).getByTestId('force-not-ready').textContent).toBe('강제 이석');
  });
});
