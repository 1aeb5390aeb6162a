// Supervisors and admins who also take calls (users.takes_calls): over the real socket.io protocol
// they may set an agent state and control their calls, are counted on the floor but never made
// available by the center itself, and are offered calls; those who do not take calls are refused.
// `user takes-calls` sets it, refusing agents and staff, and signs the person out.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentStateUpdate, EVENTS } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { findUser } from '../auth/users';
import { openDb } from '../db/open';
import { runCli } from '../testing/cli';
import { offerCall } from '../index';
import { desktop, ok, phoneOf, smallTenant, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';

forEachDriver('supervisors who also take calls', ({ freshDatabase }) => {
  let t: TestCenter;
  let watcher: Desktop;
  const seen: AgentStateUpdate[] = [];
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase(), [smallTenant('demo', 1)]);
    // The admin watches the floor (agent:state goes to every supervisor and admin of the tenant).
    watcher = await desktop(t.center.url, 'demo', 'admin', undefined, (s) => s.on(EVENTS.agentState, (m: unknown) => seen.push(AgentStateUpdate.parse(m))));
  });
  afterAll(async () => {
    watcher?.close();
    await t?.stop();
  });

  it('lets super1 (who takes calls) be available and take a call, and refuses the admin (who does not)', async () => {
    expect(watcher.user.takesCalls).toBe(false);
    expect(await watcher.call(EVENTS.setAgentState, { state: 'available' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await watcher.call(EVENTS.callControl, { interactionId: '0190f000-0000-7000-8000-000000000001', action: 'answer' })).toMatchObject({ ok: false });

    const super1 = await desktop(t.center.url, 'demo', 'super1');
    try {
      expect(super1.user).toMatchObject({ role: 'supervisor', takesCalls: true });
      // Signed in to watch the floor: not made available by the center.
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.filter((s) => s.agent === 'super1' && s.state === 'available')).toEqual([]);

      expect(ok(await super1.call(EVENTS.setAgentState, { state: 'available' }))).toMatchObject({ agent: 'super1', state: 'available', by: 'agent' });
      await vi.waitFor(() => expect(seen.some((s) => s.agent === 'super1' && s.state === 'available')).toBe(true), { timeout: 5000 });

      const offers: unknown[] = [];
      super1.socket.on(EVENTS.callOffered, (m: unknown) => offers.push(m));
      const offered = await offerCall(t.center, { tenant: 'demo', username: 'super1', ani: phoneOf(t.tenants.demo!, 2), queue: 'general' });
      await vi.waitFor(() => expect(offers).toEqual([expect.objectContaining({ interactionId: offered.interactionId })]), { timeout: 5000 });
      expect(ok(await super1.call(EVENTS.setAgentState, { state: 'not_ready', reason: 'break' }))).toMatchObject({ state: 'not_ready', reason: 'break' });
    } finally {
      super1.close();
    }
  });
});

describe('earshot-center user takes-calls', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-takes-calls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => runCli({ dataDir: dir }, args);

  it('sets it for supervisors and admins only, and signs the person out', async () => {
    expect((await run(['tenant', 'add', '--id', 'acme', '--name', 'Acme'])).code).toBe(0);
    for (const [username, role] of [['sun', 'supervisor'], ['ann', 'agent'], ['sam', 'staff']] as const) {
      expect((await run(['user', 'add', '--tenant', 'acme', '--username', username, '--role', role, '--password', 'a long enough password'])).code).toBe(0);
    }
    expect(await run(['user', 'takes-calls', '--tenant', 'acme', '--username', 'sun', 'maybe'])).toMatchObject({ code: 1, err: expect.stringMatching(/Say on or off/) });
    expect(await run(['user', 'takes-calls', '--tenant', 'acme', '--username', 'ann', 'on'])).toMatchObject({ code: 1, err: expect.stringMatching(/an agent, who always takes calls/) });
    expect(await run(['user', 'takes-calls', '--tenant', 'acme', '--username', 'sam', 'on'])).toMatchObject({ code: 1, err: expect.stringMatching(/department staff/) });
    expect(await run(['user', 'takes-calls', '--tenant', 'acme', '--username', 'nobody', 'on'])).toMatchObject({ code: 1, err: expect.stringMatching(/No user "nobody"/) });

    const db = await openDb({ dataDir: dir });
    const sun = (await findUser(db, 'acme', 'sun'))!;
    await db.query(`INSERT INTO sessions (token_hash, user_id, tenant_id, expires_at) VALUES ('h1', $1, 'acme', now() + interval '1 hour')`, [sun.id]);
    await db.close();

    expect(await run(['user', 'takes-calls', '--tenant', 'acme', '--username', 'sun', 'on'])).toMatchObject({ code: 0, out: expect.stringMatching(/sun now takes calls too/) });
    const check = await openDb({ dataDir: dir });
    try {
      expect((await findUser(check, 'acme', 'sun'))?.takesCalls).toBe(true);
      const [session] = await check.query<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM sessions WHERE token_hash = 'h1'`);
      expect(session?.revoked).toBe(true);
      const audit = await check.query<{ detail: string }>(`SELECT reason AS detail FROM audit_log WHERE tenant_id = 'acme' AND action = 'admin.user_takes_calls'`);
      expect(audit.map((a) => a.detail)).toEqual([expect.stringMatching(/user takes-calls sun on$/)]);
    } finally {
      await check.close();
    }
  });
});
