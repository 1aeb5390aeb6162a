// Test harness for PostgreSQL: a throw-away server from Debian's binaries, one fresh database per
// suite, and `forEachDriver` to run a suite on PGlite and on PostgreSQL.
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';

export { startThrowawayPostgres, type ThrowawayPostgres } from './postgres-server';

/** The admin URL provided by globalSetup, or null (suites needing it are skipped). */
export const pgAdminUrl = (): string | null => inject('pgAdminUrl');
export const pgSkipReason = (): string => inject('pgSkipReason');

/** A fresh, empty database on the test server; dropped by `drop()`. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `earshot_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export type DriverName = 'pglite' | 'pg';
export interface DriverContext {
  driver: DriverName;
  /** Options for a fresh, empty center database: `{}` (in-memory PGlite) or `{ databaseUrl }`. */
  freshDatabase(): Promise<{ databaseUrl?: string }>;
}

/**
 * Declares the suite twice: on in-memory PGlite, and on PostgreSQL when the harness has one
 * (otherwise that copy is skipped, its name saying why). Databases are dropped after the suite.
 */
export function forEachDriver(name: string, fn: (ctx: DriverContext) => void): void {
  describe(`${name} [pglite]`, () => fn({ driver: 'pglite', freshDatabase: async () => ({}) }));
  const adminUrl = pgAdminUrl();
  const label = adminUrl ? `${name} [postgres]` : `${name} [postgres] (skipped: ${pgSkipReason()})`;
  describe.skipIf(!adminUrl)(label, () => {
    const created: Array<{ drop(): Promise<void> }> = [];
    afterAll(async () => {
      for (const d of created) await d.drop().catch(() => undefined);
    });
    fn({
      driver: 'pg',
      freshDatabase: async () => {
        const d = await createTestDatabase(adminUrl as string);
        created.push(d);
        return { databaseUrl: d.url };
      },
    });
  });
}
