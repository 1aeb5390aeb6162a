// Issue #20: back up the center, write more from two desktops, restore the backup, reconnect:
// nothing the agents wrote is lost and nothing is doubled. The desktops are the real services with
// their SQLite stores; the center is real (PGlite on disk), restarted on the same port, and the
// backup and restore are the command line's.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import { main } from '../../server/src/cli';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { seedDemo } from '../../server/src/demo/seed';
import { smallTenant } from '../../server/src/testing/center-client';
import { FAST, waitFor } from './desktop-harness';

const tenant = smallTenant('demo', 1);
const customer = (n: number) => tenant.customers[n]!.customer.id;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdin: Readable.from([]), stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } });
  return { code, out: out.join(''), err: err.join('') };
}

describe('restoring the center from a backup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-restore-'));
  const centerDir = join(dir, 'center');
  const backup = join(dir, 'center.backup');
  let center: RunningCenter | null = null;
  let port = 0;
  const desktops: DesktopServices[] = [];
  afterAll(async () => {
    for (const d of desktops) await d.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const startAgain = async () => {
    center = await startCenter({ port, logLevel: 'silent', dataDir: centerDir });
  };
  const stop = async () => {
    await center!.stop();
    center = null;
  };
  async function desktopOf(username: string): Promise<DesktopServices> {
    const d = createDesktopServices({ dataDir: join(dir, username), centerUrl: center!.url }, FAST);
    desktops.push(d);
    await d.start();
    await d.handlers.signIn({ tenant: 'demo', username, password: 'demo' });
    return d;
  }
  const synced = (d: DesktopServices, what: string) =>
    waitFor(`${what} synced`, async () => {
      const s = await d.handlers.getSyncStatus();
      return s.state === 'online' && s.pending === 0;
    }, () => d.handlers.getSyncStatus(), 60_000);
  const note = (d: DesktopServices, id: string, customerId: string, text: string) => d.handlers.saveNote({ id, customerId, interactionId: null, text });
  const voc = (d: DesktopServices, customerId: string, topic: string) =>
    d.handlers.createVocItem({ id: randomUUID(), customerId, interactionId: null, type: 'complaint', topic, description: `${topic}, in the agent's words` });

  it('loses nothing the agents wrote after the backup, and doubles nothing', async () => {
    center = await startCenter({ port: 0, logLevel: 'silent', dataDir: centerDir });
    port = center.port;
    await seedDemo(center.db, { data: tenant, now: new Date('2026-11-01T00:00:00Z') });
    const [seeded] = await center.db.query<{ notes: number; voc: number }>('SELECT (SELECT count(*)::int FROM notes) AS notes, (SELECT count(*)::int FROM voc_items) AS voc');
    const kim = await desktopOf('agent1');
    const lee = await desktopOf('agent2');

    // Before the backup.
    const [n1, n2, n3, n4, n5] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await note(kim, n1, customer(0), 'first words');
    await note(lee, n2, customer(1), 'called about a late parcel');
    const v1 = await voc(kim, customer(0), 'billing');
    await Promise.all([synced(kim, 'kim before the backup'), synced(lee, 'lee before the backup')]);

    await stop();
    const backedUp = await cli('backup', backup, '--data-dir', centerDir);
    expect(backedUp, backedUp.err).toMatchObject({ code: 0 });
    await startAgain();

    // After the backup: acknowledged by the center and pulled back, then lost by the restore.
    await note(kim, n1, customer(0), 'first words, and a second thought'); // revision 2
    await note(kim, n3, customer(2), 'wants a call back on Monday');
    const v2 = await voc(kim, customer(2), 'delivery');
    await note(lee, n4, customer(3), 'praised the driver');
    const v3 = await voc(lee, customer(3), 'driver');
    await Promise.all([synced(kim, 'kim after the backup'), synced(lee, 'lee after the backup')]);

    // Offline while the center is restored: still in kim's outbox.
    await stop();
    await note(kim, n5, customer(4), 'typed while the center was down');
    const restored = await cli('restore', backup, '--data-dir', centerDir);
    expect(restored, restored.err).toMatchObject({ code: 0 });
    const newIdentity = /identity is now ([0-9a-f-]{36})/.exec(restored.out)![1]!;
    await startAgain();
    await Promise.all([synced(kim, 'kim after the restore'), synced(lee, 'lee after the restore')]);

    // At the center: every note at its latest revision, every VOC item, each once.
    const db = center!.db;
    const notes = await db.query<{ id: string; text: string; revision: number }>('SELECT id::text AS id, text, revision FROM notes WHERE id = ANY($1::uuid[]) ORDER BY text', [[n1, n2, n3, n4, n5]]);
    expect(notes.map((n) => [n.id, n.revision, n.text])).toEqual(
      [
        [n2, 1, 'called about a late parcel'],
        [n1, 2, 'first words, and a second thought'],
        [n4, 1, 'praised the driver'],
        [n5, 1, 'typed while the center was down'],
        [n3, 1, 'wants a call back on Monday'],
      ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
    );
    const vocItems = await db.query<{ id: string; topic: string; created_by: string }>('SELECT id::text AS id, topic, created_by FROM voc_items WHERE id = ANY($1::uuid[]) ORDER BY topic', [[v1.id, v2.id, v3.id]]);
    expect(vocItems).toEqual([
      { id: v1.id, topic: 'billing', created_by: 'agent1' },
      { id: v2.id, topic: 'delivery', created_by: 'agent1' },
      { id: v3.id, topic: 'driver', created_by: 'agent2' },
    ]);
    const [after] = await db.query<{ notes: number; voc: number; revisions: number }>(
      `SELECT (SELECT count(*)::int FROM notes) AS notes, (SELECT count(*)::int FROM voc_items) AS voc,
              (SELECT count(*)::int FROM note_revisions WHERE note_id = $1::uuid) AS revisions`,
      [n1],
    );
    expect(after).toEqual({ notes: seeded!.notes + 5, voc: seeded!.voc + 3, revisions: 2 });

    // On each desktop: its own writes, all synced, the outbox empty, the new identity known.
    for (const [d, name, own] of [
      [kim, 'agent1', [n1, n3, n5]],
      [lee, 'agent2', [n2, n4]],
    ] as const) {
      expect(await d.handlers.getSyncStatus()).toMatchObject({ state: 'online', pending: 0, rejected: [] });
      const local = new Database(join(dir, name, 'earshot.db'), { readonly: true });
      try {
        // The notes written here (the store also holds the center's older notes on these customers).
        const written = [n1, n2, n3, n4, n5];
        const mine = local
          .prepare(`SELECT id, revision, synced_revision FROM notes WHERE author = ? AND id IN (${written.map(() => '?').join(', ')}) ORDER BY id`)
          .all(name, ...written) as Array<{ id: string; revision: number; synced_revision: number }>;
        expect(mine.map((n) => n.id)).toEqual([...own].sort());
        for (const n of mine) expect(n.synced_revision).toBe(n.revision);
        expect(local.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
        expect(local.prepare('SELECT center_id FROM sync_state').get()).toEqual({ center_id: newIdentity });
      } finally {
        local.close();
      }
    }
  }, 180_000);
});
