// The settings the desktop runs with: machine policy over the agent's own file over what IT put in
// the installer over defaults; an installed Earshot takes INSTALL_KEYS (center, update feed, CA
// bundle) from policy or the installer only. Entry point for the shell (and web mode); the pieces
// are in schema, policy, user-store, effective.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { centerUrlProblem, INSTALL_KEYS } from '../../../shared/api/settings';
import { effectiveSettings, type EffectiveSettings } from './effective';
import { readMachinePolicy, type PolicyLocations } from './policy';
import { parseSettingValues, POLICY_KEYS, type Settings } from './schema';
import { openUserSettings, type UserSettingsStore } from './user-store';

export const USER_SETTINGS_FILE = 'settings.json';
/** Beside the installed app (its resources folder): the settings IT built into the installer. */
export const INSTALLER_SETTINGS_FILE = 'installer-settings.json';

export interface SettingsService {
  current(): EffectiveSettings;
  /** Saves the agent's preferences; a key IT decides (policy, the installer) is refused with a readable error. */
  update(patch: Partial<Settings>): EffectiveSettings;
  /** Where the policy came from, if any. */
  policyOrigin: string | null;
  store: UserSettingsStore;
}

/** The installer's settings: keys as policy has them; a missing file is none, a damaged one a problem. */
function readInstallerSettings(file: string): { values: Partial<Settings>; problems: string[] } {
  if (!existsSync(file)) return { values: {}, problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { values: {}, problems: [`${file} could not be read as JSON and was ignored; reinstall Earshot or tell IT.`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { values: {}, problems: [`${file} is not a JSON object and was ignored.`] };
  return parseSettingValues(raw as Record<string, unknown>, POLICY_KEYS, file);
}

export class SettingLockedError extends Error {
  readonly code = 'setting_locked';
}

export async function loadSettings(opts: {
  userDataDir: string;
  platform?: NodeJS.Platform;
  policy?: PolicyLocations;
  /**
   * An installed (packaged) Earshot: the installer's settings file, and INSTALL_KEYS from policy or
   * it only. Absent (development, web mode, tests): the agent's file may set every key.
   */
  installed?: { installerFile: string };
}): Promise<SettingsService> {
  const policy = await readMachinePolicy(opts.platform, opts.policy);
  const installer = opts.installed ? readInstallerSettings(opts.installed.installerFile) : { values: {}, problems: [] };
  const itOnly = opts.installed ? INSTALL_KEYS : [];
  const store = openUserSettings(path.join(opts.userDataDir, USER_SETTINGS_FILE));
  let effective = compute();

  function compute(): EffectiveSettings {
    const user = store.read();
    const ignored = itOnly
      .filter((k) => user.values[k] !== undefined)
      .map((k) => `${USER_SETTINGS_FILE}: '${k}' is ignored in an installed Earshot; IT sets it by policy or in the installer.`);
    return effectiveSettings({
      policy: policy.values,
      installer: installer.values,
      user: user.values,
      itOnly,
      problems: [...policy.problems, ...installer.problems, ...user.problems, ...ignored],
    });
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
  const problem = override ? centerUrlProblem(override) : null;
  if (problem) throw new Error(`The center address given at launch ${problem}.`);
  if (override && !locked) return { centerUrl: override, overrideIgnored: false };
  return { centerUrl: effective.values.centerUrl, overrideIgnored: Boolean(override) && locked };
}

export * from './schema';
export type { EffectiveSettings, SettingSource } from './effective';
export { centerTlsOptions, describeCertificateError, trustCenterCa, CaBundleError, type CenterTlsOptions } from './tls';
export { decideUpdates, detectInstallKind, type InstallKind, type UpdateDecision } from './update-policy';

