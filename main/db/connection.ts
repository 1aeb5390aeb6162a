// Opens the desktop's SQLite file: pragmas, integrity check, migrations, and recovery from a corrupt file.
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { NoteSaveArgs, VocCreateArgs } from '../../shared/protocol/index';
import { raisedVocItem } from '../../shared/domain/entities';
import { migrate } from './migrate';

export type { Db };

export interface StoreLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/** What happened when the database file was found damaged (so the UI can tell the agent). */
export interface StoreRecovery {
  /** Where the damaged file now lives; it is kept for support, never deleted. */
  movedTo: string;
  /** Unsynced changes read back from the damaged file and queued again. */
  outboxRecovered: number;
  reason: string;
}

/**
 * The better-sqlite3 addon file to load, when it is not node_modules' own: the Electron shell sets
 * its Electron-ABI build here (main/electron/native-binding.ts) so the Node build that tests and
 * web mode load is never rebuilt in place. Null: the package's own build.
 */
let sqliteBinding: string | null = null;
export function useSqliteBinding(file: string | null): void {
  sqliteBinding = file;
}
const bindingOption = (): { nativeBinding?: string } => (sqliteBinding ? { nativeBinding: sqliteBinding } : {});

export interface OpenedStore {
  db: Db;
  recovery: StoreRecovery | null;
}

const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB']);

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  // FULL: a note the agent saw saved must survive a power cut, and our writes are small.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** `PRAGMA quick_check`: null when healthy, else the first problem SQLite reported. */
export function quickCheck(db: Db): string | null {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const first = rows[0]?.quick_check ?? 'no result';
  return rows.length === 1 && first === 'ok' ? null : first;
}

