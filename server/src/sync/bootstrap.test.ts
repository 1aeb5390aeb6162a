// The paged bootstrap (sync/bootstrap.ts) over a real socket: page boundaries at every limit give the
// same scope exactly once, cursors only move forward, a retried page is the same page, a change made
// mid-bootstrap arrives, and foreign or unknown bootstrap cursors get a reset — on PGlite and PostgreSQL.
// On PostgreSQL the next page is read ahead: served only to its own user, cursor and limit, and bounded.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCHEMA_VERSION, Change, PullResponse, entityData, type PushResponse } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { loadCustomers, loadInteractions, loadNotes, loadReferenceData, loadVocItems } from '../db/records';
import { desktop, ok, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { readAheadStats } from './read-ahead';

const WORKING_SET = [0, 1, 2, 3, 4, 5, 6, 7];

forEachDriver('sync bootstrap', ({ driver, freshDatabase }) => {
  let t: TestCenter;
  let a: Desktop;
  let b: Desktop;
  let expected: string[];
  let reference: Awaited<ReturnType<typeof loadReferenceData>>;

  const pull = async (d: Desktop, cursor: string | null, limit: number) => PullResponse.parse(ok(await d.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor, limit })));

  /** Walks a bootstrap to its end, checking each page's bounds and that cursors move forward. */
  async function walk(d: Desktop, limit: number, between?: (page: PullResponse) => Promise<void>) {
    const changes: Change[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 10_000; n++) {
      const page: PullResponse = await pull(d, cursor, limit);
      expect(page.reset).toBe(false);
      expect(page.changes.length).toBeLessThanOrEqual(limit);
      if (cursor !== null && page.hasMore) expect(BigInt(page.cursor) > BigInt(cursor)).toBe(true);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor };
      await between?.(page);
    }
    throw new Error('bootstrap did not finish');
  }
  const keys = (changes: Change[]) => changes.map((c) => `${c.entity}:${c.id}`).sort();

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    a = await desktop(t.center.url, 'demo', 'agent1');
    b = await desktop(t.center.url, 'demo', 'agent2');
    const data = t.tenants.demo!;
    const ids = WORKING_SET.map((n) => data.customers[n]!.customer.id);
    await t.center.db.query(
      `INSERT INTO working_set (tenant_id, user_id, customer_id, reason) SELECT 'demo', $1, unnest($2::uuid[]), 'search'`,
      [a.user.id, ids],
    );
    // What a's scope holds: the tenant's reference data (queues, the VOC catalogue, departments) and
    // every row of those customers (the seed has fewer contacts per customer than a grant's cap).
    const inSet = new Set(ids);
    reference = await loadReferenceData(t.center.db, 'demo');
    expected = [
      ...reference.map((r) => `${r.entity}:${r.id}`),
      ...ids.map((id) => `customer:${id}`),
      ...data.interactions.filter((i) => i.customerId && inSet.has(i.customerId)).map((i) => `interaction:${i.id}`),
      ...data.notes.filter((n) => inSet.has(n.customerId)).map((n) => `note:${n.id}`),
      ...data.vocItems.filter((v) => inSet.has(v.customerId)).map((v) => `voc_item:${v.id}`),
    ].sort();
  });
  afterAll(async () => {
    for (const d of [a, b]) d?.close();
    await t?.stop();
  });

  it('sends the whole scope exactly once at every page size, phase ends on page ends included', async () => {
    const refs = reference.length;
    const limits = [1, 2, 3, 7, refs, refs + WORKING_SET.length, refs + WORKING_SET.length + 1, 5000];
    for (const limit of limits) {
      const { changes } = await walk(a, limit);
      expect(keys(changes), `limit ${limit}`).toEqual(expected);
      for (const c of changes) expect(entityData[c.entity].safeParse(c.data).success).toBe(true);
    }
  });

  it("sends each entity exactly as the center's loaders read it (the wire shape, to the millisecond)", async () => {
    const { changes } = await walk(a, 5000);
    const of = (entity: string) => changes.filter((c) => c.entity === entity);
    const db = t.center.db;
    const byId = <T extends { id: string }>(xs: T[]) => Object.fromEntries(xs.map((x) => [x.id, x]));
    const customers = byId(await loadCustomers(db, 'demo', of('customer').map((c) => c.id)));
    const interactions = byId(await loadInteractions(db, 'demo', of('interaction').map((c) => c.id)));
    const notes = byId(await loadNotes(db, 'demo', { ids: of('note').map((c) => c.id) }));
    const vocs = byId(await loadVocItems(db, 'demo', { ids: of('voc_item').map((c) => c.id) }));
    const refs = Object.fromEntries(['queue', 'voc_topic', 'department'].map((e) => [e, Object.fromEntries(reference.filter((r) => r.entity === e).map((r) => [r.id, r.data]))]));
    const loaded: Record<string, Record<string, unknown>> = { customer: customers, interaction: interactions, note: notes, voc_item: vocs, ...refs };
    expect(changes.length).toBe(expected.length);
    for (const c of changes) expect(c.data, `${c.entity} ${c.id}`).toEqual(loaded[c.entity]![c.id]);
  });

  it('walks past working-set customers with no contacts, however many fill a page', async () => {
    const data = t.tenants.demo!;
    // Five contact-less customers whose ids sort before every seeded one, then two with contacts.
    const empty = [1, 2, 3, 4, 5].map((n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`);
    await t.center.db.query(
      `INSERT INTO customers (id, tenant_id, external_id, display_name, language, updated_at)
       SELECT id, 'demo', 'no-contacts-' || id, 'No contacts', 'en', now() FROM unnest($1::uuid[]) id`,
      [empty],
    );
    const withContacts = data.customers.map((c) => c.customer.id).filter((id) => data.interactions.some((i) => i.customerId === id)).slice(0, 2);
    expect(withContacts.length).toBe(2);
    await t.center.db.query(
      `INSERT INTO working_set (tenant_id, user_id, customer_id, reason) SELECT 'demo', $1, unnest($2::uuid[]), 'search'`,
      [b.user.id, [...empty, ...withContacts]],
    );
    const inSet = new Set(withContacts);
    const contacts = data.interactions.filter((i) => i.customerId && inSet.has(i.customerId)).map((i) => `interaction:${i.id}`).sort();
    for (const limit of [1, 2, 3, 5, 6, 100]) {
      const { changes } = await walk(b, limit);
      expect(keys(changes.filter((c) => c.entity === 'interaction')), `limit ${limit}`).toEqual(contacts);
      expect(changes.filter((c) => c.entity === 'customer').length, `limit ${limit}`).toBe(empty.length + withContacts.length);
    }
  });

  if (driver === 'pglite') {
    it('reads no page ahead on PGlite (one query at a time: it would only delay other requests)', async () => {
      const stats = readAheadStats(t.center.db);
      const before = { ...stats };
      const { changes } = await walk(a, 3);
      expect(keys(changes)).toEqual(expected);
      expect(stats).toEqual(before);
    });
  }

  if (driver === 'pg') it('reads the next page ahead and serves it only to the same user, cursor and limit', async () => {
    const stats = readAheadStats(t.center.db);
    const before = { ...stats };
    // Walked page by page, each page after the first was read ahead while the previous one travelled.
    const { changes } = await walk(a, 3);
    expect(keys(changes)).toEqual(expected);
    const pages = Math.ceil(expected.length / 3);
    expect(stats.served - before.served).toBeGreaterThanOrEqual(pages - 2);
    expect(stats.failed).toBe(before.failed);

    // A page read ahead for limit 3 is not what a request with limit 4 gets: it is read for that limit.
    const first = await pull(a, null, 3);
    await new Promise((r) => setTimeout(r, 50)); // let the read-ahead finish
    const served = stats.served;
    const other = await pull(a, first.cursor, 4);
    expect(stats.served).toBe(served);
    expect(other.changes.length).toBe(4);
    // ...nor to another user holding a's cursor, who gets a reset and nothing of a's scope.
    const next = await pull(a, other.cursor, 3);
    expect(stats.served).toBe(served);
    expect(await pull(b, next.cursor, 3)).toMatchObject({ reset: true, changes: [], hasMore: false });
    // a asking for it gets it, read ahead.
    const mine = await pull(a, next.cursor, 3);
    expect(stats.served).toBe(served + 1);
    expect(mine.changes.length).toBe(3);
    // Mixed limits still walk the whole scope exactly once.
    const mixed: Change[] = [...first.changes, ...other.changes, ...next.changes, ...mine.changes];
    let page = mine;
    for (let n = 0; page.hasMore && n < 1000; n++) {
      page = await pull(a, page.cursor, n % 2 === 0 ? 5 : 2);
      mixed.push(...page.changes);
    }
    expect(keys(mixed)).toEqual(expected);
  });

  if (driver === 'pg') it('holds at most 32 pages read ahead: further walks go without, and the waiting ones are still served', async () => {
    const stats = readAheadStats(t.center.db);
    await new Promise((r) => setTimeout(r, 50)); // earlier tests' read-aheads have finished
    const before = { ...stats };
    // 40 bootstraps begun and left after their first page, as by desktops that went away.
    const firsts: PullResponse[] = [];
    for (let n = 0; n < 40; n++) firsts.push(await pull(a, null, 2));
    const started = stats.started - before.started;
    expect(started).toBeLessThanOrEqual(32);
    expect(stats.skipped - before.skipped).toBe(40 - started);
    expect(started).toBeGreaterThan(0);
    // The latest walk was skipped (the map was full); the first one's page waits and is served.
    const served = stats.served;
    const second = await pull(a, firsts[0]!.cursor, 2);
    expect(stats.served).toBe(served + 1);
    const fresh = await pull(a, firsts[39]!.cursor, 2);
    expect(stats.served).toBe(served + 1);
    expect(fresh.changes).toEqual(second.changes);
  });

  it('serves the same page again for a retried cursor (the answer was lost)', async () => {
    const first = await pull(a, null, 5);
    expect(first.hasMore).toBe(true);
    const second = await pull(a, first.cursor, 5);
    const again = await pull(a, first.cursor, 5);
    expect(again.changes).toEqual(second.changes);
  });

  it('brings a change made while the bootstrap is under way, with its latest content', async () => {
    const customerId = t.tenants.demo!.customers[WORKING_SET[0]!]!.customer.id;
    const noteId = randomUUID();
    expect(expected.filter((k) => k.startsWith('voc_item:')).length).toBeGreaterThan(1);
    let written = false;
    const { changes, cursor } = await walk(a, 1, async (page) => {
      // Once the snapshot is in its last phase (VOC items), notes are behind it: only the
      // catch-up from the snapshot's version can bring this one.
      if (written || page.changes[0]?.entity !== 'voc_item') return;
      written = true;
      const r = ok(
        await b.call<PushResponse>('sync:push', {
          schemaVersion: SCHEMA_VERSION,
          clientId: b.clientId,
          mutations: b.mutations(1, [{ name: 'note.save', args: { id: noteId, customerId, interactionId: null, text: 'during the bootstrap', revision: 1 } }]),
        }),
      );
      expect(r.rejected).toEqual([]);
    });
    expect(written).toBe(true);
    const notes = changes.filter((c) => c.entity === 'note' && c.id === noteId);
    expect(notes.length).toBeGreaterThan(0);
    expect((notes[notes.length - 1]!.data as { text: string }).text).toBe('during the bootstrap');
    // ...and the cursor it ends on is a change-log version past that write.
    expect(cursor.startsWith('0')).toBe(false);
    const after = await pull(a, cursor, 100);
    expect(after.changes.filter((c) => c.id === noteId)).toEqual([]);
  });

  it("resets a bootstrap cursor that is unknown or another user's", async () => {
    const first = await pull(a, null, 2);
    expect(first.cursor).toMatch(/^0\d{19}$/);
    const stolen = await pull(b, first.cursor, 2);
    expect(stolen).toMatchObject({ reset: true, changes: [], hasMore: false });
    const unknown = await pull(a, '09999999999999999999', 2);
    expect(unknown).toMatchObject({ reset: true, changes: [] });
    expect(a.socket.connected).toBe(true);
  });
  it('writes awkward text, identities, flags and times exactly as the loaders read them', async () => {
    // The page's JSON is built by PostgreSQL (row_to_json, json_object): quotes, backslashes, control
    // characters, non-ASCII and microsecond times must come out as the center's loaders read them.
    const db = t.center.db;
    const customerId = randomUUID();
    const interactionId = randomUUID();
    const awkward = 'Quote " back\\slash\nnew line\ttab \u0001 control, 한글 and 🙂';
    await db.query(
      `INSERT INTO customers (id, tenant_id, external_id, display_name, language, segment, value, flags, consent, provisional, updated_at, created_at)
       VALUES ($1, 'demo', $2, $3, 'ko', NULL, NULL, $4::jsonb, '{"phone":true,"email":false,"sms":false}', true,
               '2026-11-02T03:04:05.678901Z', '2020-01-01T00:00:00.000500Z')`,
      [customerId, `awkward-${customerId}`, awkward, JSON.stringify(['vip', awkward])],
    );
    await db.query(
      `INSERT INTO customer_identities (tenant_id, customer_id, kind, value) VALUES ('demo', $1, 'phone', '+82 10 "9999"'), ('demo', $1, 'email', $2)`,
      [customerId, `a\\b@${customerId.slice(0, 8)}.example`],
    );
    await db.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, queue, agent, started_at, answered_at, ended_at, ani, dnis, disposition, subject)
       VALUES ($1, 'demo', $2, 'email', 'outbound', NULL, 'agent2', '2026-11-03T10:00:00.123456Z', '2026-11-03T10:00:01.999999Z', NULL, $3, NULL, NULL, $4)`,
      [interactionId, customerId, '"0"\\', awkward],
    );
    await db.query(`INSERT INTO working_set (tenant_id, user_id, customer_id, reason) VALUES ('demo', $1, $2, 'search')`, [b.user.id, customerId]);

    for (const limit of [1, 2, 500]) {
      const { changes } = await walk(b, limit);
      const customer = changes.filter((c) => c.entity === 'customer' && c.id === customerId);
      const interaction = changes.filter((c) => c.entity === 'interaction' && c.id === interactionId);
      expect(customer.length, `limit ${limit}`).toBe(1);
      expect(interaction.length, `limit ${limit}`).toBe(1);
      expect(customer[0]!.data).toEqual((await loadCustomers(db, 'demo', [customerId]))[0]);
      expect(interaction[0]!.data).toEqual((await loadInteractions(db, 'demo', [interactionId]))[0]);
    }
    expect((await loadCustomers(db, 'demo', [customerId]))[0]).toMatchObject({ displayName: awkward, updatedAt: '2026-11-02T03:04:05.678Z', since: '2020-01-01T00:00:00.000Z' });
  });
});
