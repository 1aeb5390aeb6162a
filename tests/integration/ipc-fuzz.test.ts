// Every DesktopApi method, called with malformed arguments (wrong types, huge strings, missing
// fields, prototype-pollution keys), through the one door both transports share (dispatchApiCall)
// and through the real web host over a real WebSocket — with the REAL desktop services over a real
// SQLite file. Each call must get an error, nothing may crash, and nothing may be written.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openLocalDatabase } from '../../main/db/index';
import { adoptSession } from '../../main/services/session';
import { createProcessVault } from '../../main/services/session-vault';
import { dispatchApiCall } from '../../main/services/api-dispatch';
import { USER_SETTINGS_FILE } from '../../main/services/settings/index';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import { startWebHost, type WebHost } from '../../main/web-host/server';
import { desktopApiMethods, type ApiResponse, type DesktopApiMethod } from '../../shared/api/index';
import { FAST } from './desktop-harness';

const HUGE = 'x'.repeat(1_000_000);
const METHODS = Object.keys(desktopApiMethods) as DesktopApiMethod[];

/** A valid first argument per method: the fuzz cases below break it one way at a time. */
function validArg(method: DesktopApiMethod): Record<string, unknown> | null {
  const customerId = randomUUID();
  switch (method) {
    case 'signIn':
      return { tenant: 'demo', username: 'agent1', password: 'demo' };
    case 'lookupCaller':
      return { phone: '+14155550123' };
    case 'lookupCustomer':
      return { customerId };
    case 'searchCustomers':
      return { query: 'kim' };
    case 'linkCallerToCustomer':
      return { interactionId: randomUUID(), customerId, addPhone: true };
    case 'saveNote':
      return { id: randomUUID(), customerId, interactionId: null, text: 'called about billing' };
    case 'createVocItem':
      return { id: randomUUID(), customerId, interactionId: null, type: 'complaint', topic: 'billing', description: 'charged twice' };
    case 'flushCompleted':
      return { requestId: randomUUID(), saved: 1 };
    case 'setSetting':
      return { key: 'centerUrl', value: 'https://center.corp.example' };
    default:
      return null;
  }
}

/** Malformed argument lists for one method; JSON round-trips keep `__proto__` as an own key, as a wire message would. */
function malformed(method: DesktopApiMethod): Array<[string, unknown]> {
  const cases: Array<[string, unknown]> = [
    ['args not an array', { 0: 'x' }],
    ['args a string', 'getSession'],
    ['args null', null],
    ['args a number', 7],
  ];
  const valid = validArg(method);
  if (!valid) {
    cases.push(['an unexpected argument', [{ a: 1 }]], ['a huge unexpected argument', [HUGE]]);
    return cases;
  }
  cases.push(
    ['no arguments', []],
    ['null argument', [null]],
    ['a string instead of an object', ['x']],
    ['an array instead of an object', [[valid]]],
    ['two arguments', [valid, valid]],
    ['fields smuggled through __proto__', [JSON.parse(`{"__proto__": ${JSON.stringify(valid)}}`)]],
    ['fields smuggled through constructor.prototype', [JSON.parse(JSON.stringify({ constructor: { prototype: valid } }))]],
  );
  if (method === 'setSetting') {
    // Keys that decide what the desktop trusts are IT's alone; values must pass the key's schema.
    cases.push(
      ['a key only IT may set', [{ key: 'caBundlePath', value: '/tmp/attacker-ca.pem' }]],
      ['the update feed', [{ key: 'updateFeedUrl', value: 'https://evil.example/feed' }]],
      ['a key that does not exist', [{ key: '__proto__', value: 'x' }]],
      ['a script URL as the center', [{ key: 'centerUrl', value: 'javascript:alert(1)' }]],
    );
  }
  for (const [key, value] of Object.entries(valid)) {
    const without = { ...valid };
    delete without[key];
    cases.push([`missing ${key}`, [without]]);
    cases.push([`${key} of the wrong type`, [{ ...valid, [key]: typeof value === 'string' ? 12345 : 'not-the-right-type' }]]);
    cases.push([`${key} an object`, [{ ...valid, [key]: { toString: 'x', valueOf: 1 } }]]);
    if (typeof value === 'string') cases.push([`${key} a huge string`, [{ ...valid, [key]: HUGE }]]);
  }
  return cases;
}

