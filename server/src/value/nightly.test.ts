// The nightly value recompute under an injected clock: due after 02:00 in each tenant's own zone, once
// per local date, made up after a missed night, refused zones reported without stopping the others.
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomerValue } from '../../../shared/domain';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { recomputeDueValues, startNightlyValues } from './nightly';

forEachDriver('nightly customer value recompute', ({ freshDatabase }) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await db.query(
      `INSERT INTO tenants (id, name, time_zone) VALUES ('seoul', 'Seoul', 'Asia/Seoul'), ('ny', 'New York', 'America/New_York'), ('mars', 'Bad zone', 'Mars/Olympus')`,
    );
    for (const t of ['seoul', 'ny']) {
      await db.query(`INSERT INTO customers (id, tenant_id, external_id, display_name) VALUES (gen_random_uuid(), $1, 'C-1', 'Kim')`, [t]);
      await db.query(
        `INSERT INTO purchases (id, tenant_id, customer_id, at, amount)
         SELECT 'P-1', $1, id, '2026-01-05T00:00:00Z', 100 FROM customers WHERE tenant_id = $1`,
        [t],
      );
    }
  });
  afterAll(async () => {
    await db.close();
  });

  const valueOf = async (tenant: string) =>
    (await db.query<{ value: CustomerValue | null }>(`SELECT value FROM customers WHERE tenant_id = $1`, [tenant]))[0]?.value ?? null;
  const due = async (iso: string) => {
    const r = await recomputeDueValues(db, new Date(iso));
    return { ran: r.ran.map((x) => `${x.tenantId} ${x.date}`), failed: r.failed.map((f) => f.tenantId) };
  };

  it('runs each tenant once per local night, after 02:00 in its own time zone', async () => {
    // 01:30 on 11 March in Seoul (not yet); 12:30 on 10 March in New York (due, never run).
    expect(await due('2026-03-10T16:30:00Z')).toEqual({ ran: ['ny 2026-03-10'], failed: ['mars'] });
    expect(await valueOf('ny')).toMatchObject({ tier: 'new', lifetimeValue: 100 });
    expect(await valueOf('seoul')).toBeNull();
    // 02:05 in Seoul: its night has come; New York's date has not changed.
    expect(await due('2026-03-10T17:05:00Z')).toEqual({ ran: ['seoul 2026-03-11'], failed: ['mars'] });
    expect(await valueOf('seoul')).toMatchObject({ tier: 'new' });
    expect(await due('2026-03-10T20:00:00Z')).toEqual({ ran: [], failed: ['mars'] });
    // 01:59 EDT (after the March change to summer time) on 11 March: not yet; 02:00: due.
    expect(await due('2026-03-11T05:59:00Z')).toEqual({ ran: [], failed: ['mars'] });
    expect(await due('2026-03-11T06:00:00Z')).toEqual({ ran: ['ny 2026-03-11'], failed: ['mars'] });
  });

  it('lets time move scores: a customer stops being new without any import', async () => {
    // Nights missed (the center was down): the next check makes them up, once, for the date it is.
    expect(await due('2026-04-20T03:00:00Z')).toEqual({ ran: ['ny 2026-04-19', 'seoul 2026-04-20'], failed: ['mars'] });
    expect(await valueOf('seoul')).toMatchObject({ tier: 'regular' });
    expect(await valueOf('ny')).toMatchObject({ tier: 'regular' });
  });

  it('the center worker checks on its own with the clock it is given, and stops', async () => {
    await db.query(
      `INSERT INTO purchases (id, tenant_id, customer_id, at, amount) SELECT 'P-2', 'ny', id, '2026-04-19T00:00:00Z', 200 FROM customers WHERE tenant_id = 'ny'`,
    );
    let now = new Date('2026-04-20T07:00:00Z'); // 03:00 EDT on 20 April: New York due
    const stop = startNightlyValues({ db, log: pino({ level: 'silent' }), clock: () => now, everyMs: 20 });
    const ranFor = async () => (await db.query<{ d: string }>(`SELECT values_recomputed_on::text AS d FROM tenants WHERE id = 'ny'`))[0]?.d;
    try {
      await expect.poll(() => valueOf('ny'), { timeout: 20_000, interval: 50 }).toMatchObject({ lifetimeValue: 300 });
      expect(await ranFor()).toBe('2026-04-20');
      now = new Date('2026-04-21T07:00:00Z');
      await expect.poll(ranFor, { timeout: 20_000, interval: 50 }).toBe('2026-04-21');
    } finally {
      await stop();
    }
  });
});
