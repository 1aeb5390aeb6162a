import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase, quickCheck } from './connection';
import { saveNote } from './agent-writes';
import { upsertCustomer } from './cache';
import { listOutbox } from './outbox';
import { readSyncState } from './sync-state';
import { aCustomer, T0, tempStore, type TempStore } from './test-fixtures';

/** Overwrites one page of a real database file with garbage. */
function trashPage(file: string, page: number, pageSize: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

describe('opening the local database', () => {
  let store: TempStore | null = null;
  afterEach(() => store?.cleanup());

  it('passes quick_check on a healthy file', () => {
    store = tempStore();
    expect(quickCheck(store.db)).toBeNull();
    store.db.close();
    expect(openLocalDatabase(store.file).recovery).toBeNull();
  });

  it.skipIf(process.platform === 'win32')('keeps the file, its journal and its folder to their owner (0600, 0700), tightening older ones', () => {
    const mode = (f: string) => statSync(f).mode & 0o777;
    const previous = process.umask(0o022); // a usual umask: files 0644, folders 0755 unless told otherwise
    const parent = mkdtempSync(join(tmpdir(), 'earshot-db-'));
    try {
      const fresh = join(parent, 'fresh', 'earshot.db');
      const { db } = openLocalDatabase(fresh);
      upsertCustomer(db, aCustomer());
      expect(mode(join(parent, 'fresh'))).toBe(0o700);
      for (const f of [fresh, `${fresh}-wal`, `${fresh}-shm`]) expect(mode(f)).toBe(0o600);
      db.close();
      // A file and folder an older version left readable to everyone.
      const older = join(parent, 'older');
      mkdirSync(older, { mode: 0o755 });
      chmodSync(older, 0o755);
      const oldFile = join(older, 'earshot.db');
      openLocalDatabase(oldFile).db.close();
      chmodSync(oldFile, 0o644);
      chmodSync(older, 0o755);
      openLocalDatabase(oldFile).db.close();
      expect(mode(older)).toBe(0o700);
      expect(mode(oldFile)).toBe(0o600);
    } finally {
      process.umask(previous);
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('moves a file of garbage aside (never deleting it) and starts fresh', () => {
    store = tempStore();
    store.db.close();
    const garbage = Buffer.from('this is not an sqlite database '.repeat(200));
    writeFileSync(store.file, garbage);
    const { db, recovery } = openLocalDatabase(store.file);
    expect(recovery).not.toBeNull();
    expect(recovery!.outboxRecovered).toBe(0);
    expect(existsSync(recovery!.movedTo)).toBe(true);
    expect(readFileSync(recovery!.movedTo).equals(garbage)).toBe(true);
    expect(quickCheck(db)).toBeNull();
    expect(db.prepare('SELECT COUNT(*) AS n FROM customers').get()).toEqual({ n: 0 });
    db.close();
  });

  it('carries unsynced outbox rows and the client identity over from a damaged file', () => {
    store = tempStore();
    const { db } = store;
    const customer = aCustomer();
    upsertCustomer(db, customer);
    // Enough customers that their table spans pages of its own, away from the outbox.
    for (let i = 0; i < 300; i++) upsertCustomer(db, aCustomer({ displayName: `customer ${i} ${'x'.repeat(200)}` }));
    for (let i = 0; i < 3; i++) {
      saveNote(db, { id: randomUUID(), customerId: customer.id, interactionId: null, text: `note ${i}` }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    }
    const before = readSyncState(db);
    const outboxBefore = listOutbox(db);
    const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'customers'").get() as { rootpage: number }).rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close(); // checkpoints the WAL into the main file
    trashPage(store.file, root, pageSize);

    const { db: fresh, recovery } = openLocalDatabase(store.file);
    expect(recovery).not.toBeNull();
    expect(recovery!.outboxRecovered).toBe(3);
    expect(readdirSync(store.dir).some((f) => f.includes('.corrupt-'))).toBe(true);
    const after = readSyncState(fresh);
    expect(after.clientId).toBe(before.clientId);
    expect(after.nextSeq).toBe(before.nextSeq);
    expect(after.cursor).toBeNull(); // the cache is gone, so pull everything again
    expect(listOutbox(fresh).map((e) => [e.seq, e.mutationId, e.args])).toEqual(outboxBefore.map((e) => [e.seq, e.mutationId, e.args]));
    // The agent still sees what they wrote, as the latest revision, unsynced.
    expect(fresh.prepare('SELECT text, revision, synced_revision FROM notes ORDER BY text').all()).toEqual([
      { text: 'note 0', revision: 1, synced_revision: 0 },
      { text: 'note 1', revision: 1, synced_revision: 0 },
      { text: 'note 2', revision: 1, synced_revision: 0 },
    ]);
    fresh.close();
  });
});
