// Test harness for Redis: a throw-away `redis-server` on 127.0.0.1 at a free port, no persistence,
// stopped by its PID. Outside CI a missing or broken redis-server SKIPS the suites that need it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from './ports';

export const REDIS_SERVER = '/usr/bin/redis-server';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface ThrowawayRedis {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export { freePort };

/** One PING over a raw socket: true when the server answers +PONG. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

const exited = (child: ChildProcess, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/** `port`: start on this one (e.g. to bring a stopped Redis back where its clients look for it). */
export async function startThrowawayRedis(opts: { port?: number } = {}): Promise<ThrowawayRedis> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} not found (apt-get install redis-server)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-redis-'));
  const port = opts.port ?? (await freePort());
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGTERM');
      if (!(await exited(child, STOP_TIMEOUT_MS)) && child.exitCode === null) {
        process.kill(child.pid, 'SIGKILL');
        await exited(child, STOP_TIMEOUT_MS);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const failed = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    if (failed || child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server did not start (${failed?.message ?? `exit ${child.exitCode}`}): ${output.trim().slice(-500)}`);
    }
    if (await pings(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms: ${output.trim().slice(-500)}`);
    }
  }
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid as number, stop };
}

export type RedisForSuite = { url: string; skipReason: null } | { url: null; skipReason: string };

/**
 * For a test file's top level (`const redis = await redisForSuite()`): starts a Redis stopped after
 * the file's tests. Where none can start, `skipReason` says why — unless CI=true, where that fails.
 */
export async function redisForSuite(): Promise<RedisForSuite> {
  try {
    const server = await startThrowawayRedis();
    afterAll(() => server.stop());
    return { url: server.url, skipReason: null };
  } catch (err) {
    const reason = `no Redis for tests: ${err instanceof Error ? err.message : String(err)}`;
    if (process.env.CI === 'true') throw new Error(`${reason} (CI=true requires it; install redis-server)`, { cause: err });
    console.warn(`[redis] ${reason}; Redis suites will be SKIPPED.`);
    return { url: null, skipReason: reason };
  }
}
