// sync:pull over a real socket: bootstrap, keyset paging, scope per user, tenant isolation,
// tombstones, reset past the retention horizon and pokes — on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCHEMA_VERSION, CallOffered, Change, PullResponse, entityData, type PushResponse, type Entity } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { desktop, ok, phoneOf, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { offerCall } from '../index';
import { pruneChangeLog, pruneChangeLogBefore } from './pull';
import { currentVersion } from './change-log';
import { grantQueue } from './grants';

/** Pulls page by page from `cursor` until hasMore is false (bounded), checking every page's shape. */
async function pullAll(d: Desktop, cursor: string | null, limit = 1000): Promise<{ changes: Change[]; cursor: string; pages: number }> {
  const changes: Change[] = [];
  let pages = 0;
  for (; pages < 1000; pages += 1) {
    const page = PullResponse.parse(ok(await d.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor, limit })));
    expect(page.reset).toBe(false);
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, pages: pages + 1 };
  }
  throw new Error('pull did not finish in 1000 pages');
}
const idsOf = (changes: Change[], entity: Entity) => [...new Set(changes.filter((c) => c.entity === entity).map((c) => c.id))].sort();

forEachDriver('sync:pull', ({ freshDatabase }) => {
  let t: TestCenter;
  let a: Desktop;
  let b: Desktop;
  let acme: Desktop;
  let aCursor: string;
  let bCursor: string;

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    a = await desktop(t.center.url, 'demo', 'agent1');
    b = await desktop(t.center.url, 'demo', 'agent2');
    acme = await desktop(t.center.url, 'acme', 'agent1');
  });
  afterAll(async () => {
    for (const d of [a, b, acme]) d?.close();
    await t?.stop();
  });

  it('bootstraps a fresh desktop with reference data only, every change valid', async () => {
    const boot = await pullAll(a, null);
    expect(idsOf(boot.changes, 'queue')).toEqual(t.tenants.demo!.queues.map((q) => q.id).sort());
    // Reference data only: queues, the VOC catalogue and the departments.
    expect(idsOf(boot.changes, 'department')).toEqual(['billing', 'cs', 'logistics', 'marketing', 'product']);
    expect(idsOf(boot.changes, 'voc_topic')).toContain('billing/double-charge');
    expect(boot.changes.filter((c) => !['queue', 'voc_topic', 'department'].includes(c.entity))).toEqual([]);
    for (const c of boot.changes) expect(entityData[c.entity].safeParse(c.data).success).toBe(true);
    aCursor = boot.cursor;
    bCursor = (await pullAll(b, null)).cursor;
  });

  it('brings a looked-up customer with its whole history to that user only', async () => {
    const data = t.tenants.demo!;
    const customer = data.customers[0]!.customer;
    ok(await a.call('customer:lookup', { by: 'phone', value: phoneOf(data, 0), reason: 'screen_pop' }));
    const got = await pullAll(a, aCursor);
    expect(idsOf(got.changes, 'customer')).toEqual([customer.id]);
    expect(idsOf(got.changes, 'interaction')).toEqual(data.interactions.filter((i) => i.customerId === customer.id).map((i) => i.id).sort());
    expect(idsOf(got.changes, 'note')).toEqual(data.notes.filter((n) => n.customerId === customer.id).map((n) => n.id).sort());
    expect(idsOf(got.changes, 'voc_item')).toEqual(data.vocItems.filter((v) => v.customerId === customer.id).map((v) => v.id).sort());
    for (const c of got.changes) expect(entityData[c.entity].safeParse(c.data).success).toBe(true);
    aCursor = got.cursor;
    const other = await pullAll(b, bCursor);
    expect(other.changes).toEqual([]);
    bCursor = other.cursor;
  });

  it("shows another agent's note on a customer in my working set, but not on one outside it", async () => {
    const data = t.tenants.demo!;
    const mine = data.customers[0]!.customer.id; // in a's working set
    const notMine = data.customers[2]!.customer.id;
    const [n1, n2] = [randomUUID(), randomUUID()];
    const poked = new Promise<{ version: string }>((resolve) => a.socket.once('sync:poke', resolve));
    const r = ok(
      await b.call<PushResponse>('sync:push', {
        schemaVersion: SCHEMA_VERSION,
        clientId: b.clientId,
        mutations: b.mutations(1, [
          { name: 'note.save', args: { id: n1, customerId: mine, interactionId: null, text: 'called back', revision: 1 } },
          { name: 'note.save', args: { id: n2, customerId: notMine, interactionId: null, text: 'other', revision: 1 } },
        ]),
      }),
    );
    expect(r.rejected).toEqual([]);
    expect(BigInt((await poked).version)).toBeGreaterThanOrEqual(BigInt(r.version));
    const got = await pullAll(a, aCursor);
    expect(idsOf(got.changes, 'note')).toEqual([n1]);
    aCursor = got.cursor;
    // b wrote to both customers, so both are in b's working set now.
    const bGot = await pullAll(b, bCursor);
    expect(idsOf(bGot.changes, 'note')).toEqual(expect.arrayContaining([n1, n2]));
    expect(BigInt(bGot.cursor)).toBeGreaterThanOrEqual(BigInt(r.version));
    bCursor = bGot.cursor;
  });

  it('pages by version: small pages give the same changes as one big page, versions strictly increasing', async () => {
    const whole = await pullAll(a, null, 5000);
    const paged = await pullAll(a, null, 3);
    expect(paged.pages).toBeGreaterThan(2);
    const strip = (cs: Change[]) => cs.map((c) => `${c.entity}:${c.id}:${c.op}`);
    expect(strip(paged.changes).sort()).toEqual(strip(whole.changes).sort());
    // Snapshot rows carry the snapshot's version; change-log rows after it strictly increase.
    const versions = paged.changes.map((c) => BigInt(c.version));
    versions.forEach((v, i) => i > 0 && expect(v >= versions[i - 1]!).toBe(true));
    expect(idsOf(whole.changes, 'customer')).toEqual([...new Set([t.tenants.demo!.customers[0]!.customer.id])]);
  });

  it('keeps tenants apart: another tenant sees none of this one', async () => {
    const data = t.tenants.demo!;
    const byId = await acme.call('customer:lookup', { by: 'id', value: data.customers[0]!.customer.id, reason: 'search' });
    expect(ok(byId)).toBeNull();
    const boot = await pullAll(acme, null);
    const demoIds = new Set([...data.customers.map((c) => c.customer.id), ...data.interactions.map((i) => i.id), ...data.notes.map((n) => n.id)]);
    expect(boot.changes.filter((c) => demoIds.has(c.id))).toEqual([]);
    expect(boot.changes.every((c) => ['queue', 'voc_topic', 'department'].includes(c.entity))).toBe(true);
  });

  it('pokes stay within the tenant and the working set', async () => {
    let acmePokes = 0;
    let bPokes = 0;
    const countAcme = () => (acmePokes += 1);
    const countB = () => (bPokes += 1);
    acme.socket.on('sync:poke', countAcme);
    b.socket.on('sync:poke', countB);
    const aPoked = new Promise((resolve) => a.socket.once('sync:poke', resolve));
    // a writes on a customer only a holds (customers[0] is also b's since b wrote there: use a fresh one)
    const only = t.tenants.demo!.customers[8]!.customer.id;
    ok(await a.call('customer:lookup', { by: 'id', value: only, reason: 'search' }));
    await aPoked;
    // Same-connection order: a poke sent to them before now would arrive before these acks.
    await acme.call('customer:lookup', { by: 'id', value: 'x', reason: 'search' });
    await b.call('customer:lookup', { by: 'id', value: 'x', reason: 'search' });
    expect(acmePokes).toBe(0);
    expect(bPokes).toBe(0);
    acme.socket.off('sync:poke', countAcme);
    b.socket.off('sync:poke', countB);
    aCursor = (await pullAll(a, aCursor)).cursor;
  });

  it('sends a merged provisional customer as a merge and a tombstone', async () => {
    const dup = randomUUID();
    const known = t.tenants.demo!.customers[3]!.customer.id;
    ok(
      await a.call('sync:push', {
        schemaVersion: SCHEMA_VERSION,
        clientId: a.clientId,
        mutations: a.mutations(1, [{ name: 'customer.createProvisional', args: { id: dup, displayName: 'Caller', phone: phoneOf(t.tenants.demo!, 3) } }]),
      }),
    );
    const got = await pullAll(a, aCursor);
    const merge = got.changes.find((c) => c.entity === 'customer_merge');
    expect(merge?.data).toEqual({ fromId: dup, intoId: known });
    expect(got.changes.find((c) => c.entity === 'customer' && c.id === dup)).toMatchObject({ op: 'delete', data: null });
    expect(idsOf(got.changes, 'customer')).toContain(known);
    aCursor = got.cursor;
  });

  it("sends an unknown caller's offered call to the offered agent only, a known caller's to whoever holds them", async () => {
    const offered = new Promise<CallOffered>((resolve) => a.socket.once('cti:callOffered', resolve));
    const unknownCall = await offerCall(t.center, { tenant: 'demo', username: 'agent1', ani: '+15550100999', queue: 'general' });
    // The offer says the center knows nobody with that number (so the desktop needs no lookup).
    expect(CallOffered.parse(await offered)).toEqual({ ...unknownCall, caller: { asOf: expect.stringMatching(/^\d+$/), pop: null } });
    const aGot = await pullAll(a, aCursor);
    expect(idsOf(aGot.changes, 'interaction')).toEqual([unknownCall.interactionId]);
    aCursor = aGot.cursor;
    expect(idsOf((await pullAll(b, bCursor)).changes, 'interaction')).toEqual([]);
    // customers[0] is in a's working set: b's call from that customer reaches a too.
    const knownCall = await offerCall(t.center, { tenant: 'demo', username: 'agent2', ani: phoneOf(t.tenants.demo!, 0), queue: 'general' });
    const aGot2 = await pullAll(a, aCursor);
    expect(idsOf(aGot2.changes, 'interaction')).toEqual([knownCall.interactionId]);
    aCursor = aGot2.cursor;
  });

  it('prunes by age: rows older than the cutoff go, newer ones stay', async () => {
    const v = await currentVersion(t.center.db);
    await t.center.db.query(`UPDATE change_log SET created_at = now() - interval '40 days' WHERE version <= $1::bigint`, [v]);
    const pruned = await pruneChangeLogBefore(t.center.db, new Date(Date.now() - 30 * 86_400_000));
    expect(pruned).toBeGreaterThan(0);
    const [left] = await t.center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM change_log WHERE version <= $1::bigint', [v]);
    expect(left!.n).toBe(0);
    const page = PullResponse.parse(ok(await a.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: '0', limit: 10 })));
    expect(page.reset).toBe(true);
    aCursor = (await pullAll(a, null)).cursor;
  });

  it('answers reset to a cursor older than the retention horizon, and a new bootstrap works', async () => {
    const old = aCursor;
    await b.call('customer:lookup', { by: 'phone', value: phoneOf(t.tenants.demo!, 5), reason: 'search' });
    await grantQueue(t.center.db).settled(b.user.id); // its grant is the change that moves the version on
    await pruneChangeLog(t.center.db, await currentVersion(t.center.db));
    const page = PullResponse.parse(ok(await a.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: '1', limit: 10 })));
    expect(page).toMatchObject({ reset: true, changes: [], hasMore: false });
    const current = PullResponse.parse(ok(await a.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: await currentVersion(t.center.db), limit: 10 })));
    expect(current.reset).toBe(false);
    const again = await pullAll(a, null);
    expect(idsOf(again.changes, 'customer').length).toBeGreaterThan(0);
    expect(BigInt(again.cursor)).toBeGreaterThan(BigInt(old));
  });

  it('answers update_required and bad_request without dropping the connection', async () => {
    const old = await a.call('sync:pull', { schemaVersion: 0, cursor: null, limit: 10 });
    expect(old.ok ? null : old.error.code).toBe('update_required');
    const bad = await a.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: 'abc', limit: 10 });
    expect(bad.ok ? null : bad.error.code).toBe('bad_request');
    const huge = await a.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: null, limit: 100_000 });
    expect(huge.ok ? null : huge.error.code).toBe('bad_request');
    expect(a.socket.connected).toBe(true);
  });
});
