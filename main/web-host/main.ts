// Web mode's process: the desktop services (local SQLite, sync, CTI client) in plain Node, with
// the renderer served to a browser on 127.0.0.1. `npm start` runs it when Electron is missing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDesktopServices } from '../services/index';
import { createRotatingLog, maskText, type LogLevelName } from '../services/logging/index';
import { chooseCenterUrl, loadSettings } from '../services/settings/index';
import { startWebHost } from './server';

const USAGE = `Usage: earshot-web --center-url URL --data-dir DIR [--port N] [--renderer-dir DIR]
Signs in automatically when EARSHOT_SIGNIN is set to tenant:username:password (demo mode only).`;

function rendererDir(explicit: string | undefined): string {
  if (explicit) return explicit;
  const here = import.meta.dirname;
  // Built: dist/main/web-host -> dist/renderer. From source (tsx): main/web-host -> dist/renderer.
  const candidates = [path.resolve(here, '../../renderer'), path.resolve(here, '../../dist/renderer')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

function parseSignIn(value: string | undefined) {
  if (!value) return undefined;
  const [tenant, username, ...password] = value.split(':');
  if (!tenant || !username || password.length === 0) {
    throw new Error('EARSHOT_SIGNIN must look like tenant:username:password.');
  }
  return { tenant, username, password: password.join(':') };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'center-url': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      'renderer-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values['center-url'] || !values['data-dir']) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, not '${values.port}'.`);
    return 2;
  }
  // The same masked, rotating log file the Electron app writes; problems also go to stderr.
  const level = (['error', 'warn', 'info', 'debug'] as const).find((l) => l === process.env.EARSHOT_LOG_LEVEL) ?? 'info';
  const file = createRotatingLog({ dir: path.join(values['data-dir'], 'logs'), level: level as LogLevelName });
  const toStderr = (at: string, msg?: string) => process.stderr.write(`earshot ${at}: ${maskText(msg ?? '')} (details in ${file.files()[0]})\n`);
  const logger = {
    info: (o: object, msg?: string) => file.info(o, msg),
    warn: (o: object, msg?: string) => (file.warn(o, msg), toStderr('warning', msg)),
    error: (o: object, msg?: string) => (file.error(o, msg), toStderr('error', msg)),
  };
  // The same settings as the Electron shell: machine policy over <data-dir>/settings.json; a
  // policy-set center wins over --center-url.
  const settings = await loadSettings({ userDataDir: values['data-dir'] });
  for (const problem of settings.current().problems) logger.warn({}, problem);
  const { centerUrl, overrideIgnored } = chooseCenterUrl(settings.current(), values['center-url']);
  if (overrideIgnored) logger.warn({}, 'ignoring --center-url: the center is set by policy');
  const services = createDesktopServices({
    dataDir: values['data-dir'],
    centerUrl,
    autoSignIn: parseSignIn(process.env.EARSHOT_SIGNIN),
    logger,
    settings,
  });
  await services.start();
  const host = await startWebHost({ services, staticDir: rendererDir(values['renderer-dir']), port });
  services.announce({ url: host.url });
  process.stdout.write(`Earshot desktop (web mode): ${host.url}\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Quitting: an open page saves the note it is holding back first (bounded: no page, no wait beyond it).
  const flushed = await services.requestFlush(1_000);
  logger.info({ outcome: flushed.outcome }, 'asked the page to save held-back notes before stopping');
  await host.close();
  await services.stop();
  file.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Earshot web mode could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
