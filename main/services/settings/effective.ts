// Settings precedence: policy (machine-wide, set by IT) > user (this agent's preferences) > default.
// The result says where each value came from, so the UI can show policy keys as locked.
import { DEFAULT_SETTINGS, SETTING_KEYS, type SettingKey, type Settings } from './schema';

export type SettingSource = 'policy' | 'user' | 'default';

export interface EffectiveSettings {
  values: Settings;
  source: Record<SettingKey, SettingSource>;
  /** Keys set by policy: shown read-only, and refused by `setUserSetting`. */
  locked: SettingKey[];
  /** Readable notes about ignored values (bad policy file, bad user value); never contain values. */
  problems: string[];
}

export function effectiveSettings(input: {
  policy: Partial<Settings>;
  user: Partial<Settings>;
  problems?: string[];
}): EffectiveSettings {
  const values = { ...DEFAULT_SETTINGS } as Record<SettingKey, unknown>;
  const source = {} as Record<SettingKey, SettingSource>;
  const locked: SettingKey[] = [];
  for (const key of SETTING_KEYS) {
    if (key in input.policy && input.policy[key] !== undefined) {
      values[key] = input.policy[key];
      source[key] = 'policy';
      locked.push(key);
    } else if (key in input.user && input.user[key] !== undefined) {
      values[key] = input.user[key];
      source[key] = 'user';
    } else {
      source[key] = 'default';
    }
  }
  return { values: values as Settings, source, locked, problems: input.problems ?? [] };
}
