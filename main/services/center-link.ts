// The desktop's one socket.io connection to the center: handshake auth, acknowledged requests with
// timeouts and zod-parsed answers, and connection state for the sync engine and CTI to follow.
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { ErrorCode, SCHEMA_VERSION, ackSchema, type Ack, type ErrorCode as ErrorCodeT } from '../../shared/protocol/index';

/** A request the center refused or never answered. `code` is a protocol ErrorCode or 'timeout' / 'offline' / 'bad_answer'. */
export class CenterRequestError extends Error {
  constructor(
    readonly code: ErrorCodeT | 'timeout' | 'offline' | 'bad_answer',
    message: string,
  ) {
    super(message);
    this.name = 'CenterRequestError';
  }
}

export interface LinkListeners {
  connected(): void;
  disconnected(reason: string): void;
  /** The center refused the handshake, or it could not be reached; `willRetry` false means we must act. */
  connectFailed(code: ErrorCodeT | 'unreachable', message: string, willRetry: boolean): void;
}

export interface CenterLink {
  /** (Re)connects with these credentials; the connection then retries by itself until `disconnect()`. */
  connect(auth: { token: string; clientId: string }): void;
  disconnect(): void;
  isConnected(): boolean;
  request<S extends z.ZodTypeAny>(event: string, payload: unknown, answer: S, timeoutMs?: number): Promise<z.infer<S>>;
  /** Subscribes to a center event; payloads failing `schema` are dropped and reported. */
  on<S extends z.ZodTypeAny>(event: string, schema: S, handler: (payload: z.infer<S>) => void): void;
}

export interface CenterLinkOptions {
  centerUrl: string;
  listeners: LinkListeners;
  onBadPayload?(event: string): void;
  /** Reconnect delays (ms); the defaults suit a desktop, tests shorten them. */
  reconnectDelay?: { min: number; max: number };
  /** How long to wait for any acknowledgement. */
  requestTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function refusalCode(err: Error & { data?: unknown }): ErrorCodeT | 'unreachable' {
  const data = err.data as { code?: unknown } | undefined;
  const parsed = ErrorCode.safeParse(data?.code);
  if (parsed.success) return parsed.data;
  const parsedMessage = ErrorCode.safeParse(err.message);
  if (parsedMessage.success) return parsedMessage.data;
  if (/update/i.test(err.message)) return 'update_required';
  if (/token|auth|session/i.test(err.message)) return 'unauthenticated';
  return 'unreachable';
}

export function createCenterLink(opts: CenterLinkOptions): CenterLink {
  let socket: Socket | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let retryAttempt = 0;
  const subscriptions: Array<(s: Socket) => void> = [];
  const delay = opts.reconnectDelay ?? { min: 1_000, max: 30_000 };

  const clearRetry = () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  };

  function retryLater(s: Socket): void {
    clearRetry();
    const wait = Math.min(delay.max, delay.min * 2 ** retryAttempt) * (0.5 + Math.random() / 2);
    retryAttempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (socket === s && !s.connected) s.connect();
    }, wait);
  }

  return {
    connect(auth) {
      this.disconnect();
      const s = io(opts.centerUrl, {
        auth: { token: auth.token, schemaVersion: SCHEMA_VERSION, clientId: auth.clientId },
        transports: ['websocket'],
        reconnection: true,
        reconnectionDelay: delay.min,
        reconnectionDelayMax: delay.max,
        randomizationFactor: 0.5,
        timeout: 10_000,
      });
      socket = s;
      s.on('connect', () => {
        retryAttempt = 0;
        opts.listeners.connected();
      });
      s.on('disconnect', (reason) => {
        opts.listeners.disconnected(reason);
        // A center shutting down disconnects us on purpose, and socket.io then leaves it there.
        if (!s.active && socket === s) retryLater(s);
      });
      s.on('connect_error', (err: Error & { data?: unknown }) => {
        const code = refusalCode(err);
        // socket.io stops retrying when the center's middleware refused us; retry ourselves
        // unless the refusal is one only the agent (sign in) or an update can fix.
        const fatal = code === 'unauthenticated' || code === 'update_required' || code === 'forbidden';
        const willRetry = !fatal;
        opts.listeners.connectFailed(code, err.message, willRetry);
        if (!s.active && willRetry && socket === s) {
          retryLater(s);
        } else if (fatal) {
          s.disconnect();
        }
      });
      for (const subscribe of subscriptions) subscribe(s);
    },
    disconnect() {
      clearRetry();
      if (socket) {
        const s = socket;
        socket = null;
        s.removeAllListeners();
        s.disconnect();
      }
    },
    isConnected() {
      return socket?.connected ?? false;
    },
    async request(event, payload, answer, timeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS) {
      const s = socket;
      if (!s?.connected) throw new CenterRequestError('offline', 'Not connected to the Earshot center.');
      let raw: unknown;
      try {
        raw = await s.timeout(timeoutMs).emitWithAck(event, payload);
      } catch {
        throw new CenterRequestError('timeout', `The Earshot center did not answer ${event} in time.`);
      }
      const ack = ackSchema(answer).safeParse(raw);
      if (!ack.success) throw new CenterRequestError('bad_answer', `The Earshot center's answer to ${event} was not understood.`);
      // Generic narrowing defeats TypeScript here; the schema above has checked this exact shape.
      const result = ack.data as Ack<unknown>;
      if (!result.ok) throw new CenterRequestError(result.error.code, result.error.message);
      return result.value as z.infer<typeof answer>;
    },
    on(event, schema, handler) {
      const subscribe = (s: Socket) =>
        s.on(event, (raw: unknown) => {
          const parsed = schema.safeParse(raw);
          if (parsed.success) handler(parsed.data);
          else opts.onBadPayload?.(event);
        });
      subscriptions.push(subscribe);
      if (socket) subscribe(socket);
    },
  };
}
