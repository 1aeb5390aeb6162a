// The agent's own preferences: a small JSON file in the user data directory, kept by `conf` (the
// engine of electron-store, usable here because it does not import electron). conf writes
// atomically (temp file, fsync, rename) and runs the numbered migrations. Values are checked by
// their zod schemas key by key, not by conf's JSON-schema option, which refuses (or with
// clearInvalidConfig empties) the whole file for one bad value.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
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

export interface UserSettingsStore {
  file: string;
  /** The parsed values (only keys the agent set), and readable notes about values dropped. */
  read(): { values: Partial<Settings>; problems: string[] };
  /** Sets keys (`undefined` clears one back to the default) and saves atomically; throws on a bad value. */
  update(patch: Partial<Settings>): Partial<Settings>;
}

type Store = Record<string, unknown>;

/** Where conf keeps the version it migrated to (a semver); on disk it is our `schemaVersion: N`. */
const CONF_INTERNAL = '__internal__';
const asSemver = (version: number) => `${version}.0.0`;

class UnreadableSettingsError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema version written in a settings object; a file without one is version 0. */
const versionIn = (stored: Record<string, unknown>): number =>
  typeof stored.schemaVersion === 'number' && Number.isInteger(stored.schemaVersion) && stored.schemaVersion >= 0 ? stored.schemaVersion : 0;

function parseFile(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UnreadableSettingsError();
  }
  if (!isRecord(json)) throw new UnreadableSettingsError();
  return json;
}

/** The file as conf's store: our `schemaVersion` becomes conf's record of the migrated version. */
function fromDisk(text: string): Store {
  const stored = parseFile(text);
  const { schemaVersion: _version, [CONF_INTERNAL]: _internal, ...values } = stored;
  return { ...values, [CONF_INTERNAL]: { migrations: { version: asSemver(versionIn(stored)) } } };
}

/** conf's store as the file: its migrated version becomes `schemaVersion` again. */
function toDisk(store: Store, fallbackVersion: number): string {
  const { [CONF_INTERNAL]: internal, ...values } = store;
  const semver = isRecord(internal) && isRecord(internal.migrations) ? internal.migrations.version : undefined;
  const version = typeof semver === 'string' ? Number.parseInt(semver, 10) : fallbackVersion;
  return `${JSON.stringify({ ...values, schemaVersion: version }, null, 2)}\n`;
}

const valuesOf = (store: Store): Record<string, unknown> => {
  const { [CONF_INTERNAL]: _internal, ...values } = store;
  return values;
};

/** What is on disk now: nothing, a damaged file, or a file at some schema version. */
function peek(file: string): 'missing' | 'unreadable' | number {
  if (!existsSync(file)) return 'missing';
  try {
    return versionIn(parseFile(readFileSync(file, 'utf8')));
  } catch (err) {
    if (err instanceof UnreadableSettingsError) return 'unreadable';
    throw err;
  }
}

export function openUserSettings(file: string, migrations: readonly SettingsMigration[] = USER_SETTINGS_MIGRATIONS): UserSettingsStore {
  const latest = migrations.reduce((v, m) => Math.max(v, m.to), 0);
  const unreadable = `Your settings file (${file}) could not be read and was ignored; defaults are used until you change a setting.`;
  let conf: Conf<Store> | null = null;

  /** conf over the file, migrated when first opened. Throws UnreadableSettingsError while the file is damaged. */
  function open(): Conf<Store> {
    if (conf) return conf;
    const onDisk = peek(file);
    if (onDisk === 'unreadable') throw new UnreadableSettingsError();
    // A new file is written in the latest form: the migrations are for files that already exist.
    const fresh = onDisk === 'missing';
    const { name, ext } = path.parse(file);
    conf = new Conf<Store>({
      cwd: path.dirname(file),
      configName: name,
      fileExtension: ext.replace(/^\./, ''),
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      serialize: (store) => toDisk(store, latest),
      deserialize: fromDisk,
      // A file from a newer Earshot keeps its version: conf would otherwise stamp ours (lower) on
      // it, and that Earshot would run its migrations again over data they already changed.
      projectVersion: asSemver(Math.max(latest, fresh ? 0 : onDisk)),
      // conf runs migrations in the order of these keys, so they are sorted here.
      migrations: Object.fromEntries(
        [...migrations]
          .sort((a, b) => a.to - b.to)
          .map((m) => [
            asSemver(m.to),
            (store: Conf<Store>) => {
              if (!fresh) store.store = m.migrate(valuesOf(store.store));
            },
          ]),
      ),
    });
    return conf;
  }

  /** The stored keys, or null while the file is damaged. */
  function stored(): Record<string, unknown> | null {
    // Reading creates nothing: the file appears with the agent's first change.
    if (!conf && !existsSync(file)) return {};
    try {
      return valuesOf(open().store);
    } catch (err) {
      if (err instanceof UnreadableSettingsError) return null;
      throw err;
    }
  }

  return {
    file,
    read() {
      const raw = stored();
      if (raw === null) return { values: {}, problems: [unreadable] };
      return parseSettingValues(raw, SETTING_KEYS, 'Your settings');
    },
    update(patch) {
      const raw = stored();
      const { values } = parseSettingValues(raw ?? {}, SETTING_KEYS, 'Your settings');
      const next: Record<string, unknown> = { ...values };
      for (const [key, value] of Object.entries(patch)) {
        if (!(SETTING_KEYS as string[]).includes(key)) continue;
        if (value === undefined) delete next[key];
        else next[key] = value;
      }
      const checked = parseSettingValues(next, SETTING_KEYS, 'New settings');
      if (checked.problems.length) throw new Error(checked.problems.join(' '));
      // A damaged file was being ignored already; the agent's change replaces it.
      if (raw === null) rmSync(file, { force: true });
      // Keys this version does not know (written by a newer Earshot) are carried over.
      const extra = Object.fromEntries(Object.entries(raw ?? {}).filter(([k]) => !(SETTING_KEYS as string[]).includes(k)));
      open().store = { ...extra, ...checked.values };
      return checked.values;
    },
  };
}
