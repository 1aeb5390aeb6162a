// The supervisor view against the FakeDesktopApi: role routing, figures, thresholds, forcing with
// confirmation, and that a once-a-second push re-renders only the rows it changed.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueMetricsSnapshot, SupervisedAgent } from '../../../shared/api/index';
import type { PeriodFigures, QueueMetrics } from '../../../shared/protocol/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { renderProbe } from './render-probe';

afterEach(() => {
  renderProbe.onRow = null;
  stopRenderedApps();
});

const AT = '2026-11-25T10:00:00.000Z';

function figures(over: Partial<PeriodFigures> = {}): PeriodFigures {
  return {
    from: '2026-11-25T09:30:00.000Z', offered: 40, answered: 36, abandoned: 4, shortAbandoned: 1, abandonedAfterT: 3, answeredWithinT: 30,
    serviceLevel: 0.75, asaSec: 14, handled: 35, ahtSec: 290, avgTalkSec: 200, avgHoldSec: 20, avgWrapUpSec: 70, abandonRate: 0.1, occupancy: 0.8,
    ...over,
  };
}

function queue(id: string, over: Partial<QueueMetrics> = {}, window: Partial<PeriodFigures> = {}): QueueMetrics {
  return {
    queue: id, at: AT, timeZone: 'Asia/Seoul',
    serviceLevel: { formula: 'abandons_count_against', expression: 'answered_within_T / (answered + abandoned)', thresholdSec: 20 },
    shortAbandonSec: 5, windowMin: 30, waitingNow: 3, longestWaitSec: 30,
    window: figures(window), today: figures({ from: '2026-11-24T15:00:00.000Z' }),
    buckets: { '2026-11-25T09:30:00.000Z': figures({ serviceLevel: 0.9 }), '2026-11-25T09:45:00.000Z': figures({ serviceLevel: 0.7 }) },
    agentsByState: { available: 1 }, agents: {},
    ...over,
  };
}

const agent = (name: string, over: Partial<SupervisedAgent> = {}): SupervisedAgent => ({
  agent: name, state: 'available', reason: null, since: AT, queue: 'sales', interactionId: null, forcedBy: null, ...over,
});

function supervisorApi(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
  api.queueMetrics = { at: AT, queues: { sales: queue('sales', {}, { serviceLevel: 0.55 }), support: queue('support', { longestWaitSec: 90 }, { serviceLevel: 0.95 }) } };
  api.supervisedAgents = [agent('agent1'), agent('agent2', { state: 'on_call' })];
  return api;
}

describe('supervisor view', () => {
  it('is what a supervisor sees, and an agent never does', async () => {
    renderApp({ api: supervisorApi() });
    expect(await screen.findByTestId('supervisor-view')).toBeTruthy();
    stopRenderedApps();
    renderApp();
    await screen.findByTestId('agent-bar');
    expect(screen.queryByTestId('supervisor-view')).toBeNull();
  });

  it('shows each queue\'s figures, the formula in force, and colours figures past their thresholds', async () => {
    renderApp({ api: supervisorApi() });
    const rows = await screen.findAllByTestId('queue-row');
    expect(rows.map((r) => r.getAttribute('data-queue'))).toEqual(['sales', 'support']);
    const sales = within(rows[0]!);
    const sl = sales.getByTestId('queue-service-level');
    expect(sl.textContent).toContain('55%');
    expect(sl.getAttribute('title')).toBe('Service level = answered_within_T / (answered + abandoned), T = 20 s');
    expect(sl.getAttribute('data-level')).toBe('red');
    expect(sales.getByText('14 s')).toBeTruthy();
    expect(sales.getByText('290 s')).toBeTruthy();
    expect(sales.getByText('40 / 36 / 4')).toBeTruthy();
    const support = within(rows[1]!);
    expect(support.getByTestId('queue-service-level').getAttribute('data-level')).toBe('ok');
    expect(support.getByTestId('queue-longest-wait').getAttribute('data-level')).toBe('amber');
    const alerts = screen.getByTestId('queue-alerts');
    expect(alerts.getAttribute('aria-live')).toBe('polite');
    // It scrolls past six alerts: reachable by keyboard, and named with how many there are.
    expect(alerts.tabIndex).toBe(0);
    expect(alerts.getAttribute('aria-label')).toBe(`Queue alerts: ${alerts.children.length}`);
    expect(alerts.textContent).toContain('Queue sales: service level 55% is below target.');
    expect(alerts.textContent).toContain('Queue support: a caller has waited 90 s.');
  });

  it('asks for confirmation before forcing an agent, then forces through the desktop', async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    const rows = await screen.findAllByTestId('agent-row');
    const agent1 = rows.find((r) => r.getAttribute('data-agent') === 'agent1')!;
    await user.click(within(agent1).getByTestId('force-not-ready'));
    expect(api.callsOf('forceAgentState')).toEqual([]);
    expect(screen.getByRole('dialog').textContent).toContain('agent1');
    await user.click(screen.getByTestId('confirm-force'));
    await screen.findByText("agent1's state was changed.");
    expect(api.callsOf('forceAgentState')).toEqual([[{ agent: 'agent1', state: 'not_ready' }]]);
  });

  it('cancelling the confirmation forces nothing; a refusal is shown in words', async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    const rows = await screen.findAllByTestId('agent-row');
    await user.click(within(rows[0]!).getByTestId('force-offline'));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.callsOf('forceAgentState')).toEqual([]);
    api.failNext('forceAgentState', { code: 'forbidden', message: 'Only supervisors can do this.' });
    await user.click(within(rows[0]!).getByTestId('force-offline'));
    await user.click(screen.getByTestId('confirm-force'));
    expect((await screen.findByTestId('force-result')).textContent).toMatch(/Could not change agent1's state: Only supervisors can do this\./);
  });

  it('a push re-renders only the rows whose figures changed', async () => {
    const api = supervisorApi();
    renderApp({ api });
    await screen.findAllByTestId('queue-row');
    await screen.findAllByTestId('agent-row');
    const renders: string[] = [];
    renderProbe.onRow = (kind, id) => renders.push(`${kind}:${id}`);
    // A new second: every queue's clock moves, only sales' figures and agent2's state change.
    const next: QueueMetricsSnapshot = {
      at: '2026-11-25T10:00:01.000Z',
      queues: {
        sales: queue('sales', { at: '2026-11-25T10:00:01.000Z', waitingNow: 4 }, { serviceLevel: 0.55 }),
        support: queue('support', { at: '2026-11-25T10:00:01.000Z', longestWaitSec: 90 }, { serviceLevel: 0.95 }),
      },
    };
    act(() => {
      api.emit('queueMetrics', next);
      api.emit('agentStates', { agents: [agent('agent2', { state: 'wrap_up', since: '2026-11-25T10:00:01.000Z' })] });
    });
    expect(renders.sort()).toEqual(['agent:agent2', 'queue:sales']);
    const sales = screen.getAllByTestId('queue-row')[0]!;
    expect(within(sales).getAllByRole('cell')[0]!.textContent).toBe('4');
  });
});
