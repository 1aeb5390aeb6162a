// One center per PGlite directory (issue #20): a second center on it refuses, naming the first; a
// first killed with SIGKILL leaves a stale lock the next center takes over, finding every row. And
// a directory PGlite cannot open says what happened and what to do.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENTS, SCHEMA_VERSION } from '../../../shared/protocol';
import { openDb } from '../db/open';
import { desktop, ok, startTestCenter, smallTenant } from '../testing/center-client';

const root = path.resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];

/** A center in its own process on `dir`: resolves with its URL once listening, or with how it ended. */
function centerProcess(dir: string): Promise<{ child: ChildProcess; url: string | null; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli-entry.ts', '--port', '0', '--data-dir', dir, '--log-level', 'silent'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => {
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      const m = /Earshot center listening on (\S+)/.exec(stdout);
      if (m) resolve({ child, url: m[1]!, code: null, stderr });
    });
    child.once('exit', (code) => resolve({ child, url: null, code, stderr }));
  });
}

const ended = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

describe('one center per PGlite directory', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-lock-center-'));
  afterAll(async () => {
    for (const c of children) await ended(c, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second center on the directory, and a center killed with SIGKILL is replaced with every row kept', async () => {
    const tenant = smallTenant('demo', 1);
    const seeded = await startTestCenter({ dataDir: dir }, [tenant]);
    await seeded.stop();

    const first = await centerProcess(dir);
    expect(first.url, first.stderr).not.toBeNull();
    // Rows written through the first center, committed before it is killed.
    const agent = await desktop(first.url!, 'demo', 'agent1');
    const noteIds = tenant.customers.slice(0, 5).map(() => randomUUID());
    const pushed = ok(
      await agent.call<{ lastSeq: number }>(EVENTS.push, {
        schemaVersion: SCHEMA_VERSION,
        clientId: agent.clientId,
        mutations: agent.mutations(
          1,
          noteIds.map((id, i) => ({ name: 'note.save', args: { id, customerId: tenant.customers[i]!.customer.id, interactionId: null, text: `note ${i}`, revision: 1 } })),
        ),
      }),
    );
    expect(pushed.lastSeq).toBe(5);
    agent.close();

    const second = await centerProcess(dir);
    expect(second.url).toBeNull();
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by process ${first.child.pid} (earshot-center) on this computer`);
    expect(second.stderr).toContain(`at ${first.url}`);
    expect(second.stderr).toMatch(/use the running one, or stop it first/);

    await ended(first.child, 'SIGKILL');
    const third = await centerProcess(dir);
    expect(third.url, third.stderr).not.toBeNull();
    expect((await fetch(`${third.url}/healthz`)).status).toBe(200);
    await ended(third.child, 'SIGTERM');

    const db = await openDb({ dataDir: dir });
    try {
      const rows = await db.query<{ id: string }>('SELECT id::text AS id FROM notes WHERE id = ANY($1::uuid[])', [noteIds]);
      expect(rows.map((r) => r.id).sort()).toEqual([...noteIds].sort());
    } finally {
      await db.close();
    }
  }, 120_000);

  it('says what to do when the directory cannot be opened, never a bare "Aborted()"', async () => {
    const damaged = mkdtempSync(path.join(os.tmpdir(), 'earshot-damaged-'));
    try {
      await (await openDb({ dataDir: damaged })).close();
      const control = path.join(damaged, 'global/pg_control');
      writeFileSync(control, Buffer.alloc(statSync(control).size));
      await expect(openDb({ dataDir: damaged })).rejects.toThrow(
        new RegExp(`database in ${damaged} could not be opened .*Restore your last backup into it with "npm run center -- restore --data-dir ${damaged} BACKUP-FILE"`),
      );
      // The lock is not left behind by the failed open.
      await expect(openDb({ dataDir: damaged })).rejects.toThrow(/could not be opened/);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });
});
