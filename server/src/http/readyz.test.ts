// /readyz follows the database: 503 while PostgreSQL refuses connections, 200 once it is back.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgAdminUrl, pgSkipReason } from '../../../tests/support/postgres';
import { startCenter, type RunningCenter } from '../index';

const adminUrl = pgAdminUrl();

describe.skipIf(!adminUrl)(`readiness on PostgreSQL${adminUrl ? '' : ` (skipped: ${pgSkipReason()})`}`, () => {
  let center: RunningCenter;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let name: string;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl as string });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    database = await createTestDatabase(adminUrl as string);
    name = new URL(database.url).pathname.slice(1);
    center = await startCenter({ databaseUrl: database.url, port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await center?.stop();
    await database?.drop();
  });

  it('answers 503 while the database is unreachable and 200 when it returns', async () => {
    expect((await fetch(`${center.url}/readyz`)).status).toBe(200);
    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
    const down = await fetch(`${center.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'starting' });
    expect((await fetch(`${center.url}/healthz`)).status).toBe(200); // alive, just not ready
    await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect((await fetch(`${center.url}/readyz`)).status).toBe(200);
  });
});
