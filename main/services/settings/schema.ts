// The desktop's settings: one zod schema per key, the defaults, and which keys IT may lock by policy
// (defined in shared/api/settings.ts). Keys are parsed one by one so a single bad value (hand-edited
// file, typo in a policy) falls back to the default for that key only and never wipes the others.
import {
  settingSchemas,
  type SettingKey,
  type Settings,
} from '../../../shared/api/settings';

// The schemas themselves are part of the DesktopApi contract (the settings page shows and edits them).
export {
  DEFAULT_SETTINGS,
  LogLevel,
  POLICY_KEYS,
  RESTART_KEYS,
  SETTING_KEYS,
  settingSchemas,
  UpdateMode,
  USER_EDITABLE_KEYS,
  WindowBounds,
  type SettingKey,
  type Settings,
  type UserEditableKey,
} from '../../../shared/api/settings';

const BOOLEAN_KEYS = new Set<SettingKey>(['callNotifications', 'wipeOnSignOut']);

export const isSettingKey = (key: string): key is SettingKey =>
  Object.prototype.hasOwnProperty.call(settingSchemas, key);

/**
 * Parses a raw key/value record key by key. Unknown keys are ignored; a bad value is reported
 * (by key, never by value: a value might be a secret) and left out. `registry` coerces the DWORD
 * 0/1 that Windows policies use for booleans.
 */
export function parseSettingValues(
  raw: Record<string, unknown>,
  allowed: readonly SettingKey[],
  origin: string,
): { values: Partial<Settings>; problems: string[] } {
  const values: Partial<Settings> = {};
  const problems: string[] = [];
  for (const key of allowed) {
    if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
    let value = raw[key];
    if (BOOLEAN_KEYS.has(key) && (value === 0 || value === 1)) value = value === 1;
    const parsed = settingSchemas[key].safeParse(value);
    if (parsed.success) (values as Record<string, unknown>)[key] = parsed.data;
    else problems.push(`${origin}: the value of '${key}' is not valid (${parsed.error.issues[0]?.message ?? 'invalid'}); using the next source instead.`);
  }
  return { values, problems };
}
