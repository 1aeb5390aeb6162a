// Opens the center database named by the options and brings its schema up to date.
import type { Db } from './db';
import { FRESH_IDENTITY_SQL } from './identity';
import { migrate } from './migrate';
import { openPostgres } from './pg';
import { openPglite } from './pglite';
import { openPgliteFromTemplate, templateKey } from './template';

/**
 * `databaseUrl` wins; else PGlite in `dataDir`; else PGlite in memory (tests, throw-away demos),
 * started from a cached template migrated and seeded by `template.seed` when one is given.
 */
export async function openDb(opts: {
  databaseUrl?: string;
  dataDir?: string;
  template?: { seedKey: string; seed: (db: Db) => Promise<void> };
}): Promise<Db> {
  const db = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl)
    : opts.dataDir || !opts.template
      ? await openPglite(opts.dataDir)
      : await openPgliteFromTemplate(templateKey(opts.template.seedKey), opts.template.seed);
  try {
    await migrate(db);
    if (!opts.databaseUrl && !opts.dataDir && opts.template) await db.exec(FRESH_IDENTITY_SQL);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

export type { Db, Queryable, Isolation, TxOptions } from './db';
