// Flush on close through the real parts: the desktop services (real SQLite), the real web host and
// a WebSocket client playing the renderer. requestFlush() → `flushRequested` on the bridge → the
// renderer saves and answers `flushCompleted` → the wait ends with the note in SQLite. A renderer
// that never answers cannot hold the desktop past the bound.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openLocalDatabase } from '../../main/db/index';
import { adoptSession } from '../../main/services/session';
import { createProcessVault } from '../../main/services/session-vault';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import { startWebHost, type WebHost } from '../../main/web-host/server';
import { FAST } from './desktop-harness';

describe('flush on close over the real bridge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-flush-'));
  const dataDir = join(dir, 'desktop');
  let services: DesktopServices;
  let host: WebHost;

  const vault = createProcessVault();
  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
    const { db } = openLocalDatabase(join(dataDir, 'earshot.db'));
    // Signed in (offline: nobody listens on port 9), so a note can be saved under the agent's name.
    adoptSession(db, 'http://127.0.0.1:9', {
      token: 'flush-token',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      user: { id: randomUUID(), tenant: 'demo', username: 'agent1', displayName: 'Agent One', role: 'agent' },
    }, vault);
    db.close();
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Earshot</title>');
    services = createDesktopServices({ dataDir, centerUrl: 'http://127.0.0.1:9', vault }, FAST);
    await services.start();
    host = await startWebHost({ services, staticDir: join(dir, 'renderer') });
  });

  afterAll(async () => {
    await host?.close();
    await services?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A renderer on the bridge; `onFlush` decides what it does when asked. */
  async function renderer(onFlush: (requestId: string, invoke: (method: string, args: unknown[]) => Promise<unknown>) => void) {
    const ws = new WebSocket(host.bridgeUrl, { headers: { Cookie: host.cookie } });
    const waiting = new Map<number, (r: unknown) => void>();
    let id = 0;
    const invoke = (method: string, args: unknown[]) =>
      new Promise<unknown>((resolve) => {
        id += 1;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id, method, args }));
      });
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; id?: number; response?: unknown; event?: string; payload?: { requestId: string } };
      if (m.type === 'result') waiting.get(m.id!)?.(m.response);
      if (m.type === 'event' && m.event === 'flushRequested') onFlush(m.payload!.requestId, invoke);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return ws;
  }

  const notesWith = (text: string) => {
    const db = new Database(join(dataDir, 'earshot.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM notes WHERE text = ?').get(text) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('waits for the renderer to save the held-back note, then goes on', async () => {
    const text = 'held back by the debounce when the window closed';
    const ws = await renderer((requestId, invoke) => {
      void invoke('saveNote', [{ id: randomUUID(), customerId: randomUUID(), interactionId: null, text }]).then(() =>
        invoke('flushCompleted', [{ requestId, saved: 1 }]),
      );
    });
    try {
      const outcome = await services.requestFlush(20_000);
      expect(outcome).toEqual({ outcome: 'flushed', saved: 1 });
      expect(notesWith(text)).toBe(1); // in SQLite before the desktop went on
    } finally {
      ws.close();
    }
  });

  it('goes on at the bound when the renderer does not answer', async () => {
    let asked = 0;
    const ws = await renderer(() => void (asked += 1));
    try {
      expect(await services.requestFlush(200)).toEqual({ outcome: 'timeout' });
      expect(asked).toBe(1);
    } finally {
      ws.close();
    }
  });
});
