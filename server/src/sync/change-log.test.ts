// Proves change-log versions are handed out in commit order: a reader paging by version never skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { appendChanges, currentVersion, type ChangeInput } from './change-log';

const change = (id: string): ChangeInput => ({ entity: 'queue', id, op: 'upsert', data: { id } });

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function readAfter(db: Db, cursor: string): Promise<Array<{ version: string; entity_id: string }>> {
  // cl.version: a bare `version` would sort by the text alias ('10' < '6').
  return db.query('SELECT cl.version::text AS version, cl.entity_id FROM change_log cl WHERE cl.version > $1::bigint ORDER BY cl.version', [cursor]);
}

forEachDriver('change log', ({ driver, freshDatabase }) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
  });
  afterAll(async () => {
    await db.close();
  });

  it('gives each change the next version, in the order recorded', async () => {
    const before = await appendChanges(db, 't1', []);
    const last = await db.tx((q) => appendChanges(q, 't1', [change('a'), change('b'), change('c')]));
    expect(BigInt(last) - BigInt(before)).toBe(3n);
    const rows = await readAfter(db, before);
    expect(rows.map((r) => r.entity_id)).toEqual(['a', 'b', 'c']);
  });

  // On PGlite (one connection) transactions cannot overlap, so the interleaving needs PostgreSQL.
  it.skipIf(driver === 'pglite')('a writer that takes a version first commits first, even if another is waiting', async () => {
    const start = await appendChanges(db, 't1', []);
    const aHolds = deferred<string>();
    const aCommit = deferred();
    const writerA = db.tx(
      async (q) => {
        await q.query(`INSERT INTO audit_log (tenant_id, action) VALUES ('t1', 'test-a')`);
        const v = await appendChanges(q, 't1', [change('A')]);
        aHolds.resolve(v);
        await aCommit.promise; // hold the counter lock, uncommitted
        return v;
      },
      { isolation: 'repeatable read' },
    );
    await aHolds.promise;
    const writerB = db.tx(
      async (q) => {
        await q.query(`INSERT INTO audit_log (tenant_id, action) VALUES ('t1', 'test-b')`);
        return appendChanges(q, 't1', [change('B')]);
      },
      { isolation: 'repeatable read' },
    );
    // Wait (bounded) until B is really blocked on the change-log lock held by A.
    let blocked = false;
    for (let i = 0; i < 500 && !blocked; i += 1) {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      blocked = (rows[0]?.n ?? 0) > 0;
      if (!blocked) await new Promise((r) => setTimeout(r, 10));
    }
    expect(blocked).toBe(true);
    // Neither is visible yet: a reader must not be handed B's version before A's commits.
    expect(await readAfter(db, start)).toEqual([]);
    aCommit.resolve();
    const [vA, vB] = await Promise.all([writerA, writerB]);
    expect(BigInt(vB)).toBeGreaterThan(BigInt(vA));
    expect((await readAfter(db, start)).map((r) => r.entity_id)).toEqual(['A', 'B']);
  });

  // The single-row counter of migration 0001 failed the second of two overlapping REPEATABLE READ
  // writers with 40001 (its snapshot predated the first one's update of the counter row).
  it.skipIf(driver === 'pglite')('two overlapping REPEATABLE READ writers both commit at the first attempt', async () => {
    const start = await currentVersion(db);
    const bothRead = deferred();
    let reads = 0;
    const writer = (id: string) =>
      db.tx(
        async (q) => {
          await q.query(`SELECT count(*) FROM change_log WHERE version > $1::bigint`, [start]); // the snapshot is taken here
          if ((reads += 1) === 2) bothRead.resolve();
          await bothRead.promise;
          return appendChanges(q, 't1', [change(id)]);
        },
        { isolation: 'repeatable read', attempts: 1 },
      );
    const [v1, v2] = await Promise.all([writer('X'), writer('Y')]);
    expect(v1).not.toBe(v2);
    expect((await readAfter(db, start)).map((r) => r.entity_id).sort()).toEqual(['X', 'Y']);
    expect(await currentVersion(db)).toBe(BigInt(v1) > BigInt(v2) ? v1 : v2);
  });

  it('the current version survives pruning the whole log (the horizon holds it)', async () => {
    const v = await db.tx((q) => appendChanges(q, 't1', [change('p')]));
    await db.query('UPDATE change_log_horizon SET version = GREATEST(version, $1::bigint) WHERE id = 1', [v]);
    await db.query('DELETE FROM change_log WHERE version <= $1::bigint', [v]);
    expect(await currentVersion(db)).toBe(v);
    const next = await db.tx((q) => appendChanges(q, 't1', [change('q')]));
    expect(BigInt(next)).toBeGreaterThan(BigInt(v));
  });

  it('a reader polling concurrently with many writers sees every row exactly once', async () => {
    const start = await appendChanges(db, 't1', []);
    const writers = 6;
    const perWriter = 15;
    let writing = true;
    const seen: string[] = [];
    const reader = (async () => {
      let cursor = start;
      // Bounded: stop when writers are done and one more pass found nothing new.
      for (let pass = 0; pass < 100_000; pass += 1) {
        const done = !writing;
        const rows = await readAfter(db, cursor);
        for (const r of rows) seen.push(r.entity_id);
        if (rows.length > 0) cursor = rows[rows.length - 1]!.version;
        if (done && rows.length === 0) return;
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i += 1) {
          await db.tx(
            async (q) => {
              await q.query(`INSERT INTO audit_log (tenant_id, action) VALUES ('t1', 'load')`);
              await appendChanges(q, 't1', [change(`w${w}-${i}`)]);
            },
            // One attempt: writers wait for the change-log lock, they never fail with 40001.
            { isolation: 'repeatable read', attempts: 1 },
          );
        }
      }),
    );
    writing = false;
    await reader;
    expect(seen).toHaveLength(writers * perWriter);
    expect(new Set(seen).size).toBe(writers * perWriter);
  });
});

describe('change log (no driver)', () => {
  it('refuses to write when there is nothing to write to', async () => {
    // appendChanges with an empty list only reads; the error path needs a closed database.
    const db = await openDb({});
    await db.close();
    await expect(appendChanges(db, 't', [change('x')])).rejects.toThrow(/shutting down/);
  });
});
