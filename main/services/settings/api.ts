// The settings page's two DesktopApi methods over the settings service: `getSettings` (value, source
// and lock per key) and `setSetting` (one of the agent's own preferences, refused when IT locked it).
// The same handlers serve Electron and web mode; arguments are already parsed by api-dispatch.
import type { DesktopApiHandlers } from '../../../shared/api/index';
import { POLICY_KEYS, USER_EDITABLE_KEYS, type DesktopSettings, type UserSettingChange } from '../../../shared/api/settings';
import { DesktopApiError } from '../api-dispatch';
import { loadSettings, SettingLockedError, type SettingsService } from './index';

const editable = new Set<string>(USER_EDITABLE_KEYS);

/** The renderer's view of the effective settings (every key but the window's place). */
export function describeSettings(service: Pick<SettingsService, 'current' | 'policyOrigin'>): DesktopSettings {
  const effective = service.current();
  const settings = Object.fromEntries(
    POLICY_KEYS.map((key) => {
      const locked = effective.locked.includes(key);
      return [key, { value: effective.values[key], source: effective.source[key], locked, editable: editable.has(key) && !locked }];
    }),
  ) as DesktopSettings['settings'];
  return { settings, policyOrigin: service.policyOrigin, problems: effective.problems };
}

/** Saves one user-editable key; a locked key fails `setting_locked`, a bad value `bad_request`. */
export function applyUserSetting(service: SettingsService, change: UserSettingChange): DesktopSettings {
  // The contract already limits `key` to USER_EDITABLE_KEYS; this guards callers that skip the door.
  if (!editable.has(change.key)) throw new DesktopApiError('bad_request', `'${String(change.key).slice(0, 64)}' is not a setting you can change here.`);
  try {
    service.update({ [change.key]: change.value });
  } catch (err) {
    if (err instanceof SettingLockedError) throw new DesktopApiError(err.code, err.message);
    // The store re-validates every value before writing; its message names the key, never the value.
    throw new DesktopApiError('bad_request', err instanceof Error ? err.message : 'The setting could not be saved.');
  }
  return describeSettings(service);
}

/**
 * The two handlers. With no service given (web mode, tests), the machine policy and the user's
 * settings file in `userDataDir` are read on first use: the same places the Electron shell reads.
 */
export function createSettingsHandlers(opts: {
  settings?: SettingsService;
  userDataDir: string;
}): Pick<DesktopApiHandlers, 'getSettings' | 'setSetting'> {
  let loading: Promise<SettingsService> | null = opts.settings ? Promise.resolve(opts.settings) : null;
  const service = () =>
    (loading ??= loadSettings({ userDataDir: opts.userDataDir }).catch((err: unknown) => {
      loading = null; // a settings file that could not be read is tried again on the next call
      throw err;
    }));
  return {
    getSettings: async () => describeSettings(await service()),
    setSetting: async (change) => applyUserSetting(await service(), change),
  };
}