function openChecked(file: string): Db {
  const db = new Database(file, bindingOption());
  try {
    configure(db);
    const problem = quickCheck(db);
    if (problem !== null) {
      const err = new Error(`quick_check: ${problem}`) as Error & { code: string };
      err.code = 'SQLITE_CORRUPT';
      throw err;
    }
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Outbox rows and sync identity read back from a damaged file, as far as it can be read. */
interface Salvage {
  state: Record<string, unknown> | null;
  outbox: Array<Record<string, unknown>>;
}

function salvage(file: string): Salvage {
  const found: Salvage = { state: null, outbox: [] };
  let old: Db | null = null;
  try {
    old = new Database(file, { ...bindingOption(), readonly: true, fileMustExist: true });
    try {
      found.state = (old.prepare('SELECT * FROM sync_state WHERE id = 1').get() as Record<string, unknown>) ?? null;
    } catch {
      // unreadable sync state: the outbox rows still carry their client id
    }
    try {
      for (const row of old.prepare('SELECT * FROM outbox ORDER BY seq').iterate()) {
        found.outbox.push(row as Record<string, unknown>);
      }
    } catch {
      // keep the rows read before the damaged page
    }
  } catch {
    // not even openable: nothing to carry over
  } finally {
    old?.close();
  }
  return found;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'bigint' ? Number(v) : null;
}

/** Puts the agent's note or VOC item back from its queued mutation, so they see what they wrote. */
function restoreLocalRow(db: Db, r: Record<string, unknown>, userJson: string | null): void {
  let args: unknown;
  try {
    args = JSON.parse(String(r.args));
  } catch {
    return;
  }
  const at = str(r.created_at) ?? new Date().toISOString();
  let author = '';
  try {
    author = String((JSON.parse(userJson ?? '{}') as { username?: unknown }).username ?? '');
  } catch {
    // unknown author: the center knows it from the session that pushes the note
  }
  if (r.name === 'note.save') {
    const note = NoteSaveArgs.safeParse(args);
    if (!note.success) return;
    db.prepare(
      `INSERT INTO notes (id, customer_id, interaction_id, author, text, revision, created_at, updated_at)
       VALUES (@id, @customerId, @interactionId, @author, @text, @revision, @at, @at)
       ON CONFLICT (id) DO UPDATE SET text = excluded.text, revision = excluded.revision, updated_at = excluded.updated_at
       WHERE excluded.revision > notes.revision`,
    ).run({ ...note.data, author, at });
  } else if (r.name === 'voc.create') {
    const voc = VocCreateArgs.safeParse(args);
    if (!voc.success) return;
    const item = raisedVocItem(voc.data, author, at);
    db.prepare(
      'INSERT OR IGNORE INTO voc_items (id, customer_id, interaction_id, status, created_at, data) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(item.id, item.customerId, item.interactionId, item.status, at, JSON.stringify(item));
  }
}

/** Queues salvaged outbox rows (and the sync identity they belong to) in the fresh database. */
function carryOver(db: Db, found: Salvage): number {
  const rows = found.outbox.filter(
    (r) => int(r.seq) !== null && str(r.mutation_id) && str(r.client_id) && str(r.name) && str(r.args),
  );
  const clientId = str(found.state?.client_id) ?? str(rows[0]?.client_id);
  if (!clientId) return 0;
  // Only one client's rows can be pushed under this identity.
  const mine = rows.filter((r) => r.client_id === clientId);
  const maxSeq = mine.reduce((m, r) => Math.max(m, int(r.seq) ?? 0), 0);
  const nextSeq = Math.max(int(found.state?.next_seq) ?? 1, maxSeq + 1);
  const user = str(found.state?.session_user);
  db.transaction(() => {
    db.prepare(
      `INSERT OR REPLACE INTO sync_state (id, client_id, next_seq, cursor, center_url, session_token, session_expires_at, session_user, center_id)
       VALUES (1, ?, ?, NULL, ?, ?, ?, ?, ?)`,
    ).run(
      clientId,
      nextSeq,
      str(found.state?.center_url),
      str(found.state?.session_token),
      str(found.state?.session_expires_at),
      user,
      // The center it synced with: a restore of that center since is still noticed.
      str(found.state?.center_id),
    );
    const insert = db.prepare(
      `INSERT INTO outbox (seq, mutation_id, client_id, name, args, schema_version, created_at, attempts, last_error, customer_id, acked_version)
       VALUES (@seq, @mutation_id, @client_id, @name, @args, @schema_version, @created_at, @attempts, @last_error, @customer_id, NULL)`,
    );
    for (const r of mine) {
      restoreLocalRow(db, r, user);
      insert.run({
        seq: int(r.seq),
        mutation_id: r.mutation_id,
        client_id: r.client_id,
        name: r.name,
        args: r.args,
        schema_version: int(r.schema_version) ?? 1,
        created_at: str(r.created_at) ?? new Date().toISOString(),
        attempts: int(r.attempts) ?? 0,
        last_error: str(r.last_error),
        customer_id: str(r.customer_id),
      });
    }
  })();
  return mine.length;
}

function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const movedTo = `${file}.corrupt-${stamp}`;
  renameSync(file, movedTo);
  // Keep the journal beside its database under the name SQLite will look for.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  }
  return movedTo;
}

/**
 * The database holds customers' data: on a shared PC only its owner may read it. The folder is made
 * (or tightened to) 0700 and the file created 0600 before SQLite opens it; SQLite gives its -wal and
 * -shm files the database file's mode. Files an older Earshot made world-readable are tightened too.
 * (Windows: a user's profile folder is private by its ACL; chmod changes nothing there.)
 */
function keepPrivate(file: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/**
 * Opens (creating if needed) the database at `file`. A damaged file is moved aside, never deleted;
 * a fresh database takes its place with whatever unsynced changes could be read from the old one.
 */
export function openLocalDatabase(file: string, logger?: StoreLogger): OpenedStore {
  keepPrivate(file);
  try {
    return { db: openChecked(file), recovery: null };
  } catch (err) {
    if (!isCorruption(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    const movedTo = moveAside(file);
    logger?.error({ movedTo, reason }, 'local database damaged: moved aside, starting a fresh one');
    const found = salvage(movedTo);
    keepPrivate(file);
    const db = openChecked(file);
    const outboxRecovered = carryOver(db, found);
    logger?.warn({ outboxRecovered }, 'unsynced changes carried over from the damaged database');
    return { db, recovery: { movedTo, outboxRecovered, reason } };
  }
}
