// `npm start`: build if needed, start an embedded Earshot center (PGlite in the per-user data
// directory, demo data, ACD simulator), then the desktop signed in as the demo agent: Electron
// when its binary is installed, otherwise web mode on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeHolder, inspectDirLock } from '@earshot/dir-lock';
import { buildIsStale, root, userDataDir } from './paths.mjs';
import { findElectron } from './electron-binary.mjs';
import { buildElectronNative } from './electron-native.mjs';

const { values } = parseArgs({
  options: {
    web: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    'offer-interval': { type: 'string', default: '20-40' },
    'handle-time': { type: 'string', default: '15-25' },
    as: { type: 'string', default: 'agent1' },
    alone: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm start [-- --web] [-- --port N] [-- --offer-interval MIN-MAX]
  --web              web mode even when Electron is installed
  --port N           web mode's port on 127.0.0.1 (0 = any free port)
  --offer-interval   seconds the demo agent waits, once available, for the next call (default 20-40)
  --handle-time      seconds a simulated call lasts, ringing to wrap-up (default 15-25)
  --as USER          the demo user the desktop signs in as (default agent1; super1 for the floor,
                     staff1 … staff10 for the VOC desk, admin); each user keeps a desktop store of their own
  --alone            no simulated colleagues: the desktop's agent is the only one on the floor`);
  process.exit(0);
}
if (!/^[A-Za-z0-9._@-]{1,64}$/.test(values.as)) {
  console.error(`--as is a demo username (agent1 … agent20, super1, staff1 … staff10, admin), not '${values.as}'.`);
  process.exit(2);
}
if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not '${values.port}'.`);
  process.exit(2);
}

const children = [];
let stopping = false;
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** Starts a child and resolves with the first stdout line matching `pattern`; the rest is passed through. */
function startChild(label, command, args, env, pattern) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    let found = false;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      if (found) return;
      buffer += chunk.toString();
      const match = pattern.exec(buffer);
      if (match) {
        found = true;
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      if (!found) reject(new Error(`${label} exited (code ${code}) before it was ready.`));
      else if (!stopping) {
        console.error(`${label} stopped (code ${code}); stopping Earshot.`);
        stopAll(code ?? 1);
      }
    });
  });
}

/**
 * Where an Earshot already running on this data directory is, read from its locks (files only this
 * user can read: the web mode's address carries its token); null when none runs.
 */
function alreadyRunning(dataDir) {
  const desktop = inspectDirLock(path.join(dataDir, 'desktop'));
  if (desktop.state === 'held') {
    const url = typeof desktop.holder?.info?.url === 'string' ? desktop.holder.info.url : null;
    // Said once: the address goes on a line of its own, to open or copy.
    const holder = describeHolder({ ...desktop.holder, info: {} });
    return url
      ? { code: 0, message: `Earshot is already running (web mode, ${holder}). Open it at:\n  ${url}` }
      : { code: 0, message: `Earshot is already running (${holder}): switch to its window. Stop it first to start another.` };
  }
  const center = inspectDirLock(path.join(dataDir, 'center'));
  if (center.state === 'held') {
    return { code: 1, message: `An Earshot center already uses this computer's Earshot data (${describeHolder(center.holder)}). Stop it first, then run npm start again.` };
  }
  return null;
}

/**
 * The demo's wallboard: a fresh token (the one of the previous start is revoked), made over the
 * center's admin API as the demo administrator, and the link to open it with.
 */
async function printWallboard(centerUrl) {
  const post = async (route, body, token) => {
    const res = await fetch(`${centerUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const login = await post('/api/login', { tenant: 'demo', username: 'admin', password: 'demo' });
  if (login.status !== 200) throw new Error(`the demo administrator could not sign in (${login.status})`);
  const label = 'npm start';
  const created = await post('/api/wallboard/tokens/revoke', { token: label }, login.body.token)
    .then(() => post('/api/wallboard/tokens', { label }, login.body.token))
    .finally(() => post('/api/logout', {}, login.body.token));
  if (created.status !== 201) throw new Error(`the center did not make a wallboard token (${created.status})`);
  console.log(`Wallboard (the queues on a big screen), open in a browser:\n  ${centerUrl}${created.body.url}`);
}

async function main() {
  const running = alreadyRunning(userDataDir());
  if (running) {
    (running.code === 0 ? console.log : console.error)(running.message);
    process.exit(running.code);
  }
  if (buildIsStale()) {
    console.log('Building Earshot (first run, or sources changed)…');
    const { buildAll } = await import('./build.mjs');
    await buildAll();
  }
  const dataDir = userDataDir();
  mkdirSync(dataDir, { recursive: true });

  const [, centerUrl] = await startChild(
    'The Earshot center',
    process.execPath,
    [
      'server/dist/cli-entry.js',
      ...['--port', '0', '--data-dir', path.join(dataDir, 'center'), '--demo', '--simulate', '--offer-interval', values['offer-interval'], '--handle-time', values['handle-time']],
      // The other demo agents work the floor as simulated colleagues; the desktop's user is left to you.
      ...(values.alone ? [] : ['--colleagues', '--colleagues-except', values.as]),
      // Email: a receiver on a free port; the demo page mails it as a customer (no mail leaves this machine).
      ...['--mail-port', '0', '--mail-domain', 'mail.earshot.localhost'],
      ...['--log-level', 'warn'],
    ],
    {},
    /Earshot center listening on (http:\/\/\S+)/,
  );
  console.log(`Web chat and email as a customer (the demo shop page), open in a browser:\n  ${centerUrl}/chat/demo   (Korean: ${centerUrl}/chat/demo?lang=ko)`);
  await printWallboard(centerUrl).catch((err) => console.log(`(No wallboard link this time: ${err instanceof Error ? err.message : String(err)})`));

  const signIn = { EARSHOT_SIGNIN: `demo:${values.as}:demo` };
  // A desktop's store is bound to the user who signs in on it: each demo user gets their own.
  const desktopDir = path.join(dataDir, values.as === 'agent1' ? 'desktop' : `desktop-${values.as}`);
  const electron = values.web ? { missing: 'web mode was asked for with --web' } : findElectron();
  // Electron loads its own build of better-sqlite3 (scripts/electron-native.mjs), never node_modules' Node one.
  const native = 'path' in electron ? await buildElectronNative() : null;
  if ('path' in electron && native?.ok) {
    await startChild('Earshot desktop', electron.path, ['dist/main/electron/main.js', '--center-url', centerUrl, '--data-dir', desktopDir], signIn, /Earshot desktop ready/);
    return;
  }
  if (native && !native.ok) console.log(`Electron is installed, but ${native.message} Starting web mode instead.`);
  else if (!values.web) console.log(`Electron is not available here (${electron.missing}); starting web mode instead.`);
  await startChild(
    'Earshot desktop (web mode)',
    process.execPath,
    ['dist/main/web-host/main.js', '--center-url', centerUrl, '--data-dir', desktopDir, '--port', values.port],
    signIn,
    /Earshot desktop \(web mode\): (\S+)/,
  );
}

main().catch((err) => {
  console.error(`Earshot could not start: ${err instanceof Error ? err.message : String(err)}`);
  stopAll(1);
});
