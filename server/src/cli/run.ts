// `earshot-center [options]`: runs the center until SIGINT or SIGTERM.
import { readFileSync } from 'node:fs';
import { parseTrustProxy } from '../auth/client-address';
import { startCenter, type CenterOptions } from '../center/center';
import { DEFAULT_HANDLE_TIME_MS, DEFAULT_OFFER_INTERVAL_MS } from '../center/demo-telephony';
import { parseAmiAddress } from '../cti/ami/ami-source';
import { UsageError, type Command, type Options } from './common';

const seconds = ([min, max]: [number, number]) => `${min / 1000}-${max / 1000}`;

export const runCommand: Command = {
  usage: `Usage: earshot-center [options]                 run the center
  --port N  --host H  --data-dir DIR (PGlite)  DATABASE_URL=postgres://… (PostgreSQL)
  --demo  --simulate  --offer-interval MIN-MAX (seconds, default ${seconds(DEFAULT_OFFER_INTERVAL_MS)})  --log-level LEVEL
  --handle-time MIN-MAX (seconds an offered agent stays busy, default ${seconds(DEFAULT_HANDLE_TIME_MS)})  --unknown-caller-share X (0..1, default 0.15)
  --colleagues (with --demo --simulate: the demo agents nobody signed in as work the floor)  --colleagues-except USER[,USER…]
  --redis-url redis://H:P (or REDIS_URL; several center nodes share one Redis and one PostgreSQL)
  --ami HOST:PORT --ami-user U --ami-secret-file F --ami-tenant T [--ami-interface 'Local/{username}@agents/n']
    (or AMI_ADDRESS, AMI_USER, AMI_SECRET_FILE, AMI_TENANT: Asterisk's call events feed tenant T)
  --trust-proxy N (N proxies in front set X-Forwarded-For; login limits count the client behind them; default 0)
  --mail-port N --mail-domain D [--mail-host H] [--mail-allow IP|CIDR[,…]] (email: tenants' servers forward to <tenant>@D on this SMTP port)
`,
  async run(o, _args, io) {
    const port = o.port === undefined ? 0 : Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port "${o.port}" is not a port number.`);
    if ((o.colleagues || o['colleagues-except']) && !(o.demo && o.simulate)) throw new UsageError('--colleagues plays the demo agents: it needs --demo and --simulate.');
    const opts: CenterOptions = {
      host: o.host ?? '127.0.0.1',
      port,
      dataDir: o['data-dir'],
      databaseUrl: process.env.DATABASE_URL || undefined,
      demo: o.demo ?? false,
      simulate: o.simulate
        ? {
            offerIntervalMs: secondsRange('offer-interval', o['offer-interval'], DEFAULT_OFFER_INTERVAL_MS),
            handleTimeMs: secondsRange('handle-time', o['handle-time'], DEFAULT_HANDLE_TIME_MS),
            unknownCallerShare: share(o['unknown-caller-share']),
            colleagues: o.colleagues ? { except: (o['colleagues-except'] ?? '').split(',').map((u) => u.trim()).filter(Boolean) } : undefined,
          }
        : false,
      logLevel: o['log-level'] ?? 'info',
      redisUrl: o['redis-url'] || process.env.REDIS_URL || undefined,
      ami: amiOptions(o),
      trustProxy: trustProxy(o['trust-proxy']),
      mail: mailOptions(o),
    };
    if (!opts.databaseUrl && !opts.dataDir) io.stderr.write('No --data-dir or DATABASE_URL: data is kept in memory and lost on exit.\n');
    const stopSignal = io.stopSignal ?? stopSignalOfProcess();
    const center = await startCenter(opts);
    io.stdout.write(`Earshot center listening on ${center.url}\n`);
    const signal = await stopSignal;
    io.stderr.write(`${signal}: stopping the center…\n`);
    await center.stop();
    return 0;
  },
};

const stopSignalOfProcess = () =>
  new Promise<string>((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });

/** A MIN-MAX range in seconds, as milliseconds. */
function secondsRange(flag: string, raw: string | undefined, fallback: [number, number]): [number, number] {
  if (!raw) return fallback;
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(raw);
  const [min, max] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(min >= 0 && max >= min)) throw new UsageError(`--${flag} "${raw}" is not MIN-MAX in seconds, e.g. ${seconds(fallback)}.`);
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
function amiOptions(o: Options): CenterOptions['ami'] {
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

/** The SMTP receiver from flags; none without --mail-port. */
function mailOptions(o: Options): CenterOptions['mail'] {
  if (o['mail-port'] === undefined) {
    if (o['mail-domain'] || o['mail-allow']) throw new UsageError('--mail-domain and --mail-allow go with --mail-port.');
    return undefined;
  }
  const port = Number(o['mail-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--mail-port "${o['mail-port']}" is not a port number (25 or 2525 are usual).`);
  const domain = o['mail-domain'];
  if (!domain || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)) throw new UsageError('--mail-port needs --mail-domain D, the domain tenants\' mail is forwarded to (e.g. mail.center.example).');
  const allowed = (o['mail-allow'] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return { port, domain, host: o['mail-host'] ?? o.host ?? '127.0.0.1', ...(allowed.length > 0 && { allowedClients: allowed }) };
}

function share(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (!(raw.trim() !== '' && x >= 0 && x <= 1)) throw new UsageError(`--unknown-caller-share "${raw}" is not a number from 0 to 1, e.g. 0.15.`);
  return x;
}
