// Web mode's bridge against a real WebSocket server on 127.0.0.1: invokes matched by id, results and
// events held to the contract, pending invokes failed clearly when the socket drops, reconnection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocketClient, { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { DesktopApi } from '../shared/api/index';
import { BridgeRequest } from '../shared/api/web-bridge';
import { withContractCheck } from './contract-check';
import { bridgeUrl, createWebBridge, type WebBridge } from './web-bridge-client';

const SESSION = { signedIn: false, centerUrl: 'http://127.0.0.1:7300', user: null };
const SYNC = { state: 'offline', pending: 2, lastSyncAt: null, lastError: null, rejected: [] };

let server: WebSocketServer;
let sockets: ServerSocket[];
let requests: BridgeRequest[];
/** How the fake host answers each request; returning undefined leaves it unanswered. */
let answer: (req: BridgeRequest) => unknown;
let bridge: WebBridge | null;
let reconnects: number;

beforeEach(async () => {
  sockets = [];
  requests = [];
  bridge = null;
  reconnects = 0;
  answer = (req) => ({ type: 'result', id: req.id, response: { ok: true, value: SESSION } });
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const req = BridgeRequest.parse(JSON.parse(String(data)));
      requests.push(req);
      const reply = answer(req);
      if (reply !== undefined) socket.send(typeof reply === 'string' ? reply : JSON.stringify(reply));
    });
  });
});

afterEach(async () => {
  bridge?.close();
  for (const s of sockets) s.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function connect(): DesktopApi {
  const { port } = server.address() as { port: number };
  bridge = createWebBridge({
    url: `ws://127.0.0.1:${port}/api`,
    // The `ws` client stands in for the browser's WebSocket: same API, and it runs under jsdom.
    WebSocketImpl: WebSocketClient as unknown as typeof WebSocket,
    initialBackoffMs: 20,
    maxBackoffMs: 50,
    onReconnect: () => reconnects++,
  });
  return withContractCheck(bridge);
}

const nextEvent = <T>(api: DesktopApi, subscribe: (api: DesktopApi, resolve: (v: T) => void) => void) =>
  new Promise<T>((resolve) => subscribe(api, resolve));

describe('web bridge', () => {
  it('builds the bridge address from the page location', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:5170', pathname: '/k3x9/' }, 'api')).toBe('ws://127.0.0.1:5170/k3x9/api');
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:5170', pathname: '/k3x9/index.html' }, 'api')).toBe('ws://127.0.0.1:5170/k3x9/api');
    expect(bridgeUrl({ protocol: 'https:', host: 'earshot.local', pathname: '/' }, 'api')).toBe('wss://earshot.local/api');
  });

  it('sends invokes as BridgeRequests (queued while connecting) and resolves them by id', async () => {
    answer = (req) =>
      req.method === 'getSyncStatus'
        ? { type: 'result', id: req.id, response: { ok: true, value: SYNC } }
        : { type: 'result', id: req.id, response: { ok: true, value: SESSION } };
    const api = connect();
    const [session, sync] = await Promise.all([api.invoke('getSession'), api.invoke('getSyncStatus')]);
    expect(session).toEqual({ ok: true, value: SESSION });
    expect(sync).toEqual({ ok: true, value: SYNC });
    expect(requests.map((r) => [r.method, r.args])).toEqual([
      ['getSession', []],
      ['getSyncStatus', []],
    ]);
    expect(new Set(requests.map((r) => r.id)).size).toBe(2);
  });

  it('passes errors through and turns a result that breaks the contract into a clear error', async () => {
    answer = (req) =>
      req.method === 'signIn'
        ? { type: 'result', id: req.id, response: { ok: false, error: { code: 'unauthenticated', message: 'Wrong password.' } } }
        : { type: 'result', id: req.id, response: { ok: true, value: { signedIn: 'yes' } } };
    const api = connect();
    expect(await api.invoke('signIn', { tenant: 'demo', username: 'agent1', password: 'x' })).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'Wrong password.' },
    });
    const bad = await api.invoke('getSession');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('bad_response');
      expect(bad.error.message).toMatch(/getSession.*signedIn/);
    }
  });

  it('delivers contract-valid events to subscribers and drops the rest', async () => {
    const api = connect();
    await api.invoke('getSession');
    const received: unknown[] = [];
    const off = api.on('syncStatus', (s) => received.push(s));
    const synced = nextEvent<unknown>(api, (a, resolve) => a.on('noteSynced', resolve));
    const socket = sockets[0]!;
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'surprise' }));
    socket.send(JSON.stringify({ type: 'event', event: 'syncStatus', payload: { state: 'sideways' } }));
    socket.send(JSON.stringify({ type: 'event', event: 'syncStatus', payload: SYNC }));
    socket.send(JSON.stringify({ type: 'event', event: 'noteSynced', payload: { id: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b', revision: 2 } }));
    expect(await synced).toEqual({ id: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b', revision: 2 });
    // Messages on one socket arrive in order: the syncStatus events were handled before noteSynced.
    expect(received).toEqual([SYNC]);
    off();
  });

  it('fails pending invokes when the socket drops, then reconnects and works again', async () => {
    const api = connect();
    await api.invoke('getSession');
    answer = () => undefined;
    const pending = api.invoke('getSyncStatus');
    await waitUntil(() => requests.length === 2);
    sockets[0]!.terminate();
    const dropped = await pending;
    expect(dropped.ok).toBe(false);
    if (!dropped.ok) {
      expect(dropped.error.code).toBe('disconnected');
      expect(dropped.error.message).toMatch(/dropped before it answered getSyncStatus/);
    }

    answer = (req) => ({ type: 'result', id: req.id, response: { ok: true, value: SYNC } });
    await waitUntil(() => sockets.length === 2);
    expect(await retryUntilOk(() => api.invoke('getSyncStatus'))).toEqual({ ok: true, value: SYNC });
    // The app is told, so it can re-read what events it may have missed while disconnected.
    expect(reconnects).toBe(1);
  });
});

/** Polls a condition a bounded number of times (the reconnect happens on its own timer). */
async function waitUntil(condition: () => boolean, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met');
}

async function retryUntilOk<T extends { ok: boolean }>(call: () => Promise<T>, attempts = 50): Promise<T> {
  let last = await call();
  for (let i = 0; i < attempts && !last.ok; i++) {
    await new Promise((r) => setTimeout(r, 10));
    last = await call();
  }
  return last;
}
