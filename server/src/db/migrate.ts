// Applies the numbered migrations in order, once each, recorded in schema_migrations.
import type { Db } from './db';
import { sql as m0001 } from './migrations/0001-init';
import { sql as m0002 } from './migrations/0002-agent-states';
import { sql as m0003 } from './migrations/0003-sync-speed';
import { sql as m0006 } from './migrations/0006-queue-settings';
import { sql as m0005 } from './migrations/0005-wallboard-tokens';
import { sql as m0007 } from './migrations/0007-supervisor';
import { sql as m0004 } from './migrations/0004-cti-journal';
import { sql as m0008 } from './migrations/0008-change-log-sequence';
import { sql as m0009 } from './migrations/0009-queue-wrap-up';
import { sql as m0010 } from './migrations/0010-auth-notify';
import { sql as m0011 } from './migrations/0011-drop-duplicate-indexes';
import { sql as m0012 } from './migrations/0012-working-set-sizes';
import { sql as m0013 } from './migrations/0013-auth-notify-user';
import { sql as m0014 } from './migrations/0014-center-identity';
import { sql as m0015 } from './migrations/0015-call-ownership';
import { sql as m0016 } from './migrations/0016-throttles-and-policies';
import { sql as m0017 } from './migrations/0017-voc-loop';
import { sql as m0018 } from './migrations/0018-voc-analysis';
import { sql as m0019 } from './migrations/0019-nightly-values';
import { sql as m0020 } from './migrations/0020-labels';
import { sql as m0021 } from './migrations/0021-conversations';
import { sql as m0024 } from './migrations/0024-chat-and-mail';
import { sql as m0025 } from './migrations/0025-transcripts-and-attachments';
import { sql as m0026 } from './migrations/0026-purchases-without-row-checks';
import { sql as m0027 } from './migrations/0027-customers-without-row-checks';

/** In order. Append only: a released migration is never edited or removed. */
export const MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  { id: '0001-init', sql: m0001 },
  { id: '0002-agent-states', sql: m0002 },
  { id: '0003-sync-speed', sql: m0003 },
  { id: '0004-cti-journal', sql: m0004 },
  { id: '0005-wallboard-tokens', sql: m0005 },
  { id: '0006-queue-settings', sql: m0006 },
  { id: '0007-supervisor', sql: m0007 },
  { id: '0008-change-log-sequence', sql: m0008 },
  { id: '0009-queue-wrap-up', sql: m0009 },
  { id: '0010-auth-notify', sql: m0010 },
  { id: '0011-drop-duplicate-indexes', sql: m0011 },
  { id: '0012-working-set-sizes', sql: m0012 },
  { id: '0013-auth-notify-user', sql: m0013 },
  { id: '0014-center-identity', sql: m0014 },
  { id: '0015-call-ownership', sql: m0015 },
  { id: '0016-throttles-and-policies', sql: m0016 },
  { id: '0017-voc-loop', sql: m0017 },
  { id: '0018-voc-analysis', sql: m0018 },
  { id: '0019-nightly-values', sql: m0019 },
  { id: '0020-labels', sql: m0020 },
  { id: '0021-conversations', sql: m0021 },
  { id: '0024-chat-and-mail', sql: m0024 },
  { id: '0025-transcripts-and-attachments', sql: m0025 },
  { id: '0026-purchases-without-row-checks', sql: m0026 },
  { id: '0027-customers-without-row-checks', sql: m0027 },
];

/** Brings the schema up to date; safe to call from several center nodes at once. Returns ids applied. */
export async function migrate(db: Db): Promise<string[]> {
  // CREATE TABLE IF NOT EXISTS races between nodes on PostgreSQL: take the lock first.
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(7419001)');
    await q.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  });
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    const done = await db.tx(async (q) => {
      // Two nodes starting together: the second waits here, then sees the migration recorded.
      await q.query('SELECT pg_advisory_xact_lock(7419001)');
      const rows = await q.query('SELECT 1 FROM schema_migrations WHERE id = $1', [m.id]);
      if (rows.length > 0) return false;
      await q.exec(m.sql);
      await q.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      return true;
    });
    if (done) applied.push(m.id);
  }
  return applied;
}

/** True when every migration this build knows has been applied. */
export async function isMigrated(db: Db): Promise<boolean> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM schema_migrations WHERE id = ANY($1::text[])`,
    [MIGRATIONS.map((m) => m.id)],
  );
  return rows[0]?.n === MIGRATIONS.length;
}
