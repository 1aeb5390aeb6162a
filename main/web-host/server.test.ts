// The web host over real HTTP and WebSocket on 127.0.0.1: the token gate, the static files and
// the bridge's validation. Services are a recording stand-in: the services are tested on their own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
let base: string;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-webhost-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Earshot</title>');
  writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
  host = await startWebHost({ services, staticDir: dir, port: 0, token });
  base = `http://127.0.0.1:${host.port}`;
});
afterAll(() => host.close());

const cookie = `earshot_token=${token}`;

async function bridge(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers: { cookie } });
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
  it('prints a URL bound to 127.0.0.1 carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${token}`);
  });

  it('answers 401 without the token, for pages and assets', async () => {
    for (const p of ['/', '/app.js', '/index.html']) {
      const res = await fetch(base + p);
      expect(res.status).toBe(401);
    }
    const wrong = await fetch(`${base}/?token=nope`);
    expect(wrong.status).toBe(401);
  });

  it('trades the query token for an HttpOnly SameSite=Strict cookie and serves with it', async () => {
    const res = await fetch(`${base}/?token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await fetch(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>Earshot</title>');
    const asset = await fetch(`${base}/app.js`, { headers: { cookie } });
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('refuses path traversal and foreign Host headers', async () => {
    const res = await fetch(`${base}/..%2f..%2fetc%2fpasswd`, { headers: { cookie } });
    expect([200, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('root:');
    const rebinding = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example:80', cookie } }, (r) => resolve(r.statusCode ?? 0));
        req.end();
      });
    });
    expect(rebinding).toBe(403);
  });

  it('refuses the bridge socket without the cookie', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`);
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
