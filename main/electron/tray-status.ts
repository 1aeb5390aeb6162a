// What the tray icon says: the agent's call and connection state at a glance. Pure, so the words are tested.
import type { SyncStatus } from '../../shared/api/index';

export interface TrayStatus {
  tooltip: string;
  /** The icon variant in assets/tray/: available, ringing or offline. */
  icon: 'available' | 'ringing' | 'offline';
}

export function trayStatus(input: { sync: SyncStatus | null; ringing: boolean }): TrayStatus {
  const pending = input.sync?.pending ?? 0;
  const waiting = pending > 0 ? ` · ${pending} change${pending === 1 ? '' : 's'} waiting to sync` : '';
  if (input.ringing) return { tooltip: `Earshot — incoming call${waiting}`, icon: 'ringing' };
  switch (input.sync?.state) {
    case 'online':
    case 'syncing':
      return { tooltip: `Earshot — connected${waiting}`, icon: 'available' };
    case 'update_required':
      return { tooltip: 'Earshot — update required to sync', icon: 'offline' };
    default:
      return { tooltip: `Earshot — offline, working locally${waiting}`, icon: 'offline' };
  }
}

/**
 * The OS notification for an offered call. It names the queue, not the caller: notification
 * centers keep a history anyone at the screen can scroll, and the profile is one click away.
 */
export function callNotification(call: { queue: string }): { title: string; body: string } {
  return { title: 'Incoming call', body: `Queue ${call.queue.slice(0, 60)}. Click to open the caller's profile.` };
}
