// For renderer tests: the desktop's REAL settings methods (policy reader, settings file on disk,
// the one DesktopApi door) in a temporary directory, to combine with the renderer's fake for the rest.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dispatchApiCall } from '../../main/services/api-dispatch';
import { createSettingsHandlers } from '../../main/services/settings/api';
import { loadSettings, USER_SETTINGS_FILE } from '../../main/services/settings/index';
import type { ApiResponse, DesktopApiHandlers } from '../../shared/api/index';

export const SETTINGS_METHODS = ['getSettings', 'setSetting'] as const;

export interface SettingsDoor {
  /** The agent's settings file the service writes. */
  file: string;
  /** The settings file's content as JSON, or null while the service has not written it. */
  onDisk(): Record<string, unknown> | null;
  /** Calls `getSettings` / `setSetting` through dispatchApiCall, as Electron IPC and web mode do. */
  invoke(method: string, args: unknown[]): Promise<ApiResponse<unknown>>;
  /** A fresh service over the same files: what the next start of the desktop would read. */
  reopen(): Promise<SettingsDoor>;
  remove(): void;
}

/**
 * `policy` is written as a macOS managed-preferences plist (a real policy file that needs no root
 * to create) and read with the real policy reader: string and boolean values.
 */
export async function openSettingsDoor(policy: Record<string, string | boolean> = {}, dir = mkdtempSync(path.join(tmpdir(), 'earshot-settings-ui-'))): Promise<SettingsDoor> {
  const plist = path.join(dir, 'com.earshot.desktop.plist');
  const entries = Object.entries(policy)
    .map(([k, v]) => `<key>${k}</key>${typeof v === 'boolean' ? (v ? '<true/>' : '<false/>') : `<string>${v}</string>`}`)
    .join('');
  writeFileSync(plist, `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>${entries}</dict></plist>`);
  const userData = path.join(dir, 'desktop');
  const settings = await loadSettings({ userDataDir: userData, platform: 'darwin', policy: { macFile: plist } });
  const handlers = createSettingsHandlers({ settings, userDataDir: userData }) as unknown as DesktopApiHandlers;
  const file = path.join(userData, USER_SETTINGS_FILE);
  return {
    file,
    onDisk: () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : null),
    invoke: (method, args) => dispatchApiCall(handlers, method, args),
    reopen: () => openSettingsDoor(policy, dir),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
