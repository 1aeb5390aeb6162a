// TCP client for the Asterisk Manager Interface: logs in, correlates actions with their responses by
// ActionID, emits events, and reconnects with capped exponential backoff and jitter when the link drops.
import { EventEmitter } from 'node:events';
import { Socket, createConnection } from 'node:net';
import pino from 'pino';
import { AmiParser, amiField, type AmiMessage } from './ami-parser';

export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** How long an action may wait for its response. Default 10 s. */
  actionTimeoutMs?: number;
  /** Reconnect delay: `initialMs × 2^attempt`, capped at `maxMs`, then jittered to 50–100 %. */
  reconnect?: { initialMs: number; maxMs: number };
  random?: () => number;
  logger?: { info(fields: object, msg: string): void; warn(fields: object, msg: string): void };
}

/** The response to an action; for list actions (`EventList: start`) also the events of the list. */
export interface AmiActionResult {
  response: AmiMessage;
  events: AmiMessage[];
}

export class AmiActionError extends Error {
  override name = 'AmiActionError';
  constructor(
    message: string,
    readonly response?: AmiMessage,
  ) {
    super(message);
  }
}

interface PendingAction {
  action: string;
  resolve(result: AmiActionResult): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
  response?: AmiMessage;
  events: AmiMessage[];
}

export interface AmiClientEvents {
  /** Logged in and ready for actions; the banner's version. */
  connected: [version: string];
  disconnected: [reason: string];
  event: [message: AmiMessage];
}

const FIELD_SAFE = /^[^\r\n]*$/;

export class AmiClient extends EventEmitter<AmiClientEvents> {
  private socket: Socket | null = null;
  private parser = new AmiParser();
  private pending = new Map<string, PendingAction>();
  private nextId = 1;
  private loggedIn = false;
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly log: NonNullable<AmiClientOptions['logger']>;
  private readonly random: () => number;
  /** Counts for health pages and tests: connections made, logins refused, reconnect delays chosen. */
  readonly stats = { connections: 0, loginFailures: 0, reconnectDelaysMs: [] as number[] };

  constructor(private readonly opts: AmiClientOptions) {
    super();
    this.log = opts.logger ?? pino({ name: 'ami-client' });
    this.random = opts.random ?? Math.random;
  }

  get connected(): boolean {
    return this.loggedIn;
  }

  /** Connects and keeps the link up until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Logs off politely when logged in, then closes and stops reconnecting. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    if (socket && this.loggedIn) {
      await this.sendNow('Logoff', {}, Math.min(this.opts.actionTimeoutMs ?? 10_000, 2_000)).catch(() => undefined);
    }
    this.failPending('The AMI client was stopped before Asterisk answered.');
    if (socket) {
      await new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 1_000).unref();
      });
    }
  }

  /** Sends an action and resolves with its response (and list events); rejects on `Response: Error` or timeout. */
  send(action: string, fields: Record<string, string> = {}): Promise<AmiActionResult> {
    if (!this.loggedIn) {
      return Promise.reject(new AmiActionError(`AMI action ${action} was not sent: not connected to Asterisk. Try again once the link is up.`));
    }
    return this.sendNow(action, fields, this.opts.actionTimeoutMs ?? 10_000);
  }

