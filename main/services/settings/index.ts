// The settings the desktop runs with: machine policy over the agent's own file over defaults.
// Entry point for the shell (and web mode); the pieces are in schema, policy, user-store, effective.
import path from 'node:path';
import { effectiveSettings, type EffectiveSettings } from './effective';
import { readMachinePolicy, type PolicyLocations } from './policy';
import type { Settings } from './schema';
import { openUserSettings, type UserSettingsStore } from './user-store';

export const USER_SETTINGS_FILE = 'settings.json';

export interface SettingsService {
  current(): EffectiveSettings;
  /** Saves the agent's preferences; a key IT locked by policy is refused with a readable error. */
  update(patch: Partial<Settings>): EffectiveSettings;
  /** Where the policy came from, if any. */
  policyOrigin: string | null;
  store: UserSettingsStore;
}

export class SettingLockedError extends Error {
  readonly code = 'setting_locked';
}

export async function loadSettings(opts: {
  userDataDir: string;
  platform?: NodeJS.Platform;
  policy?: PolicyLocations;
}): Promise<SettingsService> {
  const policy = await readMachinePolicy(opts.platform, opts.policy);
  const store = openUserSettings(path.join(opts.userDataDir, USER_SETTINGS_FILE));
  let effective = compute();

  function compute(): EffectiveSettings {
    const user = store.read();
    return effectiveSettings({ policy: policy.values, user: user.values, problems: [...policy.problems, ...user.problems] });
  }

  return {
    policyOrigin: policy.origin,
    store,
    current: () => effective,
    update(patch) {
      const locked = Object.keys(patch).filter((k) => effective.locked.includes(k as keyof Settings));
      if (locked.length) {
        throw new SettingLockedError(`${locked.join(', ')} ${locked.length > 1 ? 'are' : 'is'} set by your IT department and cannot be changed here.`);
      }
      store.update(patch);
      effective = compute();
      return effective;
    },
  };
}

/**
 * The center this desktop talks to. A URL given at launch (`--center-url`, `EARSHOT_CENTER_URL`: the
 * demo launcher, web mode) wins over the agent's setting but yields to policy: IT's lock holds.
 */
export function chooseCenterUrl(effective: EffectiveSettings, override: string | undefined): { centerUrl: string; overrideIgnored: boolean } {
  const locked = effective.locked.includes('centerUrl');
  if (override && !locked) return { centerUrl: override, overrideIgnored: false };
  return { centerUrl: effective.values.centerUrl, overrideIgnored: Boolean(override) && locked };
}

export * from './schema';
export type { EffectiveSettings, SettingSource } from './effective';
export { centerTlsOptions, describeCertificateError, trustCenterCa, CaBundleError, type CenterTlsOptions } from './tls';
export { decideUpdates, detectInstallKind, type InstallKind, type UpdateDecision } from './update-policy';

