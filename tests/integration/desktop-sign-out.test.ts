// Nothing left behind on a shared PC (issue 21), against a REAL center (in-process, PGlite on disk,
// socket.io on loopback): signing out revokes the session at the center and forgets it here; changes
// still waiting are said and can be waited for; `wipeOnSignOut` removes the local copy once synced;
// the idle timeout signs out; and a token is never kept in clear, nor restored by another launch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices, type DesktopServices, type DesktopServicesTuning } from '../../main/services/index';
import { createProcessVault, type TokenVault } from '../../main/services/session-vault';
import { loadSettings } from '../../main/services/settings/index';
import type { EventPayload } from '../../shared/api/index';
import { FAST, waitFor } from './desktop-harness';

describe('signing out of the desktop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-sign-out-'));
  const centerDir = join(dir, 'center');
  let center: RunningCenter;
  let port = 0;
  const running = new Set<DesktopServices>();

  async function desktop(name: string, opts: { vault?: TokenVault; tuning?: DesktopServicesTuning; wipe?: boolean } = {}) {
    const dataDir = join(dir, name);
    const settings = await loadSettings({ userDataDir: dataDir });
    if (opts.wipe) settings.update({ wipeOnSignOut: true });
    const d = createDesktopServices({ dataDir, centerUrl: center.url, vault: opts.vault, settings }, { ...FAST, ...opts.tuning });
    const ended: Array<EventPayload<'sessionEnded'>> = [];
    d.on('sessionEnded', (e) => ended.push(e));
    await d.start();
    running.add(d);
    const stop = async () => {
      running.delete(d);
      await d.stop();
    };
    return { d, ended, stop, file: join(dataDir, 'earshot.db') };
  }
  const signIn = (d: DesktopServices, username: string) => d.handlers.signIn({ tenant: 'demo', username, password: 'demo' });
  /** The user's sessions at the center: how many are live. */
  const liveSessions = async (username: string) =>
    (
      await center.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.tenant_id = 'demo' AND u.username = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [username],
      )
    )[0]!.n;
  const local = (file: string, sql: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).get() as Record<string, unknown>;
    } finally {
      db.close();
    }
  };
  async function someCustomer(): Promise<{ id: string; phone: string }> {
    const rows = await center.db.query<{ id: string; phone: string }>(`SELECT customer_id::text AS id, value AS phone FROM customer_identities WHERE kind = 'phone' ORDER BY value LIMIT 1`);
    return rows[0]!;
  }

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', dataDir: centerDir });
    port = center.port;
  });
  afterAll(async () => {
    for (const d of running) await d.stop();
    await center.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('revokes the session at the center, forgets the token here and says so; the next launch asks to sign in', async () => {
    const vault = createProcessVault();
    const a = await desktop('agent1', { vault });
    await signIn(a.d, 'agent1');
    expect(await liveSessions('agent1')).toBe(1);
    // Kept sealed, never in clear.
    expect(String(local(a.file, 'SELECT session_token AS t FROM sync_state').t)).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await a.d.handlers.signOut({ whenChangesWait: 'ask' })).toEqual({ outcome: 'signedOut', pending: 0 });
    expect(a.ended).toEqual([{ reason: 'signedOut' }]);
    expect(await a.d.handlers.getSession()).toMatchObject({ signedIn: false, user: null });
    expect(await liveSessions('agent1')).toBe(0);
    expect(local(a.file, 'SELECT session_token AS t FROM sync_state').t).toBeNull();
    await a.stop();
    const again = await desktop('agent1', { vault });
    expect((await again.d.handlers.getSession()).signedIn).toBe(false);
    await again.stop();
  });

  it('restores a session within one launch (same vault), never in another launch (a new vault)', async () => {
    const vault = createProcessVault();
    const a = await desktop('agent2', { vault });
    await signIn(a.d, 'agent2');
    await a.stop();
    const same = await desktop('agent2', { vault });
    expect(await same.d.handlers.getSession()).toMatchObject({ signedIn: true, user: { username: 'agent2' } });
    await same.stop();
    const relaunched = await desktop('agent2', { vault: createProcessVault() });
    expect((await relaunched.d.handlers.getSession()).signedIn).toBe(false);
    expect(local(relaunched.file, 'SELECT session_token AS t FROM sync_state').t).toBeNull();
    await relaunched.stop();
  });

  it('says when changes are still waiting, and on request waits for them before signing out', async () => {
    const a = await desktop('agent3');
    await signIn(a.d, 'agent3');
    await waitFor('online', async () => (await a.d.handlers.getSyncStatus()).state === 'online');
    const customer = await someCustomer();
    await center.stop();
    await waitFor('offline', async () => (await a.d.handlers.getSyncStatus()).state === 'offline');
    const noteId = randomUUID();
    await a.d.handlers.saveNote({ id: noteId, customerId: customer.id, interactionId: null, text: 'promised a call back' });
    expect(await a.d.handlers.signOut({ whenChangesWait: 'ask' })).toEqual({ outcome: 'changesWaiting', pending: 1 });
    expect((await a.d.handlers.getSession()).signedIn).toBe(true);
    expect(await a.d.handlers.signOut({ whenChangesWait: 'wait' })).toEqual({ outcome: 'waiting', pending: 1 });
    center = await startCenter({ port, demo: true, logLevel: 'silent', dataDir: centerDir });
    await waitFor('signed out once synced', () => a.ended.length > 0, undefined, 60_000);
    expect(a.ended).toEqual([{ reason: 'signedOut' }]);
    expect(await center.db.query('SELECT 1 FROM notes WHERE id = $1', [noteId])).toHaveLength(1);
    await waitFor('revoked at the center', async () => (await liveSessions('agent3')) === 0);
    await a.stop();
  });

  it('with wipeOnSignOut, removes the local copy of customers once everything has synced', async () => {
    const a = await desktop('agent4', { wipe: true });
    await signIn(a.d, 'agent4');
    await waitFor('online', async () => (await a.d.handlers.getSyncStatus()).state === 'online');
    const customer = await someCustomer();
    expect(await a.d.handlers.lookupCaller({ phone: customer.phone })).not.toBeNull();
    await waitFor('customer replicated', () => Number(local(a.file, 'SELECT count(*) AS n FROM customers').n) > 0);
    const clientBefore = local(a.file, 'SELECT client_id AS c FROM sync_state').c;
    expect((await a.d.handlers.signOut({ whenChangesWait: 'ask' })).outcome).toBe('signedOut');
    expect(local(a.file, 'SELECT count(*) AS n FROM customers').n).toBe(0);
    expect(local(a.file, 'SELECT count(*) AS n FROM interactions').n).toBe(0);
    expect(local(a.file, 'SELECT session_user AS u, client_id AS c FROM sync_state')).toEqual({ u: null, c: expect.not.stringMatching(String(clientBefore)) });
    await a.stop();
  });

  it('signs out after the idle timeout, unless the agent keeps using Earshot', async () => {
    const a = await desktop('agent5', { tuning: { idleTimeoutMs: 600, idleCheckMs: 50 } });
    await signIn(a.d, 'agent5');
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await a.d.handlers.reportActivity();
    }
    expect(a.ended).toEqual([]);
    await waitFor('idle sign-out', () => a.ended.length > 0);
    expect(a.ended).toEqual([{ reason: 'idle' }]);
    expect((await a.d.handlers.getSession()).signedIn).toBe(false);
    await waitFor('revoked at the center', async () => (await liveSessions('agent5')) === 0);
    await a.stop();
  });
});
