// The center's command line on a real PGlite directory: tenants, users, passwords, and `run`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from './cli';
import { openDb } from './db/open';
import { startCenter } from './index';
import { postJson } from './testing/center-client';

function capture(stdin: string[] = [], stopSignal?: Promise<string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdin: Readable.from(stdin),
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    stopSignal,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('earshot-center CLI', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (args: string[], stdin?: string[]) => {
    const c = capture(stdin);
    const code = await main([...args, '--data-dir', dir], c.io);
    return { code, out: c.out(), err: c.err() };
  };

  it('adds a tenant and users (password as an option or on stdin), and refuses duplicates', async () => {
    expect((await run(['tenant', 'add', '--id', 'acme', '--name', 'Acme', '--time-zone', 'Asia/Seoul'])).code).toBe(0);
    const added = await run(['user', 'add', '--tenant', 'acme', '--username', 'kim', '--role', 'agent', '--password', 'first-passphrase']);
    expect(added).toMatchObject({ code: 0, out: expect.stringMatching(/User kim \(agent\) added to tenant acme/) });
    expect((await run(['user', 'add', '--tenant', 'acme', '--username', 'lee', '--role', 'supervisor'], ['from-stdin-words\n'])).code).toBe(0);
    const dup = await run(['user', 'add', '--tenant', 'acme', '--username', 'kim', '--role', 'agent', '--password', 'long-enough-pw']);
    expect(dup).toMatchObject({ code: 1, err: expect.stringMatching(/already exists/) });
    expect(dup.err).not.toMatch(/Usage/);
    const noTenant = await run(['user', 'add', '--tenant', 'nope', '--username', 'kim', '--role', 'agent', '--password', 'long-enough-pw']);
    expect(noTenant.err).toMatch(/Tenant "nope" does not exist: create it first/);
    const badRole = await run(['user', 'add', '--tenant', 'acme', '--username', 'park', '--role', 'boss', '--password', 'long-enough-pw']);
    expect(badRole.err).toMatch(/Unknown role "boss"/);
    const short = await run(['user', 'add', '--tenant', 'acme', '--username', 'park', '--role', 'agent', '--password', 'elevenchars']);
    expect(short).toMatchObject({ code: 1, err: expect.stringMatching(/too short: use at least 12 characters/) });
    expect((await run(['user', 'reset-password', '--tenant', 'acme', '--username', 'kim', '--password', 'short'])).err).toMatch(/at least 12/);
  });

  it('resets a password and disables a user, which the running center then honours', async () => {
    expect((await run(['user', 'reset-password', '--tenant', 'acme', '--username', 'kim', '--password', 'second-passphrase'])).code).toBe(0);
    expect((await run(['user', 'disable', '--tenant', 'acme', '--username', 'lee'])).code).toBe(0);
    expect((await run(['user', 'disable', '--tenant', 'acme', '--username', 'ghost'])).err).toMatch(/No user "ghost"/);
    const center = await startCenter({ dataDir: dir, port: 0, logLevel: 'silent' });
    try {
      const tryLogin = (username: string, password: string) => postJson(`${center.url}/api/login`, { tenant: 'acme', username, password });
      expect((await tryLogin('kim', 'first-passphrase')).status).toBe(401);
      expect((await tryLogin('kim', 'second-passphrase')).status).toBe(200);
      expect((await tryLogin('lee', 'from-stdin-words')).status).toBe(401);
    } finally {
      await center.stop();
    }
  });

  it('imports customers from a CSV file, reporting rejected lines (exit 2)', async () => {
    const csv = path.join(dir, 'customers.csv');
    writeFileSync(csv, 'external_id,display_name,phone\nC-1,Kim Minji,010-1234-5678\nC-2,Lee Jun,not a phone\nC-3,Park,010-2222-3333\n');
    const r = await run(['import', 'customers', csv, '--tenant', 'acme']);
    expect(r.out).toMatch(/Imported 2 of 3 rows; 1 rejected/);
    expect(r.out).toMatch(/line 3:/);
    expect(r.code).toBe(2);
    expect((await run(['import', 'customers', '--tenant', 'acme'])).code).toBe(64);
  });

  it('prints a new CTI webhook secret for a tenant, and refuses a tenant that does not exist', async () => {
    const made = await run(['tenant', 'set-webhook-secret', '--id', 'acme']);
    expect(made.code).toBe(0);
    const secret = made.out.trim();
    expect(secret).toMatch(/^whsec-[A-Za-z0-9_-]{32}$/);
    expect(made.err).not.toContain(secret);
    const again = await run(['tenant', 'set-webhook-secret', '--id', 'acme']);
    expect(again.out.trim()).not.toBe(secret);
    expect(await run(['tenant', 'set-webhook-secret', '--id', 'nope'])).toMatchObject({ code: 1, err: expect.stringMatching(/No tenant nope/) });
  });

  it('records every administrative command in the audit trail (who ran it, never a secret), reads a customer\'s history, sets the lookup limit', async () => {
    expect((await run(['tenant', 'set-lookup-limit', '--id', 'acme', '--per-minute', '30'])).out).toMatch(/at most 30 customer lookups a minute per user/);
    expect(await run(['tenant', 'set-lookup-limit', '--id', 'acme', '--per-minute', '0'])).toMatchObject({ code: 1, err: expect.stringMatching(/from 1 to 100000, or none/) });
    expect((await run(['user', 'unlock', '--tenant', 'acme', '--username', 'kim'])).code).toBe(0);
    const db = await openDb({ dataDir: dir });
    let customer: string;
    try {
      const rows = await db.query<{ action: string; reason: string }>(`SELECT action, reason FROM audit_log WHERE tenant_id = 'acme' AND action LIKE 'admin.%' ORDER BY id`);
      expect(rows.map((r) => r.action)).toEqual([
        'admin.tenant_added',
        'admin.user_added',
        'admin.user_added',
        'admin.password_reset',
        'admin.user_disabled',
        'admin.customers_imported',
        'admin.webhook_secret_made',
        'admin.webhook_secret_made',
        'admin.lookup_limit_set',
        'admin.user_unlocked',
      ]);
      for (const r of rows) expect(r.reason).toMatch(/^command line \(.+ on .+\): /);
      expect(JSON.stringify(rows)).not.toMatch(/whsec-|passphrase/);
      customer = (await db.query<{ id: string }>(`SELECT id::text AS id FROM customers WHERE tenant_id = 'acme' AND external_id = 'C-1'`))[0]!.id;
      await db.query(`INSERT INTO audit_log (tenant_id, user_id, action, customer_id, reason) SELECT 'acme', id, 'customer.lookup', $1, 'search' FROM users WHERE username = 'kim'`, [customer]);
    } finally {
      await db.close();
    }
    const history = await run(['audit', 'customer', '--tenant', 'acme', '--customer', customer]);
    expect(history.code).toBe(0);
    expect(history.out).toMatch(/customer\.lookup\s+kim\s+search/);
    expect((await run(['audit', 'customer', '--tenant', 'acme', '--customer', 'C-1'])).code).toBe(64);
    const again = await run(['audit', 'customer', '--tenant', 'acme', '--customer', customer]);
    expect(again.out).toMatch(/admin\.customer_access_read\s+command line/);
  });

  it('explains usage mistakes with exit code 64', async () => {
    for (const args of [['frobnicate'], ['--port', 'abc'], ['--offer-interval', '40-20', '--simulate'], ['--simulate', '--handle-time', 'soon'], ['--simulate', '--unknown-caller-share', '1.5'], ['--simulate', '--unknown-caller-share', ''], ['user', 'add', '--tenant', 'acme'], ['--bogus'], ['--simulate', '--colleagues']]) {
      const c = capture();
      expect(await main(args, c.io)).toBe(64);
      expect(c.err()).toMatch(/Usage: earshot-center/);
    }
    const c = capture();
    expect(await main(['user', 'disable', '--tenant', 'a', '--username', 'b'], c.io)).toBe(64);
    expect(c.err()).toMatch(/--data-dir DIR \(PGlite\) or DATABASE_URL/);
  });

  it('runs the center, prints where it listens, and stops on the signal', async () => {
    let stop!: (s: string) => void;
    const signal = new Promise<string>((r) => (stop = r));
    const c = capture([], signal);
    const exit = main(['--port', '0', '--data-dir', dir, '--log-level', 'silent'], c.io);
    let line: RegExpMatchArray | null = null;
    for (let i = 0; i < 600 && !line; i += 1) {
      line = /^Earshot center listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(c.out());
      if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    expect(line).not.toBeNull();
    expect((await fetch(`${line![1]}/healthz`)).status).toBe(200);
    stop('SIGTERM');
    expect(await exit).toBe(0);
    await expect(fetch(`${line![1]}/healthz`)).rejects.toThrow();
  });
});
