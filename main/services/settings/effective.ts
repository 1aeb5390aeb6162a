// Settings precedence: policy (machine-wide, set by IT) > user (this agent's preferences) > installer
// (what IT put in the installer) > default; in an installed Earshot the keys of INSTALL_KEYS skip the
// user layer and count as locked. The result says where each value came from, so the UI can show
// locked keys as set by IT.
import { DEFAULT_SETTINGS, SETTING_KEYS, type SettingKey, type Settings } from './schema';

export type SettingSource = 'policy' | 'installer' | 'user' | 'default';

export interface EffectiveSettings {
  values: Settings;
  source: Record<SettingKey, SettingSource>;
  /** Keys IT decides (policy, and in an installed Earshot INSTALL_KEYS): shown read-only, refused by `update`. */
  locked: SettingKey[];
  /** Readable notes about ignored values (bad policy file, bad user value); never contain values. */
  problems: string[];
}

export function effectiveSettings(input: {
  policy: Partial<Settings>;
  installer?: Partial<Settings>;
  user: Partial<Settings>;
  /** Keys the user layer may not set (INSTALL_KEYS in an installed Earshot): locked. */
  itOnly?: readonly SettingKey[];
  problems?: string[];
}): EffectiveSettings {
  const values = { ...DEFAULT_SETTINGS } as Record<SettingKey, unknown>;
  const source = {} as Record<SettingKey, SettingSource>;
  const locked: SettingKey[] = [];
  const itOnly = new Set(input.itOnly ?? []);
  const has = (layer: Partial<Settings> | undefined, key: SettingKey) => layer !== undefined && key in layer && layer[key] !== undefined;
  for (const key of SETTING_KEYS) {
    if (has(input.policy, key)) {
      values[key] = input.policy[key];
      source[key] = 'policy';
    } else if (!itOnly.has(key) && has(input.user, key)) {
      values[key] = input.user[key];
      source[key] = 'user';
    } else if (has(input.installer, key)) {
      values[key] = input.installer![key];
      source[key] = 'installer';
    } else {
      source[key] = 'default';
    }
    if (source[key] === 'policy' || itOnly.has(key)) locked.push(key);
  }
  return { values: values as Settings, source, locked, problems: input.problems ?? [] };
}
