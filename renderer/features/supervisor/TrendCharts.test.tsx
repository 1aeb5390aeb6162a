// Trends: on sign-in the supervisor's desktop asks for today's stored 15-minute buckets, merges them
// with the live ones (a live bucket wins), and hands both charts the points; the live waiting
// sparkline follows the pushes. uPlot is not loaded in jsdom (no canvas): the guard is tested too.
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeriodFigures, QueueMetrics } from '../../../shared/protocol/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { canvasAvailable } from './TrendCharts';

afterEach(() => stopRenderedApps());

const AT = '2026-11-25T10:00:00.000Z';
const figures = (from: string, over: Partial<PeriodFigures> = {}): PeriodFigures => ({
  from, offered: 10, answered: 9, abandoned: 1, shortAbandoned: 0, abandonedAfterT: 1, answeredWithinT: 8, serviceLevel: 0.8, asaSec: 12,
  handled: 9, ahtSec: 200, avgTalkSec: 150, avgHoldSec: 10, avgWrapUpSec: 40, abandonRate: 0.1, occupancy: 0.7, ...over,
});
const queue = (id: string, waitingNow: number, buckets: Record<string, PeriodFigures>): QueueMetrics => ({
  queue: id, at: AT, timeZone: 'UTC', serviceLevel: { formula: 'abandons_excluded', expression: 'answered_within_T / answered', thresholdSec: 20 },
  shortAbandonSec: 5, windowMin: 30, waitingNow, longestWaitSec: 0, window: figures('2026-11-25T09:30:00.000Z'), today: figures('2026-11-25T00:00:00.000Z'),
  buckets, agentsByState: {}, agents: {},
});

function supervisorApi(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
  // Live: the 09:45 bucket of sales only (this desktop joined at 09:50).
  api.queueMetrics = { at: AT, queues: { sales: queue('sales', 2, { '2026-11-25T09:45:00.000Z': figures('2026-11-25T09:45:00.000Z', { serviceLevel: 0.9 }) }) } };
  return api;
}

describe('supervisor trends', () => {
  it('asks for today once, merges stored and live buckets (live wins), and charts them per queue', async () => {
    const api = supervisorApi();
    api.handle('getQueueTrends', () => ({
      buckets: [
        { queue: 'sales', figures: figures('2026-11-25T08:00:00.000Z', { serviceLevel: 0.5, asaSec: 40 }) },
        { queue: 'sales', figures: figures('2026-11-25T09:45:00.000Z', { serviceLevel: 0.1 }) }, // older copy of the live bucket
        { queue: 'support', figures: figures('2026-11-25T08:15:00.000Z', { serviceLevel: null, asaSec: null }) },
      ],
    }));
    renderApp({ api });
    const sl = await screen.findByTestId('trend-service-level');
    await waitFor(() => expect(api.callsOf('getQueueTrends')).toEqual([[{}]]));
    // sales: 08:00 and 09:45; support: 08:15 with no calls (a gap, not a zero).
    await waitFor(() => expect(sl.getAttribute('data-points')).toBe('2'));
    expect(screen.getByTestId('trend-asa').getAttribute('data-points')).toBe('2');
    // jsdom has no canvas: no chart library is loaded, and nothing throws.
    expect(canvasAvailable()).toBe(false);
    expect(sl.getAttribute('data-drawn')).toBe('no');
    expect(screen.getByRole('img', { name: 'Service level today, per 15 minutes (%)' })).toBeTruthy();
  });

  it('keeps the live bucket over the stored copy of it', async () => {
    const api = supervisorApi();
    api.handle('getQueueTrends', () => ({ buckets: [{ queue: 'sales', figures: figures('2026-11-25T09:45:00.000Z', { serviceLevel: 0.1 }) }] }));
    const { store } = renderApp({ api });
    await waitFor(() => expect(api.callsOf('getQueueTrends')).toHaveLength(1));
    await waitFor(() => expect(store.getState().supervisor.trendPoints.sales?.['2026-11-25T09:45:00.000Z']?.serviceLevel).toBe(0.9));
  });

  it('says so when the earlier figures cannot be loaded, and still charts the live ones', async () => {
    const api = supervisorApi();
    api.failNext('getQueueTrends', { code: 'offline', message: 'You are offline.' });
    renderApp({ api });
    expect(await screen.findByText("Today's earlier figures could not be loaded: You are offline.")).toBeTruthy();
    expect(screen.getByTestId('trend-service-level').getAttribute('data-points')).toBe('1');
  });

  it('draws the live waiting sparkline from the pushes', async () => {
    const api = supervisorApi();
    renderApp({ api });
    await screen.findAllByTestId('queue-row');
    act(() => api.emit('queueMetrics', { at: '2026-11-25T10:00:01.000Z', queues: { sales: queue('sales', 5, {}) } }));
    const spark = await screen.findByRole('img', { name: 'Callers waiting over the last minutes, queue sales' });
    expect(spark.querySelector('path')!.getAttribute('d')).toMatch(/^M0\.0,\S+ L80\.0,0\.0$/);
  });
});
