// Web mode's DesktopApi transport: one WebSocket to the web host's /api, invokes matched to results
// by id, events fanned out to subscribers, reconnection with capped backoff. Messages are parsed
// with BridgeMessage here; results and payloads are held to the contract by contract-check.ts.
// The per-launch token rides as the host's HttpOnly cookie, so this code never sees it.
import { BridgeMessage, type BridgeRequest } from '../shared/api/web-bridge';
import { desktopApiMethods, type ApiResponse, type DesktopApi, type DesktopApiMethod } from '../shared/api/index';
import { describeIssues } from './contract-check';

export interface WebBridgeOptions {
  url: string;
  /** The WebSocket constructor; the browser's by default. */
  WebSocketImpl?: typeof WebSocket;
  /** First reconnect delay; doubles per failed attempt up to maxBackoffMs, with jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called each time the socket opens again after a drop: events may have been missed meanwhile. */
  onReconnect?: () => void;
}

export interface WebBridge extends DesktopApi {
  /** Closes the socket for good: pending invokes fail, no reconnect. */
  close(): void;
}

interface PendingInvoke {
  method: DesktopApiMethod;
  resolve: (response: ApiResponse<unknown>) => void;
}

const disconnected = (method: string): ApiResponse<unknown> => ({
  ok: false,
  error: {
    code: 'disconnected',
    message: `The connection to the Earshot desktop service dropped before it answered ${method}. Nothing was confirmed; it reconnects by itself, then try again.`,
  },
});

/** The bridge socket beside the page: `path` is relative to the page's folder (web mode serves each launch under its own path). */
export function bridgeUrl(location: { protocol: string; host: string; pathname: string }, path = 'api'): string {
  const folder = location.pathname.slice(0, location.pathname.lastIndexOf('/') + 1) || '/';
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${folder}${path}`;
}

export function createWebBridge(options: WebBridgeOptions): WebBridge {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const initialBackoff = options.initialBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  const pending = new Map<number, PendingInvoke>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  /** Requests made while the socket is still opening; sent once it opens. */
  let queued: BridgeRequest[] = [];
  let nextId = 1;
  let failures = 0;
  let everOpened = false;
  let closedForGood = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let socket: WebSocket;

  function failAll(): void {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve(disconnected(p.method));
    }
    queued = [];
  }

  function onMessage(raw: unknown): void {
    let json: unknown;
    try {
      json = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      console.warn('earshot: the desktop service sent a message that is not JSON; ignored');
      return;
    }
    const parsed = BridgeMessage.safeParse(json);
    if (!parsed.success) {
      console.warn(`earshot: ignored a bridge message of unknown shape (${describeIssues(parsed.error)})`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'result') {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      p.resolve(message.response);
      return;
    }
    for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
  }

  function connect(): void {
    socket = new Impl(options.url);
    socket.addEventListener('open', () => {
      failures = 0;
      const toSend = queued;
      queued = [];
      for (const request of toSend) socket.send(JSON.stringify(request));
      if (everOpened) options.onReconnect?.();
      everOpened = true;
    });
    socket.addEventListener('message', (event: MessageEvent) => onMessage(event.data));
    socket.addEventListener('close', () => {
      failAll();
      if (closedForGood) return;
      failures += 1;
      const ceiling = Math.min(maxBackoff, initialBackoff * 2 ** Math.min(failures - 1, 16));
      // Jitter spreads reconnects when the host restarts under many open windows.
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        connect();
      }, delay);
    });
  }

  connect();

  return {
    invoke(method, ...args) {
      return new Promise((resolve) => {
        if (!Object.prototype.hasOwnProperty.call(desktopApiMethods, method) || closedForGood) {
          resolve(disconnected(method) as never);
          return;
        }
        const request: BridgeRequest = { type: 'invoke', id: nextId++, method, args };
        pending.set(request.id, { method, resolve: resolve as (r: ApiResponse<unknown>) => void });
        if (socket.readyState === Impl.OPEN) socket.send(JSON.stringify(request));
        else if (socket.readyState === Impl.CONNECTING) queued.push(request);
        else {
          pending.delete(request.id);
          resolve(disconnected(method) as never);
        }
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    close() {
      closedForGood = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket.close();
      failAll();
    },
  };
}
