import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { appliedMigrations, migrate, NewerDatabaseError } from './migrate';
import { migrations } from './migrations/index';
import { openLocalDatabase } from './connection';
import { tempStore, type TempStore } from './test-fixtures';

describe('migrations', () => {
  let store: TempStore | null = null;
  afterEach(() => store?.cleanup());

  it('records each applied migration and applies nothing twice', () => {
    store = tempStore();
    expect(appliedMigrations(store.db)).toEqual([
      { id: 1, name: '0001-init' },
      { id: 2, name: '0002-center-identity' },
      { id: 3, name: '0003-voc-loop' },
      { id: 4, name: '0004-session-at-rest' },
      { id: 5, name: '0005-customer-version' },
      { id: 6, name: '0006-conversation-outbox' },
      { id: 7, name: '0007-reply-snippets' },
    ]);
    store.db.close();
    const { db } = openLocalDatabase(store.file);
    expect(migrate(db)).toEqual([]);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of ['customers', 'identities', 'interactions', 'notes', 'voc_items', 'dispositions', 'queues', 'outbox', 'sync_state', 'rejected_mutations', 'conflicts', 'search_fts', 'voc_topics', 'departments', 'center_answers', 'conversation_outbox', 'reply_snippets']) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('drops a session token an older version kept in clear (0004)', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.id < 4));
    db.prepare(`INSERT INTO sync_state (id, client_id, next_seq, session_token, session_expires_at, session_user) VALUES (1, 'c', 1, 'plain-token', '2999-01-01T00:00:00Z', '{}')`).run();
    expect(migrate(db)).toEqual([4, 5, 6, 7]);
    expect(db.prepare('SELECT session_token, session_user, last_activity_at FROM sync_state').get()).toEqual({ session_token: null, session_user: '{}', last_activity_at: null });
    db.close();
  });

  it('runs the database in WAL mode with foreign keys enforced', () => {
    store = tempStore();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => store!.db.prepare("INSERT INTO identities (customer_id, kind, value) VALUES ('nobody', 'phone', '+1')").run()).toThrow(/FOREIGN KEY/);
  });

  it('refuses a database written by a newer build instead of damaging it', () => {
    store = tempStore();
    store.db.prepare("INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, '0099-future', 'x')").run();
    expect(() => migrate(store!.db)).toThrow(NewerDatabaseError);
  });

  it('rolls a failing migration back whole, recording nothing', () => {
    const db = new Database(':memory:');
    const broken = [{ id: 1, name: '0001-broken', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").get()).toBeUndefined();
    expect(appliedMigrations(db)).toEqual([]);
    db.close();
  });
});