  private sendNow(action: string, fields: Record<string, string>, timeoutMs: number): Promise<AmiActionResult> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new AmiActionError(`AMI action ${action} was not sent: no connection.`));
    for (const [key, value] of Object.entries(fields)) {
      // A CR or LF in a value would let it end the action early and smuggle in another one.
      if (!FIELD_SAFE.test(key) || !FIELD_SAFE.test(value)) {
        return Promise.reject(new AmiActionError(`AMI action ${action} refused: field ${key} contains a line break.`));
      }
    }
    const actionId = `earshot-${this.nextId++}`;
    const lines = [`Action: ${action}`, `ActionID: ${actionId}`, ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`)];
    return new Promise<AmiActionResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(actionId);
        reject(new AmiActionError(`Asterisk did not answer AMI action ${action} within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(actionId, { action, resolve, reject, timer, events: [] });
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  }

  private connect(): void {
    this.parser = new AmiParser();
    this.stats.connections += 1;
    const socket = createConnection({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    // Something that accepts TCP but never greets like Asterisk must not hold the link for ever.
    const bannerTimer = setTimeout(() => {
      this.log.warn({ port: this.opts.port }, 'No AMI banner from the peer: is this the Asterisk manager port? Reconnecting with backoff.');
      socket.destroy();
    }, this.opts.actionTimeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.parser.push(chunk)) {
        if (frame.kind === 'banner') {
          clearTimeout(bannerTimer);
          this.login(frame.version);
        } else this.onMessage(frame.message);
      }
    });
    socket.once('close', () => clearTimeout(bannerTimer));
    socket.on('error', (err) => {
      this.log.warn({ code: (err as NodeJS.ErrnoException).code ?? err.name }, 'AMI connection error');
    });
    socket.on('close', () => this.onClose(socket));
  }

  private login(version: string): void {
    this.sendNow('Login', { Username: this.opts.username, Secret: this.opts.secret, Events: 'on' }, this.opts.actionTimeoutMs ?? 10_000).then(
      () => {
        this.loggedIn = true;
        this.attempt = 0;
        this.log.info({ version }, 'Logged in to Asterisk AMI');
        this.emit('connected', version);
      },
      (err: Error) => {
        this.stats.loginFailures += 1;
        this.log.warn({ reason: err.message }, 'Asterisk refused the AMI login: check the AMI username and secret in the center configuration. Retrying with backoff.');
        this.socket?.destroy();
      },
    );
  }

  private onMessage(message: AmiMessage): void {
    const actionId = amiField(message, 'ActionID');
    const pending = actionId ? this.pending.get(actionId) : undefined;
    const isEvent = amiField(message, 'Event') !== undefined;
    if (pending && actionId) {
      if (!isEvent) {
        pending.response = message;
        const kind = amiField(message, 'Response')?.toLowerCase();
        if (kind === 'error') {
          this.settle(actionId, new AmiActionError(`Asterisk refused AMI action ${pending.action}: ${amiField(message, 'Message') ?? 'no reason given'}.`, message));
        } else if (amiField(message, 'EventList')?.toLowerCase() !== 'start') {
          this.settle(actionId);
        }
        return;
      }
      if (pending.response) {
        // An event belonging to a list action: collected, not broadcast.
        if (amiField(message, 'EventList')?.toLowerCase() === 'complete') this.settle(actionId);
        else pending.events.push(message);
        return;
      }
    }
    if (isEvent) this.emit('event', message);
  }

  private settle(actionId: string, error?: Error): void {
    const pending = this.pending.get(actionId);
    if (!pending) return;
    this.pending.delete(actionId);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else if (pending.response) pending.resolve({ response: pending.response, events: pending.events });
  }

  private failPending(reason: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new AmiActionError(`AMI action ${pending.action} failed: ${reason}`));
      this.pending.delete(id);
    }
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    const wasLoggedIn = this.loggedIn;
    this.loggedIn = false;
    this.socket = null;
    this.parser.reset();
    this.failPending('the connection to Asterisk closed before it answered. The action may or may not have run.');
    if (wasLoggedIn) this.emit('disconnected', 'connection closed');
    if (this.stopped) return;
    const { initialMs, maxMs } = this.opts.reconnect ?? { initialMs: 500, maxMs: 30_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt, 30));
    const delay = Math.round(ceiling * (0.5 + 0.5 * this.random()));
    this.attempt += 1;
    this.stats.reconnectDelaysMs.push(delay);
    if (this.stats.reconnectDelaysMs.length > 100) this.stats.reconnectDelaysMs.shift();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
