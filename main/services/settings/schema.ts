// The desktop's settings: one zod schema per key, the defaults, and which keys IT may lock by policy.
// Keys are parsed one by one so a single bad value (hand-edited file, typo in a policy) falls back
// to the default for that key only and never wipes the others.
import { z } from 'zod';

const httpUrl = z
  .string()
  .max(2048)
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must start with http:// or https://');

export const UpdateMode = z.enum(['none', 'manual', 'auto']);
export type UpdateMode = z.infer<typeof UpdateMode>;
export const LogLevel = z.enum(['error', 'warn', 'info', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

export const WindowBounds = z.object({
  x: z.number().int().min(-100_000).max(100_000).optional(),
  y: z.number().int().min(-100_000).max(100_000).optional(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowBounds = z.infer<typeof WindowBounds>;

/** Every setting, its schema, and its default. */
export const settingSchemas = {
  /** The Earshot center this desktop syncs with. */
  centerUrl: httpUrl,
  /** Pre-filled tenant on the sign-in form (null: the agent types it). */
  tenant: z.string().min(1).max(64).nullable(),
  /** none: never check; manual: the agent is told and chooses; auto: download and install on quit. */
  updateMode: UpdateMode,
  /** Generic update feed (electron-builder `publish`); null uses the one built into the installer. */
  updateFeedUrl: httpUrl.nullable(),
  /** PEM file with extra CA certificates trusted for the center connection (a company's own CA). */
  caBundlePath: z.string().min(1).max(1024).nullable(),
  logLevel: LogLevel,
  /** How long rotated log files are kept, in files of logMaxBytes each. */
  logMaxFiles: z.number().int().min(1).max(50),
  logMaxBytes: z.number().int().min(64 * 1024).max(100 * 1024 * 1024),
  /** An OS notification when a call is offered while the window is not focused. */
  callNotifications: z.boolean(),
  language: z.enum(['en', 'ko']).nullable(),
  /** Remembered by the shell; never set by policy. */
  windowBounds: WindowBounds.nullable(),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type Settings = { [K in SettingKey]: z.infer<(typeof settingSchemas)[K]> };
export const SETTING_KEYS = Object.keys(settingSchemas) as SettingKey[];

export const DEFAULT_SETTINGS: Settings = {
  centerUrl: 'http://127.0.0.1:4000',
  tenant: null,
  updateMode: 'manual',
  updateFeedUrl: null,
  caBundlePath: null,
  logLevel: 'info',
  logMaxFiles: 5,
  logMaxBytes: 5 * 1024 * 1024,
  callNotifications: true,
  language: null,
  windowBounds: null,
};

/** What IT may set machine-wide (and thereby lock). The window's place is the agent's business. */
export const POLICY_KEYS = SETTING_KEYS.filter((k) => k !== 'windowBounds');
const BOOLEAN_KEYS = new Set<SettingKey>(['callNotifications']);

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
