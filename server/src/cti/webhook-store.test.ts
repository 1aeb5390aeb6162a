// The webhook's secrets at the center: badly signed requests and made-up tenants cost no more database
// reads than good ones, and a secret made a moment ago is still accepted on its first request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import { ensureTenant } from '../auth/users';
import type { Db, QueryOptions } from '../db/db';
import { openDb } from '../db/open';
import { createMemoryWebhookStore, handleCtiWebhook, signCtiWebhook } from './webhook';
import { createWebhookSecret, createWebhookSecretCache } from './webhook-store';

forEachDriver('CTI webhook secrets', ({ freshDatabase }) => {
  let db: Db;
  let counted: Db;
  let reads = 0;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await ensureTenant(db, { id: 'acme', name: 'Acme', timeZone: 'UTC' });
    counted = {
      ...db,
      query: <T>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<T[]> => {
        if (sql.includes('FROM cti_webhook_secrets')) reads++;
        return db.query<T>(sql, params, opts);
      },
    };
  });
  afterAll(async () => {
    await db?.close();
  });

  const send = (secretsFor: (tenant: string, fresh?: boolean) => Promise<readonly string[]>, tenant: string, secret: string, n: number) => {
    const raw = Buffer.from(JSON.stringify({ eventId: `e-${tenant}-${n}`, type: 'agent_paused', occurredAt: new Date().toISOString(), agent: 'agent1', paused: true }));
    const ts = Math.floor(Date.now() / 1000);
    return handleCtiWebhook(
      { headers: { 'x-earshot-tenant': tenant, 'x-earshot-timestamp': String(ts), 'x-earshot-signature': signCtiWebhook(secret, ts, raw) }, rawBody: raw },
      { secretsFor, store: createMemoryWebhookStore(), callIdKey: async () => 'k', onEvent: () => undefined },
    );
  };

  it('answers a flood of bad signatures and made-up tenants with one read a second, not one each', async () => {
    const good = await createWebhookSecret(db, 'acme');
    const secrets = createWebhookSecretCache(counted);
    expect((await send(secrets, 'acme', good, 0)).status).toBe(202);
    const before = reads;
    const started = Date.now();
    const answers = await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => send(secrets, 'acme', 'not-the-secret', i)),
      ...Array.from({ length: 200 }, (_, i) => send(secrets, `made-up-${i}`, 'not-the-secret', i)),
    ]);
    expect(answers.every((a) => a.status === 401)).toBe(true);
    const seconds = (Date.now() - started) / 1000;
    expect(reads - before).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  it('accepts a secret made a moment ago on its first request', async () => {
    const secrets = createWebhookSecretCache(counted);
    const old = await createWebhookSecret(db, 'acme');
    expect((await send(secrets, 'acme', old, 1)).status).toBe(202); // just read
    const rotated = await createWebhookSecret(db, 'acme');
    expect((await send(secrets, 'acme', rotated, 2)).status).toBe(202);
    expect((await send(secrets, 'acme', old, 3)).status).toBe(202); // the previous one, during the overlap
  });
});
