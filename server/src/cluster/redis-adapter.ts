// Several center nodes, one audience: socket.io's Redis adapter carries room emits between nodes,
// so a supervisor connected to node B hears what node A emits to `tenant:<id>` or `agent:<id>`.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';

/** What the cluster modules log through; pino's Logger fits. */
export interface ClusterLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const CONNECT_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 2_000;
/** Reconnect backoff: 100 ms more per attempt, at most 2 s, for ever (Redis may come back). */
const reconnectDelay = (retries: number): number => Math.min(100 * (retries + 1), 2_000);
/** While Redis is down every attempt fails: log the first failure and then every this many. */
const LOG_EVERY_ERRORS = 50;

/** host:port only: a URL may carry a password, which must never reach the log. */
export function redisWhere(redisUrl: string): string {
  try {
    const u = new URL(redisUrl);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

export type RedisClient = ReturnType<typeof createClient>;

/**
 * Connects a publishing and a subscribing client to `redisUrl` and installs the adapter on `io`.
 * Fails (with both clients closed) when Redis cannot be reached at start; once running, a lost
 * Redis is logged and reconnected without crashing — emits meanwhile reach this node's sockets only.
 */
export async function attachRedisAdapter(
  io: Server,
  redisUrl: string,
  log: ClusterLog,
  opts: { connectTimeoutMs?: number } = {},
): Promise<{ close(): Promise<void>; commands: RedisClient }> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const where = redisWhere(redisUrl);
  const watch = (client: RedisClient, role: 'pub' | 'sub'): void => {
    let errors = 0;
    let down = false;
    client.on('error', (err: unknown) => {
      errors += 1;
      if (errors === 1 || errors % LOG_EVERY_ERRORS === 0) {
        log.warn(
          { redis: where, role, errors, error: err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200) },
          'Redis connection failed; reconnecting. Room emits reach only this node until it is back — check that Redis is running.',
        );
      }
    });
    client.on('reconnecting', () => {
      down = true;
    });
    client.on('ready', () => {
      if (down) log.info({ redis: where, role, afterErrors: errors }, 'Redis connection restored');
      down = false;
      errors = 0;
    });
  };
  const pub: RedisClient = createClient({ url: redisUrl, socket: { reconnectStrategy: reconnectDelay, connectTimeout: Math.min(5_000, connectTimeoutMs) } });
  const sub: RedisClient = pub.duplicate();
  watch(pub, 'pub');
  watch(sub, 'sub');

  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.all([pub.connect(), sub.connect()]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      }),
    ]);
  } catch (err) {
    for (const c of [sub, pub]) if (c.isOpen) c.destroy();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not connect to Redis at ${where} (${why}). Start Redis or fix REDIS_URL; a single center node can run without it.`, { cause: err });
  } finally {
    clearTimeout(timer);
  }

  io.adapter(createAdapter(pub, sub));
  log.info({ redis: where }, 'socket.io Redis adapter attached');
  let closing: Promise<void> | null = null;
  return {
    /** The publishing connection, for plain commands too (throttle counters: redis-throttle.ts). */
    commands: pub,
    close: () =>
      (closing ??= (async () => {
        // Unsubscribe, then let pending commands finish — but a Redis that is down would keep both
        // waiting for ever, and a stopping center must stop: after a bound the clients are dropped.
        const graceful = (async () => {
          await Promise.all([...io._nsps.values()].map(async (nsp) => nsp.adapter.close?.()));
          for (const c of [sub, pub]) if (c.isOpen) await c.close();
        })().catch(() => undefined);
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([graceful, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
        clearTimeout(timer);
        for (const c of [sub, pub]) if (c.isOpen) c.destroy();
      })()),
  };
}
