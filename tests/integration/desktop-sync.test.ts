// The desktop's services against a REAL center (in-process, PGlite on disk, socket.io on loopback):
// offline notes arrive exactly once, a poisoned mutation does not block the rest, screen pop works
// from the local cache first and then from the center.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import { createProcessVault } from '../../main/services/session-vault';
import { countOutbox, listOutbox, openLocalDatabase } from '../../main/db/index';
import type { EventPayload } from '../../shared/api/index';
import { FAST, waitFor } from './desktop-harness';

describe('desktop sync against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-sync-'));
  const centerDir = join(dir, 'center');
  let center: RunningCenter;
  let port = 0;
  const desktops: DesktopServices[] = [];
  // One launch of the desktop process: a session sealed by one instance opens in the next.
  const vault = createProcessVault();

  async function newDesktop(name: string): Promise<DesktopServices> {
    const d = createDesktopServices({ dataDir: join(dir, name), centerUrl: center.url, vault }, FAST);
    desktops.push(d);
    await d.start();
    return d;
  }

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', dataDir: centerDir });
    port = center.port;
  });
  afterAll(async () => {
    for (const d of desktops) await d.stop();
    await center.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function someCustomer(offset = 0): Promise<{ id: string; phone: string }> {
    const rows = await center.db.query<{ id: string; phone: string }>(
      `SELECT customer_id::text AS id, value AS phone FROM customer_identities WHERE kind = 'phone' ORDER BY value OFFSET $1 LIMIT 1`,
      [offset],
    );
    return rows[0]!;
  }

  it('signs in, then delivers notes written offline exactly once; a poisoned mutation does not block them', async () => {
    const desktop = await newDesktop('agent1');
    expect((await desktop.handlers.getSession()).signedIn).toBe(false);
    const session = await desktop.handlers.signIn({ tenant: 'demo', username: 'agent1', password: 'demo' });
    expect(session).toMatchObject({ signedIn: true, user: { username: 'agent1', role: 'agent' } });
    await waitFor('online', async () => (await desktop.handlers.getSyncStatus()).state === 'online');

    const customer = await someCustomer();
    const synced: Array<EventPayload<'noteSynced'>> = [];
    desktop.on('noteSynced', (e) => synced.push(e));

    // The center goes away: the agent keeps working.
    await center.stop();
    await waitFor('offline', async () => (await desktop.handlers.getSyncStatus()).state === 'offline');
    const notes = Array.from({ length: 4 }, () => randomUUID());
    const save = (id: string, text: string) => desktop.handlers.saveNote({ id, customerId: customer.id, interactionId: null, text });
    expect(await save(notes[0]!, 'first draft')).toMatchObject({ revision: 1, synced: false });
    // A VOC item for a customer the center has never heard of: it can never be applied.
    const poison = await desktop.handlers.createVocItem({
      id: randomUUID(),
      customerId: randomUUID(),
      interactionId: null,
      type: 'complaint',
      topic: 'billing',
      description: 'charged twice',
    });
    expect(await save(notes[0]!, 'first draft, revised')).toMatchObject({ revision: 2 });
    for (const [i, id] of notes.slice(1).entries()) await save(id, `offline note ${i + 1}`);
    expect(await desktop.handlers.getSyncStatus()).toMatchObject({ state: 'offline', pending: 6 });

    // The center comes back on the same address and database; the desktop reconnects by itself.
    center = await startCenter({ port, demo: true, logLevel: 'silent', dataDir: centerDir });
    const status = await waitFor('drained', async () => {
      const s = await desktop.handlers.getSyncStatus();
      return s.state === 'online' && s.pending === 0 && s.rejected.length === 1 ? s : undefined;
    }, () => desktop.handlers.getSyncStatus());
    expect(status.rejected[0]).toMatchObject({ mutationId: expect.any(String), name: 'voc.create' });
    expect(status.lastError).toBeNull();

    const atCenter = await center.db.query<{ id: string; revision: number; text: string }>(
      `SELECT id::text AS id, revision, text FROM notes WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [notes],
    );
    expect(atCenter).toHaveLength(notes.length);
    expect(atCenter.find((n) => n.id === notes[0])).toMatchObject({ revision: 2, text: 'first draft, revised' });
    const revisions = await center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM note_revisions WHERE note_id = ANY($1::uuid[])`, [notes]);
    expect(revisions[0]!.n).toBe(5);
    const vocAtCenter = await center.db.query(`SELECT id FROM voc_items WHERE id = $1`, [poison.id]);
    expect(vocAtCenter).toEqual([]);
    await waitFor('noteSynced for every revision', () => synced.length >= 5);
    expect(synced).toContainEqual({ id: notes[0], revision: 2 });

    // The outbox drains completely once the pull has passed the acknowledged version.
    await desktop.stop();
    const { db } = openLocalDatabase(join(dir, 'agent1', 'earshot.db'));
    try {
      expect(listOutbox(db).map((e) => e.name)).toEqual([]);
      expect(countOutbox(db)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('tells the agent when the center ends the session, keeps what they write, and syncs it after signing in again', async () => {
    const desktop = await newDesktop('agent2');
    await desktop.handlers.signIn({ tenant: 'demo', username: 'agent2', password: 'demo' });
    await waitFor('online', async () => (await desktop.handlers.getSyncStatus()).state === 'online');
    const endedEvents: Array<EventPayload<'sessionEnded'>> = [];
    desktop.on('sessionEnded', (e) => endedEvents.push(e));
    // An administrator signs agent2 out everywhere (as a password reset does): the center hangs up.
    await center.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE tenant_id = 'demo' AND username = 'agent2')`);
    const ended = await waitFor('told', async () => {
      const s = await desktop.handlers.getSyncStatus();
      return s.state === 'offline' && s.lastError ? s : undefined;
    }, () => desktop.handlers.getSyncStatus());
    expect(ended.lastError).toMatch(/session at the Earshot center has ended\. Sign in again/);
    await waitFor('signed out', async () => !(await desktop.handlers.getSession()).signedIn);
    expect(endedEvents).toEqual([{ reason: 'center' }]); // the window goes back to the sign-in form
    const id = randomUUID();
    await desktop.handlers.saveNote({ id, customerId: (await someCustomer(2)).id, interactionId: null, text: 'written while signed out' });
    expect((await desktop.handlers.getSyncStatus()).pending).toBe(1);
    await desktop.handlers.signIn({ tenant: 'demo', username: 'agent2', password: 'demo' });
    const back = await waitFor('synced', async () => {
      const s = await desktop.handlers.getSyncStatus();
      return s.state === 'online' && s.pending === 0 ? s : undefined;
    }, () => desktop.handlers.getSyncStatus());
    expect(back.lastError).toBeNull();
    expect(await center.db.query(`SELECT author FROM notes WHERE id = $1`, [id])).toEqual([{ author: 'agent2' }]);
  });

  it('restores the session after a restart and pushes nothing twice', async () => {
    const desktop = await newDesktop('agent1');
    expect((await desktop.handlers.getSession()).signedIn).toBe(true);
    await waitFor('online', async () => (await desktop.handlers.getSyncStatus()).state === 'online');
    const customer = await someCustomer(1);
    const id = randomUUID();
    await desktop.handlers.saveNote({ id, customerId: customer.id, interactionId: null, text: 'after restart' });
    await waitFor('synced', async () => (await desktop.handlers.getSyncStatus()).pending === 0);
    const rows = await center.db.query(`SELECT id FROM notes WHERE id = $1`, [id]);
    expect(rows).toHaveLength(1);
    await desktop.stop();
  });
});
