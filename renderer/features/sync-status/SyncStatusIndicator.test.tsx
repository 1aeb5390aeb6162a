// The sync indicator: the state word and pending count follow the desktop's syncStatus events, and
// the detail lists what the center refused with its reason.
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

describe('sync status', () => {
  it('shows the state word and the number of changes waiting', async () => {
    const { api } = renderApp();
    expect((await screen.findByTestId('sync-status')).textContent).toContain('Online');
    expect(screen.getByTestId('sync-pending').textContent).toBe('0');

    act(() => api.emit('syncStatus', { state: 'offline', pending: 3, lastSyncAt: null, lastError: 'center unreachable', rejected: [] }));
    expect(screen.getByTestId('sync-status').textContent).toContain('Offline');
    expect(screen.getByTestId('sync-pending').textContent).toBe('3');

    act(() => api.emit('syncStatus', { state: 'update_required', pending: 3, lastSyncAt: null, lastError: null, rejected: [] }));
    expect(screen.getByTestId('sync-status').textContent).toContain('Update required');
  });

  it("lists rejected mutations with the center's reason", async () => {
    const { api, user } = renderApp();
    await screen.findByTestId('sync-status');
    act(() =>
      api.emit('syncStatus', {
        state: 'syncing',
        pending: 1,
        lastSyncAt: '2026-11-25T01:00:00.000Z',
        lastError: null,
        rejected: [
          {
            mutationId: '01937a2b-0000-7000-8000-000000000001',
            seq: 7,
            name: 'voc.create',
            reason: 'customer does not exist',
            rejectedAt: '2026-11-25T01:01:00.000Z',
          },
        ],
      }),
    );
    expect(screen.getByTestId('sync-status').textContent).toContain('Syncing');
    await user.click(screen.getByTestId('sync-status'));
    const rejected = await screen.findAllByTestId('sync-rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.textContent).toMatch(/voc\.create at .*: customer does not exist/);
  });
});
