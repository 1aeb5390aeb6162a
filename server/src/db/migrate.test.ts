// Migrations apply once, in order, even when two center nodes start on one database together;
// transactions roll back whole; close() waits for running work.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db } from './db';
import { isMigrated, migrate, MIGRATIONS } from './migrate';
import { openPostgres } from './pg';
import { openPglite } from './pglite';

forEachDriver('center database', ({ driver, freshDatabase }) => {
  let db: Db;
  let url: string | undefined;
  beforeAll(async () => {
    url = (await freshDatabase()).databaseUrl;
    db = url ? await openPostgres(url) : await openPglite();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies every migration once, and nothing on the second run', async () => {
    expect(await isMigrated(db).catch(() => false)).toBe(false);
    const runs = driver === 'pg' && url ? await Promise.all([migrate(db), openPostgres(url).then(async (other) => {
      try {
        return await migrate(other);
      } finally {
        await other.close();
      }
    })]) : [await migrate(db)];
    expect(runs.flat().sort()).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrate(db)).toEqual([]);
    expect(await isMigrated(db)).toBe(true);
    const recorded = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(recorded.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      db.tx(async (q) => {
        await q.query(`INSERT INTO tenants (id, name) VALUES ('rolled-back', 'x')`);
        await q.query('SELECT 1/0');
      }),
    ).rejects.toMatchObject({ code: '22012' });
    expect(await db.query(`SELECT 1 FROM tenants WHERE id = 'rolled-back'`)).toEqual([]);
  });

  it('lets running work finish on close, then refuses new work with a clear message', async () => {
    const other = url ? await openPostgres(url) : db;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const running = other.tx(async (q) => {
      await q.query(`INSERT INTO tenants (id, name) VALUES ('committed-on-close', 'x')`);
      entered();
      await gate;
    });
    await inside;
    const closed = other.close();
    release();
    await Promise.all([running, closed]);
    await expect(other.query('SELECT 1')).rejects.toThrow(/shutting down/);
    if (url) expect(await db.query(`SELECT 1 FROM tenants WHERE id = 'committed-on-close'`)).toHaveLength(1);
  });
});
