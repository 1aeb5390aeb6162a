// The desktop's settings as the renderer and the main side both see them: one zod schema per key,
// the defaults, which keys IT may lock by policy, which the agent may change from the settings page,
// and the view the DesktopApi's `getSettings` answers with (value, source and lock, per key).
import { z } from 'zod';
import { TENANT_MAX_CHARS } from '../domain/field-limits';

const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;

/**
 * Why a center address cannot be used, or null. https://, or http:// to this computer only (the demo
 * center, a TLS proxy on the same machine): over the network http:// would carry passwords, session
 * tokens and customers' data in clear.
 */
export function centerUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a web address';
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK_HOST.test(u.hostname)) return null;
  return 'must start with https:// (http:// is accepted only for this computer: 127.0.0.1 or localhost)';
}

const centerAddress = z
  .string()
  .max(2048)
  .url()
  .superRefine((v, ctx) => {
    const problem = centerUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
/** An update feed: https:// only, or what it serves could be swapped on the way. */
const httpsUrl = z
  .string()
  .max(2048)
  .url()
  .refine((v) => /^https:\/\//i.test(v), 'must start with https:// (an update feed over http:// could be swapped on the way)');

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
  /** The Earshot center this desktop syncs with: https://, or http:// to this computer only. */
  centerUrl: centerAddress,
  /** Pre-filled tenant on the sign-in form (null: the agent types it). */
  tenant: z.string().min(1).max(TENANT_MAX_CHARS).nullable(),
  /** none: never check; manual: the agent is told and chooses; auto: download and install on quit. */
  updateMode: UpdateMode,
  /** Generic update feed (electron-builder `publish`), https:// only; null uses the one built into the installer. */
  updateFeedUrl: httpsUrl.nullable(),
  /** PEM file with extra CA certificates trusted for the center connection (a company's own CA). */
  caBundlePath: z.string().min(1).max(1024).nullable(),
  logLevel: LogLevel,
  /** How long rotated log files are kept, in files of logMaxBytes each. */
  logMaxFiles: z.number().int().min(1).max(50),
  logMaxBytes: z.number().int().min(64 * 1024).max(100 * 1024 * 1024),
  /** An OS notification when a call is offered while the window is not focused. */
  callNotifications: z.boolean(),
  /** The UI language; null follows the operating system's. */
  language: z.enum(['en', 'ko']).nullable(),
  /** Minutes without the agent using Earshot after which it signs them out (a shared PC left unattended). */
  idleTimeoutMinutes: z.number().int().min(5).max(1440),
  /** On sign-out, remove this computer's copy of customers and history once everything has synced. */
  wipeOnSignOut: z.boolean(),
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
  idleTimeoutMinutes: 480,
  wipeOnSignOut: false,
  windowBounds: null,
};

/** What IT may set machine-wide (and thereby lock). The window's place is the agent's business. */
export const POLICY_KEYS = SETTING_KEYS.filter((k) => k !== 'windowBounds');

/**
 * What the agent may change from the settings page (unless IT locked it). The rest (update feed,
 * CA bundle, logs) decide what the desktop trusts and keeps: only IT sets those, by policy or by
 * the settings file at install time, never a page the network's content could reach.
 */
export const USER_EDITABLE_KEYS = ['language', 'callNotifications', 'centerUrl', 'tenant'] as const satisfies readonly SettingKey[];
export type UserEditableKey = (typeof USER_EDITABLE_KEYS)[number];
/**
 * What an installed (packaged) Earshot takes from policy or the installer only, never from the agent's
 * own settings file, and the agent's Settings shows but does not change: where it connects, what it
 * trusts, where it updates from.
 */
export const INSTALL_KEYS = ['centerUrl', 'updateFeedUrl', 'caBundlePath'] as const satisfies readonly SettingKey[];
/** Keys read once at start: a change is saved at once and used from the next start. */
export const RESTART_KEYS: readonly SettingKey[] = ['centerUrl', 'tenant', 'updateMode', 'updateFeedUrl', 'caBundlePath', 'logLevel', 'logMaxFiles', 'logMaxBytes'];

export const SettingSource = z.enum(['policy', 'installer', 'user', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

const settingEntry = <T extends z.ZodType>(value: T) =>
  z.object({
    value,
    source: SettingSource,
    /** Set by policy: shown read-only with "Set by your IT department". */
    locked: z.boolean(),
    /** The agent may change it here (a user-editable key that is not locked). */
    editable: z.boolean(),
  });

/** Every setting but the window's place, one entry each (a test holds this list to POLICY_KEYS). */
const shownSettings = {
  centerUrl: settingEntry(settingSchemas.centerUrl),
  tenant: settingEntry(settingSchemas.tenant),
  updateMode: settingEntry(settingSchemas.updateMode),
  updateFeedUrl: settingEntry(settingSchemas.updateFeedUrl),
  caBundlePath: settingEntry(settingSchemas.caBundlePath),
  logLevel: settingEntry(settingSchemas.logLevel),
  logMaxFiles: settingEntry(settingSchemas.logMaxFiles),
  logMaxBytes: settingEntry(settingSchemas.logMaxBytes),
  callNotifications: settingEntry(settingSchemas.callNotifications),
  language: settingEntry(settingSchemas.language),
  idleTimeoutMinutes: settingEntry(settingSchemas.idleTimeoutMinutes),
  wipeOnSignOut: settingEntry(settingSchemas.wipeOnSignOut),
};
export type ShownSettingKey = keyof typeof shownSettings;

/** `getSettings`' answer: every setting but the window's place, where it came from, and whether it is locked. */
export const DesktopSettings = z.object({
  settings: z.object(shownSettings),
  /** Where the machine policy was read from (a file or a registry key); null when there is none. */
  policyOrigin: z.string().nullable(),
  /** Readable notes about ignored values (a bad policy file, a damaged settings file); never contain values. */
  problems: z.array(z.string()),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

/** `setSetting`'s argument: one user-editable key and a value its schema accepts. */
export const UserSettingChange = z.discriminatedUnion('key', [
  z.strictObject({ key: z.literal('language'), value: settingSchemas.language }),
  z.strictObject({ key: z.literal('callNotifications'), value: settingSchemas.callNotifications }),
  z.strictObject({ key: z.literal('centerUrl'), value: settingSchemas.centerUrl }),
  z.strictObject({ key: z.literal('tenant'), value: settingSchemas.tenant }),
]);
export type UserSettingChange = z.infer<typeof UserSettingChange>;