describe('DesktopApi fuzz: malformed calls get an error and write nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-ipc-fuzz-'));
  const dataDir = join(dir, 'desktop');
  const staticDir = join(dir, 'renderer');
  let centerUrl = '';
  let services: DesktopServices;
  let host: WebHost;

  function counts() {
    const db = new Database(join(dataDir, 'earshot.db'), { readonly: true });
    try {
      const one = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      // The agent's settings file is written only by a well-formed setSetting.
      const settingsFile = existsSync(join(dataDir, USER_SETTINGS_FILE));
      return { notes: one('notes'), vocItems: one('voc_items'), outbox: one('outbox'), customers: one('customers'), settingsFile };
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    // A center URL on a port nobody listens on: the services run offline, as on a laptop on a train.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    centerUrl = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    // A saved session, so a well-formed write WOULD be stored: the fuzz proves the door, not a missing sign-in.
    mkdirSync(dataDir, { recursive: true });
    const { db } = openLocalDatabase(join(dataDir, 'earshot.db'));
    const vault = createProcessVault();
    adoptSession(db, centerUrl, {
      token: 'fuzz-token',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      user: { id: randomUUID(), tenant: 'demo', username: 'agent1', displayName: 'Agent One', role: 'agent' },
    }, vault);
    db.close();
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Earshot</title>');
    services = createDesktopServices({ dataDir, centerUrl, vault }, FAST);
    await services.start();
    host = await startWebHost({ services, staticDir });
  });

  afterAll(async () => {
    await host?.close();
    await services?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('through dispatchApiCall (the door IPC uses)', async () => {
    const before = counts();
    let calls = 0;
    for (const method of METHODS) {
      for (const [why, args] of malformed(method)) {
        const response = await dispatchApiCall(services.handlers, method, args);
        calls += 1;
        expect(response.ok, `${method}: ${why}`).toBe(false);
        if (!response.ok) {
          expect(response.error.code, `${method}: ${why}`).toBe('bad_request');
          expect(response.error.message.length).toBeLessThan(1000); // the huge value is never echoed
        }
      }
    }
    for (const method of [42, null, '__proto__', 'constructor', 'toString', 'hasOwnProperty', HUGE]) {
      const response = await dispatchApiCall(services.handlers, method, []);
      expect(response).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
    expect(calls).toBeGreaterThan(80);
    expect(counts()).toEqual(before);
    expect(({} as Record<string, unknown>).id).toBeUndefined();
    expect(({} as Record<string, unknown>).text).toBeUndefined();
  });

  it('through the web host over a real WebSocket', async () => {
    const before = counts();
    const ws = new WebSocket(host.bridgeUrl, { headers: { Cookie: host.cookie } });
    const waiting = new Map<number, (r: ApiResponse<unknown>) => void>();
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; id: number; response: ApiResponse<unknown> };
      if (message.type === 'result') waiting.get(message.id)?.(message.response);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let id = 0;
    const call = (payload: object) =>
      new Promise<ApiResponse<unknown>>((resolve) => {
        id += 1;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ ...payload, id }));
      });
    try {
      // Junk that is not a request at all: no answer, and the socket keeps working.
      for (const junk of ['not json', '[]', '{"type":"invoke"}', '{"__proto__":{"id":1}}', JSON.stringify({ type: 'invoke', id: -1, method: 'getSession', args: [] })]) ws.send(junk);
      let calls = 0;
      for (const method of METHODS) {
        for (const [why, args] of malformed(method)) {
          const response = await call({ type: 'invoke', method, args });
          calls += 1;
          expect(response.ok, `${method}: ${why}`).toBe(false);
        }
      }
      expect(await call({ type: 'invoke', method: 'toString', args: [] })).toMatchObject({ ok: false });
      expect(calls).toBeGreaterThan(80);
      // Still alive and still answering well-formed calls.
      expect(await call({ type: 'invoke', method: 'getSession', args: [] })).toMatchObject({ ok: true, value: { signedIn: true } });
    } finally {
      ws.close();
    }
    expect(counts()).toEqual(before);
  });

  it('while a well-formed write through the same door IS stored (so the checks above can fail)', async () => {
    const before = counts();
    const response = await dispatchApiCall(services.handlers, 'saveNote', [validArg('saveNote')]);
    expect(response).toMatchObject({ ok: true, value: { revision: 1, synced: false } });
    expect(counts()).toMatchObject({ notes: before.notes + 1, outbox: before.outbox + 1 });
  });

  it('while a well-formed setSetting through the same door IS saved', async () => {
    expect(counts().settingsFile).toBe(false);
    const response = await dispatchApiCall(services.handlers, 'setSetting', [validArg('setSetting')]);
    expect(response).toMatchObject({ ok: true, value: { settings: { centerUrl: { value: 'https://center.corp.example', source: 'user' } } } });
    expect(counts().settingsFile).toBe(true);
  });
});
