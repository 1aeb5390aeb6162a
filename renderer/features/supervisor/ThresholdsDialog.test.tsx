// Per-queue thresholds in the supervisor view: the center's thresholds colour the tiles (and a push
// recolours them), the editor validates, saves through the desktop, and resets to the defaults.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_THRESHOLDS, type PeriodFigures, type QueueMetrics, type QueueThresholds } from '../../../shared/protocol/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(() => stopRenderedApps());

const AT = '2026-11-25T10:00:00.000Z';
const figures = (over: Partial<PeriodFigures> = {}): PeriodFigures => ({
  from: '2026-11-25T09:30:00.000Z', offered: 40, answered: 38, abandoned: 2, shortAbandoned: 0, abandonedAfterT: 2, answeredWithinT: 34, serviceLevel: 0.85,
  asaSec: 14, handled: 35, ahtSec: 290, avgTalkSec: 200, avgHoldSec: 20, avgWrapUpSec: 70, abandonRate: 0.05, occupancy: 0.8, ...over,
});
const queue = (id: string): QueueMetrics => ({
  queue: id, at: AT, timeZone: 'UTC', serviceLevel: { formula: 'abandons_excluded', expression: 'answered_within_T / answered', thresholdSec: 20 },
  shortAbandonSec: 5, windowMin: 30, waitingNow: 3, longestWaitSec: 30, window: figures(), today: figures(), buckets: {}, agentsByState: {}, agents: {},
});
const strict: QueueThresholds = { waitingNow: { amber: 1, red: 2 }, longestWaitSec: { amber: 20, red: 60 }, serviceLevel: { amber: 0.9, red: 0.8 }, abandonRate: { amber: 0.01, red: 0.1 } };

function supervisorApi(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
  api.queueMetrics = { at: AT, queues: { sales: queue('sales'), support: queue('support') } };
  api.queueThresholds = {
    defaults: DEFAULT_QUEUE_THRESHOLDS,
    queues: { sales: { thresholds: strict, custom: true }, support: { thresholds: DEFAULT_QUEUE_THRESHOLDS, custom: false } },
  };
  return api;
}
const levels = (row: HTMLElement) =>
  ['queue-waiting', 'queue-longest-wait', 'queue-service-level', 'queue-abandon-rate'].map((id) => within(row).getByTestId(id).getAttribute('data-level'));
const rowOf = async (id: string) => (await screen.findAllByTestId('queue-row')).find((r) => r.getAttribute('data-queue') === id)!;

describe('per-queue thresholds', () => {
  it("colours each queue's figures by its own thresholds, and a push recolours them", async () => {
    const api = supervisorApi();
    renderApp({ api });
    // Same figures, different thresholds: sales is strict, support has the defaults.
    await expect.poll(async () => levels(await rowOf('sales'))).toEqual(['red', 'amber', 'amber', 'amber']);
    expect(levels(await rowOf('support'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(within(await rowOf('sales')).getByTestId('edit-thresholds').textContent).toContain('custom');
    expect(screen.getByTestId('queue-alerts').textContent).toContain('Queue sales: 3 callers waiting.');
    act(() => api.emit('queueThresholds', { defaults: DEFAULT_QUEUE_THRESHOLDS, queues: { support: { thresholds: strict, custom: true } } }));
    expect(levels(await rowOf('sales'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(levels(await rowOf('support'))).toEqual(['red', 'amber', 'amber', 'amber']);
  });

  it('edits a queue: refuses red before amber, saves percentages as shares, resets to the defaults', async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    await user.click(within(await rowOf('support')).getByRole('button', { name: 'Set thresholds for queue support' }));
    const dialog = screen.getByTestId('thresholds-dialog');
    expect((within(dialog).getByTestId('threshold-serviceLevel-amber') as HTMLInputElement).value).toBe('80');
    const red = within(dialog).getByTestId('threshold-waitingNow-red');
    await user.clear(red);
    await user.type(red, '2');
    await user.click(within(dialog).getByTestId('save-thresholds'));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/red must be past amber/);
    expect(api.callsOf('setQueueThresholds')).toEqual([]);

    await user.clear(red);
    await user.type(red, '12');
    const sl = within(dialog).getByTestId('threshold-serviceLevel-amber');
    await user.clear(sl);
    await user.type(sl, '90');
    await user.click(within(dialog).getByTestId('save-thresholds'));
    expect((await screen.findByTestId('thresholds-result')).textContent).toBe('Thresholds of queue support saved.');
    expect(screen.queryByTestId('thresholds-dialog')).toBeNull();
    const saved = api.callsOf('setQueueThresholds')[0]![0];
    expect(saved).toEqual({ queue: 'support', thresholds: { ...DEFAULT_QUEUE_THRESHOLDS, waitingNow: { amber: 5, red: 12 }, serviceLevel: { amber: 0.9, red: 0.6 } } });
    // 85% is now below support's 90% amber.
    expect(within(await rowOf('support')).getByTestId('queue-service-level').getAttribute('data-level')).toBe('amber');

    await user.click(within(await rowOf('sales')).getByTestId('edit-thresholds'));
    await user.click(screen.getByTestId('reset-thresholds'));
    await screen.findByText('Thresholds of queue sales saved.');
    expect(api.callsOf('setQueueThresholds')[1]).toEqual([{ queue: 'sales', thresholds: null }]);
    expect(levels(await rowOf('sales'))).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('says why a save failed and keeps the editor open', async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    api.failNext('setQueueThresholds', { code: 'forbidden', message: 'Only supervisors can do this.' });
    await user.click(within(await rowOf('sales')).getByTestId('edit-thresholds'));
    await user.click(screen.getByTestId('save-thresholds'));
    expect((await screen.findByText(/Thresholds not saved/)).textContent).toBe('Thresholds not saved: Only supervisors can do this.');
    expect(screen.getByTestId('thresholds-dialog')).toBeTruthy();
  });
});
