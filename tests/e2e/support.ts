// Starts the real, built programs for end-to-end tests — the center and the web-mode desktop — as
// child processes on 127.0.0.1, and Debian's Chromium through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { CallOffered, LoginResponse, SCHEMA_VERSION } from '../../shared/protocol/index';

export const root = path.resolve(import.meta.dirname, '../..');
export const artifacts = path.join(root, 'test-results/e2e');
mkdirSync(artifacts, { recursive: true });

export interface Started {
  process: ChildProcess;
  match: RegExpExecArray;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns a program and waits for a line matching `ready` on its stdout (or fails with its output). */
export function startProgram(args: string[], ready: RegExp, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const output = () => out;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`${args[0]} was not ready within ${timeoutMs} ms. Output:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ process: child, match, output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code} before it was ready. Output:\n${out}`));
    });
  });
}

export function tempDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `earshot-e2e-${label}-`));
}
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

export interface CenterOptions {
  dataDir: string;
  offerInterval?: string;
  extraArgs?: string[];
  /** A fixed port, e.g. to restart a center where its desktops expect it (0 = any free port). */
  port?: number;
}
export async function startCenter(opts: CenterOptions) {
  const args = ['server/dist/cli-entry.js', '--port', String(opts.port ?? 0), '--data-dir', opts.dataDir, '--demo'];
  if (opts.offerInterval) args.push('--simulate', '--offer-interval', opts.offerInterval);
  // A first start seeds the demo (seconds on an idle machine, a minute or more on a loaded one).
  const started = await startProgram([...args, ...(opts.extraArgs ?? [])], /Earshot center listening on (http:\/\/127\.0\.0\.1:\d+)/, { EARSHOT_LOG_LEVEL: 'warn' }, 150_000);
  return { ...started, url: started.match[1]! };
}

export async function startWebDesktop(centerUrl: string, dataDir: string, signIn = 'demo:agent1:demo') {
  const started = await startProgram(
    ['dist/main/web-host/main.js', '--center-url', centerUrl, '--data-dir', dataDir, '--port', '0'],
    /Earshot desktop \(web mode\): (http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/\?token=\S+)/,
    { EARSHOT_SIGNIN: signIn, EARSHOT_LOG_LEVEL: 'warn' },
  );
  return { ...started, url: started.match[1]! };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Talks to the center as a user would through the real protocol: login over HTTP, then socket.io. */
/**
 * A signed-in socket. `listen` registers handlers before the socket connects: the center may push
 * right after the connect packet (a supervisor's full metrics), and both can arrive in one read, so
 * a handler added once the connect promise resolves can miss the first push.
 */
export async function centerClient(centerUrl: string, tenant: string, username: string, password: string, listen?: (socket: Socket) => void): Promise<Socket> {
  const res = await fetch(`${centerUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant, username, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const login = LoginResponse.parse(await res.json());
  const socket = io(centerUrl, { auth: { token: login.token, schemaVersion: SCHEMA_VERSION }, transports: ['websocket'], reconnection: false });
  listen?.(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * The stage most end-to-end tests need: a demo center whose simulator offers agent1 known callers
 * every few seconds, a second agent1 socket that records those offers (connected before the desktop,
 * since the first offer can follow within seconds), the web-mode desktop and Chromium.
 */
export interface CallSceneOptions {
  /** Share of simulated calls from numbers in no customer's profile (default 0: every caller is known). */
  unknownCallerShare?: number;
  /** `--handle-time MIN-MAX` in seconds (ring 5 %, talk 75 %, wrap-up the rest); the center's default when unset. */
  handleTime?: string;
  /**
   * The recording socket is agent1 too, and the center makes a connecting agent available: a call can
   * be offered before the desktop is up, and that desktop never pops it. With this, agent1 is put in
   * not_ready at once and the test calls `scene.becomeAvailable()` when its page is ready.
   */
  startNotReady?: boolean;
  /** The demo's simulated colleagues (`--colleagues`): every other demo agent signs in and works. */
  colleagues?: boolean;
}
export async function startCallScene(label: string, options: CallSceneOptions = {}) {
  const centerDir = tempDir(`${label}-center`);
  const desktopDir = tempDir(`${label}-desktop`);
  const offered: CallOffered[] = [];
  const observe = async (url: string): Promise<Socket> => {
    const socket = await centerClient(url, 'demo', 'agent1', 'demo');
    socket.on('cti:callOffered', (payload: unknown) => offered.push(CallOffered.parse(payload)));
    return socket;
  };
  const scene = {
    centerDir,
    offered,
    center: await startCenter({
      dataDir: centerDir,
      offerInterval: '2-3',
      extraArgs: [
        '--unknown-caller-share',
        String(options.unknownCallerShare ?? 0),
        ...(options.handleTime ? ['--handle-time', options.handleTime] : []),
        ...(options.colleagues ? ['--colleagues', '--colleagues-except', 'agent1'] : []),
      ],
    }),
    observer: null as Socket | null,
    desktop: null as Awaited<ReturnType<typeof startWebDesktop>> | null,
    browser: null as Browser | null,
    /** (Re)connects the recording socket to the center now running. */
    async observe() {
      scene.observer?.close();
      scene.observer = await observe(scene.center.url);
      return scene.observer;
    },
    /** agent1 available at the center (as the agent bar's button would), so the simulator offers a call. */
    async becomeAvailable() {
      const ack = (await scene.observer!.timeout(10_000).emitWithAck('agent:setState', { state: 'available' })) as { ok: boolean };
      if (!ack.ok) throw new Error(`agent1 could not become available: ${JSON.stringify(ack)}`);
    },
    async stop() {
      scene.observer?.close();
      await scene.browser?.close();
      await scene.desktop?.stop();
      await scene.center.stop();
      [centerDir, desktopDir].forEach(removeDir);
    },
  };
  try {
    await scene.observe();
    if (options.startNotReady) {
      const ack = (await scene.observer!.timeout(10_000).emitWithAck('agent:setState', { state: 'not_ready', reason: 'meeting' })) as { ok: boolean };
      if (!ack.ok) throw new Error(`agent1 could not be set not ready: ${JSON.stringify(ack)}`);
    }
    scene.desktop = await startWebDesktop(scene.center.url, desktopDir);
    scene.browser = await launchChromium();
  } catch (err) {
    await scene.stop();
    throw err;
  }
  return scene as typeof scene & { observer: Socket; desktop: Awaited<ReturnType<typeof startWebDesktop>>; browser: Browser };
}

/** Runs axe-core (node_modules/axe-core) in the page and returns its serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
  // Evaluated through the DevTools protocol, so the page's strict CSP (no inline scripts) stays on.
  const source = readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact?: string | null; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact!, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

/** The trimmed text of the element with a test id ('' when it has none). */
export const testIdText = async (page: Page, testId: string): Promise<string> => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

/** Moves the focused <select> with arrow keys until it shows `value` (bounded), as a keyboard user would. */
export async function chooseWithArrows(page: Page, testId: string, value: string): Promise<void> {
  const select = page.getByTestId(testId);
  for (let i = 0; i < 12 && (await select.inputValue()) !== value; i++) await page.keyboard.press('ArrowDown');
  const shown = await select.inputValue();
  if (shown !== value) throw new Error(`${testId} shows "${shown}" after twelve presses of ArrowDown, not "${value}"`);
}
