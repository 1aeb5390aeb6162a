// The center's command line: run the center, manage tenants and users, import customers.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Role } from '../../shared/domain';
import { addUser, disableUser, ensureTenant, resetPassword, UserError } from './auth/users';
import { parseTrustProxy } from './auth/client-address';
import type { Db } from './db/db';
import { parseAmiAddress } from './cti/ami/ami-source';
import { openDb } from './db/open';
import { startCenter, type CenterOptions } from './index';

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); tests pass their own. */
  stopSignal?: Promise<string>;
}

const USAGE = `Usage: earshot-center [options]                 run the center
  --port N  --host H  --data-dir DIR (PGlite)  DATABASE_URL=postgres://… (PostgreSQL)
  --demo  --simulate  --offer-interval MIN-MAX (seconds, default 20-40)  --log-level LEVEL
  --handle-time MIN-MAX (seconds an offered agent stays busy, default 120-240)  --unknown-caller-share X (0..1, default 0.15)
  --redis-url redis://H:P (or REDIS_URL; several center nodes share one Redis and one PostgreSQL)
  --ami HOST:PORT --ami-user U --ami-secret-file F --ami-tenant T [--ami-interface 'Local/{username}@agents/n']
    (or AMI_ADDRESS, AMI_USER, AMI_SECRET_FILE, AMI_TENANT: Asterisk's call events feed tenant T)
  --trust-proxy N (N proxies in front set X-Forwarded-For; login limits count the client behind them; default 0)
earshot-center tenant add --id T --name NAME [--time-zone Asia/Seoul]
earshot-center tenant set-webhook-secret --id T   (prints a new CTI webhook secret; the previous one works for 24 h more)
earshot-center user add --tenant T --username U --role agent|supervisor|admin [--display-name N] [--password P | stdin]
earshot-center user disable --tenant T --username U
earshot-center user reset-password --tenant T --username U [--password P | stdin]
earshot-center import customers FILE.csv --tenant T
earshot-center queue set TENANT QUEUE [--sl-formula abandons_count_against|early_abandons_ignored|abandons_excluded]
    [--sl-seconds T (1-3600)] [--short-abandon-seconds S (0-600)]
    [--wrap-up on|off] [--wrap-up-limit SECONDS (0-7200)|none]   (a running center applies it within seconds)
earshot-center tenant set-time-zone --id T --time-zone Asia/Seoul   ("since midnight" metrics follow it)
earshot-center wallboard add TENANT LABEL | revoke TENANT LABEL|ID | list TENANT   (add prints a wallboard token once)
(user, tenant and import commands need --data-dir or DATABASE_URL, and a center that is not running on the same PGlite directory)
`;

class UsageError extends Error {}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  demo: { type: 'boolean' },
  simulate: { type: 'boolean' },
  'offer-interval': { type: 'string' },
  'handle-time': { type: 'string' },
  'unknown-caller-share': { type: 'string' },
  'log-level': { type: 'string' },
  'redis-url': { type: 'string' },
  ami: { type: 'string' },
  'ami-user': { type: 'string' },
  'ami-secret-file': { type: 'string' },
  'ami-tenant': { type: 'string' },
  'ami-interface': { type: 'string' },
  'trust-proxy': { type: 'string' },
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
  help: { type: 'boolean', short: 'h' },
} as const;

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`Missing --${flag}.`);
  return value;
}

async function readPassword(io: CliIo): Promise<string> {
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

/** A MIN-MAX range in seconds, as milliseconds. */
function secondsRange(flag: string, raw: string | undefined, fallback: [number, number]): [number, number] {
  if (!raw) return fallback;
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(raw);
  const [min, max] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(min >= 0 && max >= min)) throw new UsageError(`--${flag} "${raw}" is not MIN-MAX in seconds, e.g. ${fallback[0] / 1000}-${fallback[1] / 1000}.`);
  return [min * 1000, max * 1000];
}

