// 10,000 notes saved on a real desktop while its center is down, then the center comes back on the same
// port: seconds until every queued mutation is acknowledged, on PostgreSQL and on PGlite (on disk).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { SyncStatus } from '../../shared/api/index';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { smallTenant, startTestCenter } from '../../server/src/testing/center-client';
import { onBothDrivers, seconds } from './center-push-drain.bench';
import type { Benchmark, BenchRow } from './harness';

const BACKLOG = Number(process.env.BENCH_BACKLOG_MUTATIONS ?? 10_000);
const WAIT_LIMIT_MS = 600_000;

/** Resolves with the first status `accept` takes; bounded by WAIT_LIMIT_MS. */
function waitForStatus(services: DesktopServices, what: string, accept: (s: SyncStatus) => boolean): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the desktop never reached: ${what}`));
    }, WAIT_LIMIT_MS);
    const off = services.on('syncStatus', (s) => {
      if (!accept(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
    void services.handlers.getSyncStatus().then((s) => {
      if (!accept(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

async function measure(driver: 'pg' | 'pglite', dbOpts: { databaseUrl?: string }): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-backlog-'));
  // PGlite must survive the restart, so it lives on disk here; PostgreSQL keeps its database.
  const centerDb = driver === 'pg' ? dbOpts : { dataDir: path.join(dir, 'center') };
  const tenant = smallTenant('demo', 1, 50);
  const test = await startTestCenter(centerDb, [tenant]);
  let center: RunningCenter | null = test.center;
  const { port, url } = test.center;
  const services = createDesktopServices({ dataDir: path.join(dir, 'desktop'), centerUrl: url }, { reconnectDelay: { min: 100, max: 500 } });
  try {
    await services.start();
    await services.handlers.signIn({ tenant: 'demo', username: 'agent1', password: 'demo' });
    await waitForStatus(services, 'online with nothing pending', (s) => s.state === 'online' && s.pending === 0);

    await center.stop();
    center = null;
    await waitForStatus(services, 'offline', (s) => s.state === 'offline');
    const customers = tenant.customers.map((c) => c.customer.id);
    for (let i = 0; i < BACKLOG; i++) {
      await services.handlers.saveNote({ id: randomUUID(), customerId: customers[i % customers.length]!, interactionId: null, text: `offline note ${i} `.padEnd(200, 'x') });
    }
    const queued = await services.handlers.getSyncStatus();
    if (queued.pending < BACKLOG) throw new Error(`only ${queued.pending} of ${BACKLOG} notes were queued`);

    const t0 = process.hrtime.bigint();
    let reconnected = 0;
    const offReconnect = services.on('syncStatus', (s) => {
      if (!reconnected && s.state !== 'offline') reconnected = seconds(t0);
    });
    center = await startCenter({ ...centerDb, port, logLevel: 'silent' });
    const afterRestart = seconds(t0);
    const done = await waitForStatus(services, 'every queued note acknowledged', (s) => s.pending === 0);
    const total = seconds(t0);
    offReconnect();
    if (done.rejected.length) throw new Error(`the center rejected ${done.rejected.length} queued notes: ${done.rejected[0]!.reason}`);
    const stored = await center.db.query<{ n: number }>("SELECT count(*)::int AS n FROM notes WHERE author = 'agent1' AND text LIKE 'offline note %'");
    if ((stored[0]?.n ?? 0) !== BACKLOG) throw new Error(`the center holds ${stored[0]?.n} of ${BACKLOG} offline notes`);
    const drain = total - (reconnected || afterRestart);
    const label = driver === 'pg' ? 'PostgreSQL' : 'PGlite';
    return [
      { figure: `offline backlog ${BACKLOG / 1000}k notes: drain after reconnect [${label}]`, unit: 's', value: drain, baseline: null, goal: { text: '≤ 5 s', met: drain <= 5 } },
      { figure: `offline backlog: center restart to all acknowledged [${label}]`, unit: 's', value: total, baseline: null },
    ];
  } finally {
    await services.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'desktop-offline-backlog',
  async run() {
    return (await onBothDrivers(measure)).flat();
  },
};
export default bench;
