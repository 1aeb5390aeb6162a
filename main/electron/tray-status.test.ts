import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/api/index';
import { callNotification, trayStatus } from './tray-status';

const sync = (state: SyncStatus['state'], pending = 0): SyncStatus => ({ state, pending, lastSyncAt: null, lastError: null, rejected: [] });

describe('tray status', () => {
  it('says whether the agent is connected, offline or being called, and how much waits to sync', () => {
    expect(trayStatus({ sync: sync('online'), ringing: false })).toEqual({ tooltip: 'Earshot — connected', icon: 'available' });
    expect(trayStatus({ sync: sync('offline', 3), ringing: false })).toEqual({ tooltip: 'Earshot — offline, working locally · 3 changes waiting to sync', icon: 'offline' });
    expect(trayStatus({ sync: sync('syncing', 1), ringing: true })).toEqual({ tooltip: 'Earshot — incoming call · 1 change waiting to sync', icon: 'ringing' });
    expect(trayStatus({ sync: null, ringing: false }).icon).toBe('offline');
    expect(trayStatus({ sync: sync('update_required'), ringing: false }).tooltip).toMatch(/update required/);
  });

  it('notifies a call by queue, never by the caller', () => {
    const n = callNotification({ queue: 'billing' });
    expect(n).toEqual({ title: 'Incoming call', body: "Queue billing. Click to open the caller's profile." });
  });
});