function trustProxy(raw: string | undefined): number {
  try {
    return parseTrustProxy(raw);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The Asterisk AMI source from flags (or AMI_* variables); the secret is read from a file, never a flag. */
function amiOptions(o: { ami?: string; 'ami-user'?: string; 'ami-secret-file'?: string; 'ami-tenant'?: string; 'ami-interface'?: string }): CenterOptions['ami'] {
  const address = o.ami || process.env.AMI_ADDRESS;
  if (!address) return undefined;
  const username = o['ami-user'] || process.env.AMI_USER;
  const secretFile = o['ami-secret-file'] || process.env.AMI_SECRET_FILE;
  const tenantId = o['ami-tenant'] || process.env.AMI_TENANT;
  if (!username || !secretFile || !tenantId) throw new UsageError('--ami needs --ami-user, --ami-secret-file and --ami-tenant (or AMI_USER, AMI_SECRET_FILE, AMI_TENANT).');
  let where: { host: string; port: number };
  let secret: string;
  try {
    where = parseAmiAddress(address);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  try {
    secret = readFileSync(secretFile, 'utf8').split(/\r?\n/)[0]?.trim() ?? '';
  } catch (err) {
    throw new UsageError(`Cannot read the AMI secret file ${secretFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
  if (!secret) throw new UsageError(`The AMI secret file ${secretFile} is empty; put the manager.conf secret on its first line.`);
  return { ...where, username, secret, tenantId, interfacePattern: o['ami-interface'] || undefined };
}

function share(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (!(raw.trim() !== '' && x >= 0 && x <= 1)) throw new UsageError(`--unknown-caller-share "${raw}" is not a number from 0 to 1, e.g. 0.15.`);
  return x;
}

const defaultStop = () =>
  new Promise<string>((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });

async function withDb<T>(dataDir: string | undefined, fn: (db: Db) => Promise<T>): Promise<T> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl && !dataDir) throw new UsageError('Say which database: --data-dir DIR (PGlite) or DATABASE_URL (PostgreSQL).');
  const db = await openDb({ databaseUrl, dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const { values: o, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    if (o.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const [command = 'run', sub, arg] = positionals;
    if (command === 'run') {
      const port = o.port === undefined ? 0 : Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port "${o.port}" is not a port number.`);
      const opts: CenterOptions = {
        host: o.host ?? '127.0.0.1',
        port,
        dataDir: o['data-dir'],
        databaseUrl: process.env.DATABASE_URL || undefined,
        demo: o.demo ?? false,
        simulate: o.simulate
          ? {
              offerIntervalMs: secondsRange('offer-interval', o['offer-interval'], [20_000, 40_000]),
              handleTimeMs: secondsRange('handle-time', o['handle-time'], [120_000, 240_000]),
              unknownCallerShare: share(o['unknown-caller-share']),
            }
          : false,
        logLevel: o['log-level'] ?? 'info',
        redisUrl: o['redis-url'] || process.env.REDIS_URL || undefined,
        ami: amiOptions(o),
        trustProxy: trustProxy(o['trust-proxy']),
      };
      if (!opts.databaseUrl && !opts.dataDir) io.stderr.write('No --data-dir or DATABASE_URL: data is kept in memory and lost on exit.\n');
      const stopSignal = io.stopSignal ?? defaultStop();
      const center = await startCenter(opts);
      io.stdout.write(`Earshot center listening on ${center.url}\n`);
      const signal = await stopSignal;
      io.stderr.write(`${signal}: stopping the center…\n`);
      await center.stop();
      return 0;
    }
    if (command === 'tenant' && sub === 'add') {
      const id = need(o.id, 'id');
      const created = await withDb(o['data-dir'], (db) => ensureTenant(db, { id, name: o.name ?? id, timeZone: o['time-zone'] ?? 'UTC' }));
      io.stdout.write(created ? `Tenant ${id} created.\n` : `Tenant ${id} already exists; nothing changed.\n`);
      return 0;
    }
    if (command === 'tenant' && sub === 'set-webhook-secret') {
      const id = need(o.id, 'id');
      const { createWebhookSecret } = await import('./cti/webhook-store');
      const secret = await withDb(o['data-dir'], (db) => createWebhookSecret(db, id));
      io.stdout.write(`${secret}\n`);
      io.stderr.write(`New CTI webhook secret for tenant ${id} (shown once; the previous secret is accepted for 24 hours more).\n`);
      return 0;
    }
    if (command === 'user' && sub === 'add') {
      const tenantId = need(o.tenant, 'tenant');
      const username = need(o.username, 'username');
      const role = need(o.role, 'role') as Role;
      const password = o.password ?? (await readPassword(io));
      const user = await withDb(o['data-dir'], (db) => addUser(db, { tenantId, username, role, displayName: o['display-name'] ?? username, password }));
      io.stdout.write(`User ${user.username} (${user.role}) added to tenant ${user.tenantId}.\n`);
      return 0;
    }
    if (command === 'user' && sub === 'disable') {
      const tenantId = need(o.tenant, 'tenant');
      const username = need(o.username, 'username');
      await withDb(o['data-dir'], (db) => db.tx((q) => disableUser(q, tenantId, username)));
      io.stdout.write(`User ${username} disabled and signed out everywhere.\n`);
      return 0;
    }
    if (command === 'user' && sub === 'reset-password') {
      const tenantId = need(o.tenant, 'tenant');
      const username = need(o.username, 'username');
      const password = o.password ?? (await readPassword(io));
      await withDb(o['data-dir'], (db) => db.tx((q) => resetPassword(q, tenantId, username, password)));
      io.stdout.write(`Password of ${username} reset; their sessions were signed out.\n`);
      return 0;
    }
    if ((command === 'queue' && sub === 'set') || (command === 'tenant' && sub === 'set-time-zone')) {
      const qs = await import('./floor/queue-settings');
      try {
        if (command === 'tenant') {
          const id = need(o.id, 'id');
          const zone = need(o['time-zone'], 'time-zone');
          if (!qs.isTimeZone(zone)) throw new qs.QueueSettingsError(`Time zone ${JSON.stringify(zone)} is not an IANA zone this Node knows; use one like Asia/Seoul or America/New_York.`);
          await withDb(o['data-dir'], (db) => qs.setTenantTimeZone(db, id, zone));
          io.stdout.write(`Tenant ${id} now counts "today" from midnight in ${zone}.\n`);
          return 0;
        }
        const tenantId = need(arg, 'TENANT (after "queue set")');
        const queueId = need(positionals[3], 'QUEUE (after "queue set TENANT")');
        const input = {
          serviceLevelFormula: o['sl-formula'],
          serviceLevelThresholdSec: o['sl-seconds'],
          shortAbandonSec: o['short-abandon-seconds'],
          wrapUp: o['wrap-up'],
          wrapUpLimitSec: o['wrap-up-limit'],
        };
        qs.validateQueueSettings(input); // bad values are refused before the database is opened
        const now = await withDb(o['data-dir'], (db) => qs.setQueueSettings(db, tenantId, queueId, input));
        const wrapUp = !now.wrapUp
          ? 'no wrap-up (agents are available when a call ends)'
          : now.wrapUpLimitSec === null
            ? 'wrap-up until the agent ends it'
            : `wrap-up ending by itself after ${now.wrapUpLimitSec} s`;
        io.stdout.write(
          `Queue ${queueId} of ${tenantId}: service level ${now.serviceLevelFormula} with T = ${now.serviceLevelThresholdSec} s, short abandons under ${now.shortAbandonSec} s; ${wrapUp}.\n`,
        );
        return 0;
      } catch (err) {
        if (!(err instanceof qs.QueueSettingsError)) throw err;
        io.stderr.write(`${err.message}\n`);
        return 1;
      }
    }
    if (command === 'wallboard') return await (await import('./wallboard/cli')).wallboardCli(positionals.slice(1), (fn) => withDb(o['data-dir'], fn), io);
    if (command === 'import' && sub === 'customers') {
      const file = need(arg, 'FILE.csv (after "import customers")');
      const tenantId = need(o.tenant, 'tenant');
      const { importCustomers } = await import('./import/customers');
      const result = await withDb(o['data-dir'], (db) =>
        importCustomers(db, tenantId, file, (p) => io.stderr.write(`\r${p.rows} rows, ${p.imported} imported, ${p.rejected} rejected`)),
      );
      io.stderr.write('\n');
      io.stdout.write(`Imported ${result.imported} of ${result.rows} rows; ${result.rejected.length} rejected.\n`);
      for (const r of result.rejected.slice(0, 20)) io.stdout.write(`  line ${r.line}: ${r.reason}\n`);
      if (result.rejected.length > 20) io.stdout.write(`  … and ${result.rejected.length - 20} more.\n`);
      return result.rejected.length > 0 ? 2 : 0;
    }
    throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`${err.message}\n\n${USAGE}`);
      return 64;
    }
    io.stderr.write(`The center command failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
