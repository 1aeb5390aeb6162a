// What every command of the center's command line shares: its input and output, the options it
// parses, refusals of a command line that cannot run, and opening the database a command works on.
import type { ParseArgsConfig } from 'node:util';
import { auditAdmin, commandLineActor } from '../audit/trail';
import type { Db } from '../db/db';
import { openDb } from '../db/open';

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); tests pass their own. */
  stopSignal?: Promise<string>;
}

/** A command line that cannot run as typed: said with the usage, exit code 64. */
export class UsageError extends Error {}

export const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  demo: { type: 'boolean' },
  simulate: { type: 'boolean' },
  'offer-interval': { type: 'string' },
  'handle-time': { type: 'string' },
  'unknown-caller-share': { type: 'string' },
  colleagues: { type: 'boolean' },
  'colleagues-except': { type: 'string' },
  'log-level': { type: 'string' },
  'redis-url': { type: 'string' },
  ami: { type: 'string' },
  'ami-user': { type: 'string' },
  'ami-secret-file': { type: 'string' },
  'ami-tenant': { type: 'string' },
  'ami-interface': { type: 'string' },
  'trust-proxy': { type: 'string' },
  'mail-port': { type: 'string' },
  'mail-host': { type: 'string' },
  'mail-domain': { type: 'string' },
  'mail-allow': { type: 'string' },
  'smtp-host': { type: 'string' },
  'smtp-port': { type: 'string' },
  'smtp-user': { type: 'string' },
  secure: { type: 'boolean' },
  from: { type: 'string' },
  'from-name': { type: 'string' },
  tenant: { type: 'string' },
  username: { type: 'string' },
  role: { type: 'string' },
  'display-name': { type: 'string' },
  password: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  'time-zone': { type: 'string' },
  'sl-formula': { type: 'string' },
  'sl-seconds': { type: 'string' },
  'short-abandon-seconds': { type: 'string' },
  'wrap-up': { type: 'string' },
  'wrap-up-limit': { type: 'string' },
  channel: { type: 'string' },
  capacity: { type: 'string' },
  interruptible: { type: 'string' },
  members: { type: 'string' },
  lead: { type: 'string' },
  approval: { type: 'string' },
  assignment: { type: 'string' },
  days: { type: 'string' },
  opens: { type: 'string' },
  closes: { type: 'string' },
  replace: { type: 'boolean' },
  'happy-call-types': { type: 'string' },
  'happy-call-after': { type: 'string' },
  'follow-up-attempts': { type: 'string' },
  'follow-up-retry': { type: 'string' },
  'place-call-url': { type: 'string' },
  'per-minute': { type: 'string' },
  customer: { type: 'string' },
  limit: { type: 'string' },
  lang: { type: 'string' },
  code: { type: 'string' },
  label: { type: 'string' },
  'all-or-nothing': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export type Options = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** One command: its usage lines and what it does; returns the process exit code. */
export interface Command {
  usage: string;
  run(o: Options, args: readonly string[], io: CliIo): Promise<number>;
}

/** Runs a command whose refusals (errors of the given kinds) are said plainly: the message, exit code 1. */
export async function refusing(io: Pick<CliIo, 'stderr'>, kinds: ReadonlyArray<abstract new (...args: never[]) => Error>, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!kinds.some((kind) => err instanceof kind)) throw err;
    io.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}

export function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`Missing --${flag}.`);
  return value;
}

export async function readPassword(io: CliIo): Promise<string> {
  if (io.stdin.isTTY) io.stderr.write('Password (then Enter): ');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (Buffer.concat(chunks).includes(10)) break;
  }
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!password) throw new UsageError('No password given: pass --password P or write it on standard input.');
  return password;
}

/** An administrator's command, for the audit trail: which tenant, what (`admin.<action>`), and its arguments (never secrets). */
export interface AdminCommand {
  tenantId: string;
  action: string;
  detail: string;
}

/**
 * Opens the database a command works on (--data-dir or DATABASE_URL), and closes it after. A command
 * that changes something passes `audit`: once it has succeeded, it is recorded with the OS account that
 * ran it.
 */
export async function withDb<T>(dataDir: string | undefined, fn: (db: Db) => Promise<T>, audit?: AdminCommand): Promise<T> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl && !dataDir) throw new UsageError('Say which database: --data-dir DIR (PGlite) or DATABASE_URL (PostgreSQL).');
  const db = await openDb({ databaseUrl, dataDir });
  try {
    const result = await fn(db);
    if (audit) await auditAdmin(db, { tenantId: audit.tenantId, action: audit.action, detail: `${commandLineActor()}: ${audit.detail}` });
    return result;
  } finally {
    await db.close();
  }
}
