// The agent's own preferences, as a small JSON file in the user data directory, with numbered
// migrations. (electron-store imports electron; the services must run without it.) Writes are
// atomic (temp file + rename) so a crash mid-write leaves the previous file intact.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SETTING_KEYS, parseSettingValues, type Settings } from './schema';

/** One step from version `to - 1` to `to`. Released migrations are never edited; add the next one. */
export interface SettingsMigration {
  to: number;
  migrate(raw: Record<string, unknown>): Record<string, unknown>;
}

export const USER_SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [
  // Version 0 is a file without `schemaVersion` (written by hand, e.g. by IT before first launch):
  // its keys already mean what version 1's do, so adopting it only stamps the version.
  { to: 1, migrate: (raw) => raw },
];

export const currentVersion = (migrations: readonly SettingsMigration[]) => migrations.reduce((v, m) => Math.max(v, m.to), 0);

/** Brings a stored object up to date. A file from a newer Earshot is read as it is, key by key. */
export function migrateUserSettings(
  stored: Record<string, unknown>,
  migrations: readonly SettingsMigration[] = USER_SETTINGS_MIGRATIONS,
): { raw: Record<string, unknown>; version: number } {
  const from = typeof stored.schemaVersion === 'number' && Number.isInteger(stored.schemaVersion) ? stored.schemaVersion : 0;
  const { schemaVersion: _drop, ...rest } = stored;
  let raw: Record<string, unknown> = rest;
  for (const m of [...migrations].sort((a, b) => a.to - b.to)) {
    if (m.to > from) raw = m.migrate(raw);
  }
  return { raw, version: Math.max(from, currentVersion(migrations)) };
}

export interface UserSettingsStore {
  file: string;
  /** The parsed values (only keys the agent set), and readable notes about values dropped. */
  read(): { values: Partial<Settings>; problems: string[] };
  /** Sets keys (`undefined` clears one back to the default) and saves atomically; throws on a bad value. */
  update(patch: Partial<Settings>): Partial<Settings>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function openUserSettings(
  file: string,
  migrations: readonly SettingsMigration[] = USER_SETTINGS_MIGRATIONS,
): UserSettingsStore {
  function load(): { values: Partial<Settings>; problems: string[]; extra: Record<string, unknown>; version: number } {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { values: {}, problems: [], extra: {}, version: currentVersion(migrations) };
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    if (!isRecord(json)) {
      return { values: {}, problems: [`Your settings file (${file}) could not be read and was ignored; defaults are used until you change a setting.`], extra: {}, version: currentVersion(migrations) };
    }
    const { raw, version } = migrateUserSettings(json, migrations);
    const { values, problems } = parseSettingValues(raw, SETTING_KEYS, 'Your settings');
    // Keys this version does not know (written by a newer Earshot) are carried over on save.
    const extra = Object.fromEntries(Object.entries(raw).filter(([k]) => !(SETTING_KEYS as string[]).includes(k)));
    return { values, problems, extra, version };
  }

  return {
    file,
    read() {
      const { values, problems } = load();
      return { values, problems };
    },
    update(patch) {
      const { values, extra, version } = load();
      const next: Record<string, unknown> = { ...values };
      for (const [key, value] of Object.entries(patch)) {
        if (!(SETTING_KEYS as string[]).includes(key)) continue;
        if (value === undefined) delete next[key];
        else next[key] = value;
      }
      const checked = parseSettingValues(next, SETTING_KEYS, 'New settings');
      if (checked.problems.length) throw new Error(checked.problems.join(' '));
      mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ ...extra, ...checked.values, schemaVersion: version }, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, file);
      return checked.values;
    },
  };
}
