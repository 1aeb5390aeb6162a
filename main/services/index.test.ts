import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openLocalDatabase } from '../db/index';
import { DesktopApiError } from './api-dispatch';
import { createDesktopServices, type DesktopServices } from './index';
import { adoptSession } from './session';
import { createProcessVault } from './session-vault';

// Nothing listens on port 1 of the loopback: the center is unreachable for these tests.
const NO_CENTER = 'http://127.0.0.1:1';
const user = { id: randomUUID(), tenant: 'demo', username: 'agent1', displayName: 'Agent 1', role: 'agent' as const };
const vault = createProcessVault();

describe('desktop services without a center', () => {
  let dir = '';
  let services: DesktopServices | null = null;
  afterEach(async () => {
    await services?.stop();
    services = null;
    rmSync(dir, { recursive: true, force: true });
  });

  function seedSession(expiresAt: string): void {
    const { db } = openLocalDatabase(join(dir, 'earshot.db'));
    adoptSession(db, NO_CENTER, { token: 'tok', expiresAt, user }, vault);
    db.close();
  }
  const note = (id = randomUUID()) => ({ id, customerId: randomUUID(), interactionId: null, text: 'called about a refund' });

  it('refuses calls before start with a message saying to wait', async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-svc-'));
    services = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER, vault });
    await expect(services.handlers.getSyncStatus()).rejects.toMatchObject({ code: 'not_ready' });
  });

  it('says the center cannot be reached when signing in, and refuses notes with no agent known', async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-svc-'));
    services = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER, vault });
    await services.start();
    expect(await services.handlers.getSession()).toEqual({ signedIn: false, centerUrl: NO_CENTER, user: null });
    const err = await services.handlers.signIn({ tenant: 'demo', username: 'agent1', password: 'demo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DesktopApiError);
    expect(err).toMatchObject({ code: 'unreachable', message: expect.stringContaining(NO_CENTER) });
    await expect(services.handlers.saveNote(note())).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('restores a saved session and keeps offline notes across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-svc-'));
    seedSession('2999-01-01T00:00:00.000Z');
    services = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER, vault });
    await services.start();
    expect(await services.handlers.getSession()).toMatchObject({ signedIn: true, user: { username: 'agent1' } });
    const id = randomUUID();
    expect(await services.handlers.saveNote(note(id))).toMatchObject({ id, revision: 1, synced: false });
    expect(await services.handlers.saveNote(note(id))).toMatchObject({ id, revision: 2, synced: false });
    expect(await services.handlers.getSyncStatus()).toMatchObject({ state: 'offline', pending: 2 });
    await services.stop();
    services = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER, vault });
    await services.start();
    expect(await services.handlers.getSyncStatus()).toMatchObject({ state: 'offline', pending: 2 });
  });

  it('lets the last agent keep writing offline after their session expired, but shows them signed out', async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-svc-'));
    seedSession('2000-01-01T00:00:00.000Z');
    services = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER, vault });
    await services.start();
    expect((await services.handlers.getSession()).signedIn).toBe(false);
    expect(await services.handlers.saveNote(note())).toMatchObject({ revision: 1 });
  });

  it('tells the agent when the local database was damaged and set aside', async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-svc-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'earshot.db'), Buffer.alloc(8192, 0x42));
    services = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER, vault });
    const seen: string[] = [];
    services.on('syncStatus', (s) => seen.push(s.lastError ?? ''));
    await services.start();
    const status = await services.handlers.getSyncStatus();
    expect(status.lastError).toMatch(/damaged and has been set aside/);
    expect(seen.some((m) => /damaged/.test(m))).toBe(true);
  });

  it('refuses a second desktop on the same data directory, naming the first and its address, until the first stops', async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-svc-'));
    services = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER });
    await services.start();
    services.announce({ url: 'http://127.0.0.1:4000/?token=t' });
    const second = createDesktopServices({ dataDir: dir, centerUrl: NO_CENTER });
    await expect(second.start()).rejects.toThrow(
      new RegExp(`data \\(${dir}\\) is in use by process ${process.pid} \\(earshot-desktop\\) on this computer since .*, at http://127\\.0\\.0\\.1:4000/\\?token=t\\. Use that Earshot, or close it first\\.`),
    );
    await services.stop();
    services = second;
    await services.start();
    expect(await services.handlers.getSession()).toMatchObject({ signedIn: false });
  });
});
