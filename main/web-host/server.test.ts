// The web host over real HTTP and WebSocket on 127.0.0.1: the token gate, the static files and
// the bridge's validation. Services are a recording stand-in: the services are tested on their own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DesktopApiEvent, DesktopApiHandlers, EventPayload } from '../../shared/api/index';
import { startWebHost, type WebHost } from './server';

const token = 'test-token-0123456789';
const calls: Array<{ method: string; args: unknown[] }> = [];
const listeners = new Map<string, Set<(p: unknown) => void>>();
const record =
  (method: string, value: unknown) =>
  async (...args: unknown[]) => {
    calls.push({ method, args });
    return value;
  };
const handlers = {
  getSession: record('getSession', { signedIn: false, centerUrl: 'http://127.0.0.1:1', user: null }),
  lookupCaller: record('lookupCaller', null),
} as unknown as DesktopApiHandlers;
const services = {
  handlers,
  on<E extends DesktopApiEvent>(event: E, listener: (p: EventPayload<E>) => void) {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (p: unknown) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (p: unknown) => void);
  },
};

let host: WebHost;
/** The launch's own folder, e.g. http://127.0.0.1:5170/k3x9…/ */
let base: string;
let cookie: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-webhost-'));
beforeAll(async () => {
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Earshot</title>');
  writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
  host = await startWebHost({ services, staticDir: dir, port: 0, token });
  base = host.url.slice(0, host.url.indexOf('?'));
  cookie = host.cookie;
});
afterAll(() => host.close());

async function bridge(): Promise<WebSocket> {
  const ws = new WebSocket(host.bridgeUrl, { headers: { cookie } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}
function nextMessage(ws: WebSocket): Promise<{ type: string; id?: number; response?: { ok: boolean; error?: { code: string; message: string } }; event?: string; payload?: unknown }> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('web host', () => {
  it('prints a URL bound to 127.0.0.1, under a path of its own, carrying the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/[\\w-]{16}/\\?token=${token}$`));
  });

  it('answers 401 without the token, for pages and assets, and 404 outside its own path', async () => {
    for (const p of ['', 'app.js', 'index.html']) {
      const res = await fetch(base + p);
      expect(res.status).toBe(401);
    }
    const wrong = await fetch(`${base}?token=nope`);
    expect(wrong.status).toBe(401);
    const root = `http://127.0.0.1:${host.port}`;
    for (const p of ['/', `/?token=${token}`, '/app.js']) expect((await fetch(root + p, { headers: { cookie } })).status).toBe(404);
  });

  it('trades the query token for an HttpOnly SameSite=Strict cookie named for the launch and bound to its path', async () => {
    const res = await fetch(`${base}?token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(new URL(base).pathname);
    const launchPath = new URL(base).pathname;
    expect(res.headers.get('set-cookie')).toBe(`earshot_token_${launchPath.slice(1, -1)}=${token}; HttpOnly; SameSite=Strict; Path=${launchPath}`);
    const page = await fetch(base, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // The page may open its own bridge and nothing else.
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port};`);
    expect(await page.text()).toContain('<title>Earshot</title>');
    const asset = await fetch(`${base}app.js`, { headers: { cookie } });
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('sends its token to no other server on 127.0.0.1 (in Chromium)', async () => {
    const seen: string[] = [];
    const other = http.createServer((req, res) => {
      seen.push(req.headers.cookie ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(host.url);
      expect(await page.title()).toBe('Earshot');
      expect((await page.context().cookies()).map((c) => c.value)).toEqual([token]);
      const otherPort = (other.address() as AddressInfo).port;
      for (const p of ['/', new URL(base).pathname.replace(/[\w-]{16}/, 'guessed-launch-id')]) await page.goto(`http://127.0.0.1:${otherPort}${p}`);
      expect(seen.length).toBeGreaterThanOrEqual(2); // and the favicon
      for (const c of seen) expect(c).not.toContain(token);
    } finally {
      await browser.close();
      other.close();
    }
  });

  it('refuses path traversal and foreign Host headers', async () => {
    const res = await fetch(`${base}..%2f..%2fetc%2fpasswd`, { headers: { cookie } });
    expect([200, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('root:');
    const rebinding = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: host.port, path: new URL(base).pathname, headers: { host: 'evil.example:80', cookie } }, (r) => resolve(r.statusCode ?? 0));
        req.end();
      });
    });
    expect(rebinding).toBe(403);
  });

  it('refuses the bridge socket without the cookie', async () => {
    const ws = new WebSocket(host.bridgeUrl);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });

  it('dispatches a valid call and validates arguments before any service runs', async () => {
    const ws = await bridge();
    calls.length = 0;
    ws.send(JSON.stringify({ type: 'invoke', id: 1, method: 'lookupCaller', args: [{ phone: '+821012345678' }] }));
    const ok = await nextMessage(ws);
    expect(ok).toMatchObject({ type: 'result', id: 1, response: { ok: true, value: null } });
    expect(calls).toEqual([{ method: 'lookupCaller', args: [{ phone: '+821012345678' }] }]);

    ws.send(JSON.stringify({ type: 'invoke', id: 2, method: 'lookupCaller', args: [{ phone: 42 }] }));
    const bad = await nextMessage(ws);
    expect(bad.response).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    ws.send(JSON.stringify({ type: 'invoke', id: 3, method: '__proto__', args: [] }));
    expect((await nextMessage(ws)).response).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    ws.send('not json at all');
    ws.send(JSON.stringify({ type: 'invoke', id: 4, method: 'getSession', args: [] }));
    expect((await nextMessage(ws)).response).toMatchObject({ ok: true, value: { signedIn: false } });
    expect(calls.map((c) => c.method)).toEqual(['lookupCaller', 'getSession']);
    ws.close();
  });

  it('forwards desktop events to the page', async () => {
    const ws = await bridge();
    const message = nextMessage(ws);
    const payload = { id: '0192f3a0-0000-7000-8000-000000000001', revision: 2 };
    for (const l of listeners.get('noteSynced') ?? []) l(payload);
    expect(await message).toEqual({ type: 'event', event: 'noteSynced', payload });
    ws.close();
  });
});
