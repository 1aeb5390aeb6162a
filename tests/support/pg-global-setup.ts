// vitest globalSetup (node project): a throw-away PostgreSQL 15 for the suites that run on both
// drivers, or the server in PG_URL. Without one, those suites are skipped with the reason shown.
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of a PostgreSQL server tests may CREATE DATABASE on; null when there is none. */
    pgAdminUrl: string | null;
    /** Why there is no PostgreSQL server (shown in skipped suite names). */
    pgSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.PG_URL) {
    project.provide('pgAdminUrl', process.env.PG_URL);
    project.provide('pgSkipReason', '');
    return async () => undefined;
  }
  let server: ThrowawayPostgres | null = null;
  try {
    server = await startThrowawayPostgres();
    project.provide('pgAdminUrl', server.url);
    project.provide('pgSkipReason', '');
  } catch (err) {
    const reason = `no PostgreSQL for tests: ${err instanceof Error ? err.message : String(err)}`;
    if (process.env.CI === 'true') throw new Error(`${reason} (CI=true requires it; set PG_URL or install postgresql 15)`, { cause: err });
    console.warn(`[pg-global-setup] ${reason}; PostgreSQL suites will be SKIPPED.`);
    project.provide('pgAdminUrl', null);
    project.provide('pgSkipReason', reason);
  }
  return async () => {
    await server?.stop();
  };
}
