// `earshot-center backup` and `restore` on an embedded center (a PGlite directory) and on PostgreSQL:
// a restore brings back exactly what the backup held, under a new identity, refuses while a center
// uses the database, and a restore that fails leaves the database as it was.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { EVENTS, IDENTITY_SCHEMA_VERSION, PullResponse, SCHEMA_VERSION } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { openDb } from '../db/open';
import { readCenterIdentity } from '../db/identity';
import { desktop, ok, smallTenant, startTestCenter, type TestCenter } from '../testing/center-client';
import { runCli } from '../testing/cli';

const tenant = smallTenant('demo', 1);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'earshot-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

forEachDriver('center backup and restore', ({ driver, freshDatabase }) => {
  let target: { dataDir?: string; databaseUrl?: string } = {};
  const file = path.join(scratch, `${driver}-${randomUUID()}.backup`);

  /** The command line on this driver's database (DATABASE_URL for PostgreSQL, --data-dir for PGlite). */
  const cli = (...args: string[]) => runCli(target, args);


  async function writeNotes(t: TestCenter, n: number, from: number): Promise<string[]> {
    const agent = await desktop(t.center.url, 'demo', 'agent1');
    try {
      const ids = Array.from({ length: n }, () => randomUUID());
      const r = ok(
        await agent.call<{ lastSeq: number }>(EVENTS.push, {
          schemaVersion: SCHEMA_VERSION,
          clientId: agent.clientId,
          mutations: agent.mutations(
            1,
            ids.map((id, i) => ({ name: 'note.save', args: { id, customerId: tenant.customers[from + i]!.customer.id, interactionId: null, text: `note ${from + i}`, revision: 1 } })),
          ),
        }),
      );
      expect(r.lastSeq).toBe(n);
      return ids;
    } finally {
      agent.close();
    }
  }

  async function notesAmong(ids: string[]): Promise<string[]> {
    const db = await openDb(target);
    try {
      return (await db.query<{ id: string }>('SELECT id::text AS id FROM notes WHERE id = ANY($1::uuid[]) ORDER BY id', [ids])).map((r) => r.id);
    } finally {
      await db.close();
    }
  }

  it('restores exactly what the backup held, under a new identity, and refuses while a center uses the database', async () => {
    target = driver === 'pg' ? await freshDatabase() : { dataDir: path.join(mkdtempSync(path.join(scratch, 'dir-')), 'center') };
    let center = await startTestCenter(target, [tenant]);
    const before = await writeNotes(center, 3, 0);
    if (driver === 'pglite') await center.stop(); // an embedded center's directory is backed up stopped

    const backup = await cli('backup', file);
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    const backedUp = /Backed up the center \(identity ([0-9a-f-]{36})\) to (\S+) \((\d+) bytes\)/.exec(backup.out);
    expect(backedUp?.[2]).toBe(file);
    const oldIdentity = backedUp![1]!;
    if (driver === 'pglite') {
      expect((await cli('backup', file)).code).toBe(0); // a directory that is not in use may be backed up again
      center = await startTestCenter(target, [tenant]);
    }
    const after = await writeNotes(center, 2, 10);

    // While a center uses the database, restore refuses and changes nothing.
    const refused = await cli('restore', file);
    expect(refused.code).toBe(1);
    expect(`${refused.out}${refused.err}`).toMatch(driver === 'pg' ? /A center is using this database \(earshot-center .*Stop every center node/ : /is in use by process \d+ \(earshot-center\)/);
    await center.stop();
    expect(await notesAmong([...before, ...after])).toEqual([...before, ...after].sort());

    const restored = await cli('restore', file);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.out).toContain(`(the backup's was ${oldIdentity})`);
    expect(await notesAmong([...before, ...after])).toEqual([...before].sort());
    const db = await openDb(target);
    try {
      const identity = await readCenterIdentity(db);
      expect(identity).toMatchObject({ restored: true });
      expect(identity.id).not.toBe(oldIdentity);
      expect(restored.out).toContain(`identity is now ${identity.id}`);
    } finally {
      await db.close();
    }
    if (driver === 'pglite') {
      // The database it replaced is kept beside it, with the notes written after the backup.
      const parent = path.dirname(target.dataDir!);
      const replaced = readdirSync(parent).filter((f) => f.startsWith('center.replaced-'));
      expect(replaced).toHaveLength(1);
      expect(restored.out).toContain(path.join(parent, replaced[0]!));
      expect(existsSync(path.join(parent, replaced[0]!, 'PG_VERSION'))).toBe(true);
      expect(readdirSync(parent).filter((f) => f.includes('.restoring-'))).toEqual([]);
    }

    // The restored center says who it is now; a desktop too old to read that is told to update.
    center = await startTestCenter(target, []);
    try {
      const agent = await desktop(center.center.url, 'demo', 'agent1');
      try {
        const old = await agent.call(EVENTS.pull, { schemaVersion: IDENTITY_SCHEMA_VERSION - 1, cursor: null, limit: 100 });
        expect(old).toMatchObject({ ok: false, error: { code: 'update_required' } });
        const now = PullResponse.parse(ok(await agent.call(EVENTS.pull, { schemaVersion: SCHEMA_VERSION, cursor: null, limit: 100 })));
        expect(now.centerId).not.toBe(oldIdentity);
        expect(restored.out).toContain(`identity is now ${now.centerId}`);
      } finally {
        agent.close();
      }
    } finally {
      await center.stop();
    }
  }, 120_000);

  it('leaves the database as it was when the backup cannot be restored', async () => {
    const damaged = path.join(scratch, `${driver}-damaged-${randomUUID()}.backup`);
    const whole = readFileSync(file);
    writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length / 2)));
    const db = await openDb(target);
    const countNotes = async (q: typeof db) => (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM notes'))[0]!.n;
    const [identityBefore, notesBefore] = await Promise.all([readCenterIdentity(db), countNotes(db)]).finally(() => db.close());
    const failed = await cli('restore', damaged);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(driver === 'pg' ? /pg_restore: .*\nNothing was changed\./s : /could not be loaded: it is damaged or incomplete .*nothing was changed/);
    const after = await openDb(target);
    try {
      expect(await readCenterIdentity(after)).toEqual(identityBefore);
      expect(await countNotes(after)).toBe(notesBefore);
    } finally {
      await after.close();
    }
    const notABackup = path.join(scratch, 'not-a-backup');
    writeFileSync(notABackup, 'hello');
    expect((await cli('restore', notABackup)).err).toMatch(/is not a center backup/);
  }, 120_000);
});
