// SYNC.md: `kill -9` of the desktop process while notes are being typed and synced; after restart
// the outbox drains and nothing is missing or doubled at the center or on the desktop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices } from '../../main/services/index';
import { FAST, TEST_VAULT_KEY, testKeychain, waitFor } from './desktop-harness';

const CHILD = fileURLToPath(new URL('./desktop-crash-child.ts', import.meta.url));

describe('desktop killed with SIGKILL mid-typing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-crash-'));
  const dataDir = join(dir, 'desktop');
  let center: RunningCenter;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent' });
  });
  afterAll(async () => {
    // Only if the test failed before killing it: a killed child has a signalCode and no exitCode.
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses and doubles nothing', async () => {
    // Sign in once, as the agent would have before the crash.
    const first = createDesktopServices({ dataDir, centerUrl: center.url, vault: testKeychain() }, FAST);
    await first.start();
    await first.handlers.signIn({ tenant: 'demo', username: 'agent7', password: 'demo' });
    await first.stop();
    const [customer] = await center.db.query<{ id: string }>('SELECT id::text AS id FROM customers ORDER BY id LIMIT 1');

    const saves: Array<{ id: string; revision: number; text: string }> = [];
    child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, EARSHOT_TEST_VAULT_KEY: TEST_VAULT_KEY, EARSHOT_DATA_DIR: dataDir, EARSHOT_CENTER_URL: center.url, EARSHOT_CUSTOMER_ID: customer!.id },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line) saves.push(JSON.parse(line) as { id: string; revision: number; text: string });
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Kill it once it has typed a good while and the center has taken some of it.
    await waitFor('the child to type and sync', async () => {
      if (saves.length < 150) return false;
      const rows = await center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM note_revisions');
      return rows[0]!.n > 0;
    }, () => ({ saves: saves.length, stderr: stderr.slice(-500) }), 60_000);
    const exited = new Promise((r) => child!.once('exit', r));
    process.kill(child.pid!, 'SIGKILL');
    await exited;

    const last = new Map<string, { revision: number; text: string }>();
    for (const s of saves) last.set(s.id, s);

    const again = createDesktopServices({ dataDir, centerUrl: center.url, vault: testKeychain() }, FAST);
    await again.start();
    try {
      await waitFor('the outbox to drain', async () => {
        const s = await again.handlers.getSyncStatus();
        return s.state === 'online' && s.pending === 0;
      }, () => again.handlers.getSyncStatus());
      const ids = [...last.keys()];
      const atCenter = await center.db.query<{ id: string; revision: number; n: number }>(
        `SELECT n.id::text AS id, n.revision, (SELECT count(*)::int FROM note_revisions r WHERE r.note_id = n.id) AS n
         FROM notes n WHERE n.id = ANY($1::uuid[])`,
        [ids],
      );
      expect(atCenter).toHaveLength(ids.length);
      const local = new Database(join(dataDir, 'earshot.db'), { readonly: true });
      try {
        for (const row of atCenter) {
          const seen = last.get(row.id)!;
          // The kill may land after a save committed but before the child printed it: at most one more.
          expect([seen.revision, seen.revision + 1]).toContain(row.revision);
          expect(row.n).toBe(row.revision); // every revision exactly once
          expect(local.prepare('SELECT revision FROM notes WHERE id = ?').get(row.id)).toEqual({ revision: row.revision });
        }
      } finally {
        local.close();
      }
    } finally {
      await again.stop();
    }
  });
});
