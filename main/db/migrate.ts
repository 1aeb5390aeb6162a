// Applies numbered migrations in order, each in its own transaction, and records them in the database.
import type { Database } from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations/index';

export class NewerDatabaseError extends Error {
  constructor(found: number, known: number) {
    super(
      `This computer's Earshot data was written by a newer Earshot (schema ${found}, this build knows ${known}). ` +
        'Install the current Earshot desktop to open it.',
    );
    this.name = 'NewerDatabaseError';
  }
}

/** Runs the migrations not yet recorded; returns the ids applied now. */
export function migrate(db: Database, migrations: readonly Migration[] = allMigrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const row = db.prepare('SELECT MAX(id) AS id FROM schema_migrations').get() as { id: number | null };
  const current = row.id ?? 0;
  const known = migrations.reduce((max, m) => Math.max(max, m.id), 0);
  if (current > known) throw new NewerDatabaseError(current, known);
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (m.id <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, m.name, new Date().toISOString());
    })();
    applied.push(m.id);
  }
  return applied;
}

export function appliedMigrations(db: Database): Array<{ id: number; name: string }> {
  return db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as Array<{ id: number; name: string }>;
}
