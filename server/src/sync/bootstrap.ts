// Bootstrap (SYNC.md, "Bootstrap and reset"): a fresh desktop gets its whole scope — reference data,
// then its working set's customers, their latest contacts, notes and VOC items — read straight from
// the tables in keyset pages, then catches up from the change log.
//
// Consistency: the snapshot version V is the newest committed version when the bootstrap starts.
// Pages read rows as they are when each page is read (at V or later); every change committed after
// V is in the change log above V and is sent after the snapshot. Changes carry whole entities and
// are applied in order, so what the desktop ends with is the state at the end of the catch-up.
//
// Cursors: a bootstrap page's cursor is "0" followed by 19 digits, the token of a
// sync_bootstrap_pages row that records where the next page starts (phase and keyset position).
// Change-log cursors never have a leading zero, so the two cannot be confused; both are decimal
// strings that increase page after page, as the protocol's Version requires. The last snapshot page
// hands over a change-log cursor (V or later).
import type { Change, PullResponse } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db, Queryable } from '../db/db';
import { isoSql, loadReferenceData, vocItemJson } from '../db/records';
import { currentVersion } from './change-log';
import { startReadAhead, takeReadAhead } from './read-ahead';
import { GRANT_INTERACTIONS } from './scope';

const PHASES = ['queue', 'customer', 'interaction', 'note', 'voc_item'] as const;
type Phase = (typeof PHASES)[number];

interface Position {
  version: string;
  phase: Phase | 'done';
  /** Keyset position within the phase (empty at its start). */
  after: string[];
}

const NIL = '00000000-0000-0000-0000-000000000000';
/** Bootstrap positions are kept this long; a desktop that comes back later starts over (reset). */
const KEEP_POSITIONS = '1 day';

export const isBootstrapCursor = (cursor: string): boolean => cursor.length === 20 && cursor.startsWith('0');
const cursorOf = (token: string): string => `0${token.padStart(19, '0')}`;

/** Positions this process handed out lately: the next page usually comes back to the same node. */
const recent = new WeakMap<Db, Map<string, Position & { tenantId: string; userId: string }>>();
const RECENT_MAX = 5_000;

function remember(db: Db, token: string, pos: Position, who: Principal): void {
  let m = recent.get(db);
  if (!m) recent.set(db, (m = new Map()));
  m.set(token, { ...pos, tenantId: who.tenantId, userId: who.userId });
  if (m.size > RECENT_MAX) m.delete(m.keys().next().value!);
}

async function recall(db: Db, token: string, who: Principal): Promise<Position | null> {
  if (BigInt(token) > 2n ** 63n - 1n) return null; // not a bigint token: never handed out
  const hit = recent.get(db)?.get(token);
  if (hit) return hit.tenantId === who.tenantId && hit.userId === who.userId ? hit : null;
  const rows = await db.query<{ version: string; phase: Phase | 'done'; after: string[] }>(
    'SELECT version::text AS version, phase, after FROM sync_bootstrap_pages WHERE token = $1 AND tenant_id = $2 AND user_id = $3',
    [token, who.tenantId, who.userId],
  );
  return rows[0] ?? null;
}

/**
 * A keyset page of `sql` (rows `d`, the entity's JSON text with its `id`, and the phase's key
 * columns, ordered by `order`) read, and the position after its last row recorded (`last`: the
 * text[] key of a row, read in the reverse `reverse` order), in one statement. The page's entities
 * come back as one JSON array text: one value to read and one JSON.parse, where a row each cost the
 * driver a row object and the center a parse per row. Returns the changes, the position's key and
 * its token (both null when there were no rows).
 */
async function keysetPage(
  q: Queryable,
  who: Principal,
  version: string,
  entity: Exclude<Phase, 'queue'>,
  sql: string,
  params: unknown[],
  keys: { order: string; reverse: string; last: string },
): Promise<{ changes: Change[]; last: string[] | null; token: string | null }> {
  const p = (v: unknown) => `$${params.push(v)}`;
  const [r] = await q.query<{ token: string | null; after: string[] | null; data: string }>(
    `WITH page AS (${sql}),
     pos AS (
       INSERT INTO sync_bootstrap_pages (tenant_id, user_id, version, phase, after)
       SELECT ${p(who.tenantId)}, ${p(who.userId)}::uuid, ${p(version)}::bigint, ${p(entity)}, ${keys.last}
         FROM (SELECT * FROM page ORDER BY ${keys.reverse} LIMIT 1) l
       RETURNING token::text AS token, after)
     SELECT (SELECT token FROM pos) AS token, (SELECT after FROM pos) AS after,
            COALESCE('[' || string_agg(page.d, ',' ORDER BY ${keys.order}) || ']', '[]') AS data
       FROM page`,
    params,
    { prepare: true }, // one text per phase, run for every page of every bootstrap
  );
  const data = JSON.parse(r!.data) as Array<{ id: string }>;
  return { changes: data.map((d): Change => ({ version, entity, id: d.id, op: 'upsert', data: d })), last: r!.after, token: r!.token };
}

interface PhaseRead {
  changes: Change[];
  last: string[];
  /** The recorded position after the last row (null: none recorded, e.g. no rows). */
  token: string | null;
  /** No rows of this phase remain after `last`. */
  done: boolean;
}

/**
 * At most `n` of the user's working-set customers after (`>`) or from (`>=`) a key, in key order.
 * Bounding the walk here keeps a page's cost to its own rows whatever the planner believes of
 * working_set: right after a bulk insert, before any ANALYZE, it took the user's whole set for a
 * few rows and joined all of it on every page (measured: pages slowing to ~1 s at 20k customers).
 */
const wsWindow = (op: '>' | '>=', from: string, n: string) =>
  `(SELECT customer_id FROM working_set WHERE user_id = $2::uuid AND tenant_id = $1 AND customer_id ${op} ${from}::uuid ORDER BY customer_id LIMIT ${n})`;

// Rows leave PostgreSQL already in their wire shape (shared/domain entities, ISO-8601 UTC times
// with milliseconds, as `iso()` writes them), a page's changes in one JSON text (keysetPage). Building
// that JSON is most of PostgreSQL's cost of a page, so the cheapest form each entity allows is used:
// json_build_object looks up how to write each of its arguments on every call, row_to_json and
// json_object do less (measured on 50k interactions: 250-300 ms, 150-160 ms and 110 ms).
const CUSTOMER_JSON = `row_to_json((SELECT r FROM (SELECT c.id, c.display_name AS "displayName", c.language, c.segment,
  COALESCE((SELECT json_agg(i ORDER BY i.kind, i.value) FROM (SELECT ci.kind, ci.value FROM customer_identities ci
             WHERE ci.tenant_id = c.tenant_id AND ci.customer_id = c.id) i), '[]'::json) AS identities,
  c.consent, c.value, c.flags, c.provisional, ${isoSql('c.updated_at')} AS "updatedAt", ${isoSql('c.created_at')} AS since) r))::text`;
/** Every Interaction field is a string or null, so json_object's text pairs write it exactly. */
const INTERACTION_JSON = (x: string) => `json_object('{id,customerId,channel,direction,queue,agent,startedAt,answeredAt,endedAt,ani,dnis,disposition,subject}'::text[],
  ARRAY[${x}.id::text, ${x}.customer_id::text, ${x}.channel, ${x}.direction, ${x}.queue, ${x}.agent, ${isoSql(`${x}.started_at`)}, ${isoSql(`${x}.answered_at`)},
        ${isoSql(`${x}.ended_at`)}, ${x}.ani, ${x}.dnis, ${x}.disposition, ${x}.subject])::text`;
const NOTE_JSON = `json_build_object('id', x.id, 'customerId', x.customer_id, 'interactionId', x.interaction_id, 'author', x.author,
  'text', x.text, 'revision', x.revision, 'createdAt', ${isoSql('x.created_at')}, 'updatedAt', ${isoSql('x.updated_at')})::text`;
const VOC_JSON = `${vocItemJson('x')}::text`;

/** One phase's next rows after `after`, at most `n`, with the keyset position of the last one. */
async function readPhase(q: Queryable, who: Principal, phase: Phase, after: string[], n: number, version: string): Promise<PhaseRead> {
  switch (phase) {
    case 'queue': {
      // Reference data (queues, the VOC catalogue, departments): few per tenant; read them all,
      // continue after the last one sent.
      const all = await loadReferenceData(q, who.tenantId);
      const key = (x: { entity: string; id: string }) => `${x.entity}/${x.id}`;
      const from = after.length > 0 ? all.findIndex((x) => key(x) === after[0]) + 1 : 0;
      const slice = all.slice(from, from + n);
      return {
        changes: slice.map((x): Change => ({ version, entity: x.entity, id: x.id, op: 'upsert', data: x.data })),
        last: slice.length > 0 ? [key(slice[slice.length - 1]!)] : after,
        token: null,
        done: slice.length < n,
      };
    }
    case 'customer': {
      // Each customer looked up by key (LIMIT 1 keeps the lateral a nested loop): joined plainly,
      // the planner hashed the whole customers table for every page (32 ms a page at 20k customers
      // against 12, and growing with the table).
      const { changes, last, token } = await keysetPage(
        q,
        who,
        version,
        phase,
        `SELECT ws.customer_id AS id, c.d FROM ${wsWindow('>', '$3', '$4')} ws
           CROSS JOIN LATERAL (SELECT ${CUSTOMER_JSON} AS d FROM customers c WHERE c.id = ws.customer_id AND c.tenant_id = $1 LIMIT 1) c
          ORDER BY ws.customer_id`,
        [who.tenantId, who.userId, after[0] ?? NIL, n],
        { order: 'id', reverse: 'id DESC', last: 'ARRAY[l.id::text]' },
      );
      // Every working-set row has its customer (foreign key): a short page is the end of the set.
      return { changes, last: last ?? after, token, done: changes.length < n };
    }
    case 'interaction': {
      // Each customer's newest GRANT_INTERACTIONS contacts, as a lookup's grant sends them; keyset
      // (customer, started_at DESC, id). started_at travels as text so the position keeps microseconds.
      // The page's rows are chosen first (an incremental sort stops at the page's last customer) and
      // only they are built into JSON: the window may hold far more contacts than the page takes.
      const [customer = NIL, started = 'infinity', id = NIL] = after;
      const { changes, last, token } = await keysetPage(
        q,
        who,
        version,
        phase,
        `SELECT ws.customer_id, i.started_at, i.id, ${INTERACTION_JSON('i')} AS d
           FROM ${wsWindow('>=', '$3', '$6')} ws
           CROSS JOIN LATERAL (
             SELECT x.* FROM interactions x
              WHERE x.tenant_id = $1 AND x.customer_id = ws.customer_id ORDER BY x.started_at DESC, x.id LIMIT ${GRANT_INTERACTIONS}) i
          WHERE ws.customer_id > $3::uuid OR i.started_at < $4::timestamptz OR (i.started_at = $4::timestamptz AND i.id > $5::uuid)
          ORDER BY ws.customer_id, i.started_at DESC, i.id LIMIT $6`,
        [who.tenantId, who.userId, customer, started, id, n],
        {
          order: 'customer_id, started_at DESC, id',
          reverse: 'customer_id DESC, started_at, id DESC',
          last: 'ARRAY[l.customer_id::text, l.started_at::text, l.id::text]',
        },
      );
      if (changes.length === n) return { changes, last: last!, token, done: false };
      // Short: either the set ended, or the window's customers (some with no contacts) had fewer
      // than n rows; then continue from the start of the first customer after the window.
      const [w] = await q.query<{ id: string }>(
        'SELECT customer_id::text AS id FROM working_set WHERE user_id = $2::uuid AND tenant_id = $1 AND customer_id >= $3::uuid ORDER BY customer_id OFFSET $4 LIMIT 1',
        [who.tenantId, who.userId, customer, n],
      );
      return w ? { changes, last: [w.id, 'infinity', NIL], token: null, done: false } : { changes, last: after, token: null, done: true };
    }
    case 'note':
    case 'voc_item': {
      const [table, json] = phase === 'note' ? ['notes', NOTE_JSON] : ['voc_items', VOC_JSON];
      const [customer = NIL, id = NIL] = after;
      const { changes, last, token } = await keysetPage(
        q,
        who,
        version,
        phase,
        `SELECT ws.customer_id, r.id, r.d FROM working_set ws
           CROSS JOIN LATERAL (
             SELECT x.id, ${json} AS d FROM ${table} x WHERE x.tenant_id = $1 AND x.customer_id = ws.customer_id ORDER BY x.id) r
          WHERE ws.user_id = $2::uuid AND ws.tenant_id = $1 AND ws.customer_id >= $3::uuid AND (ws.customer_id > $3::uuid OR r.id > $4::uuid)
          ORDER BY ws.customer_id, r.id LIMIT $5`,
        [who.tenantId, who.userId, customer, id, n],
        { order: 'customer_id, id', reverse: 'customer_id DESC, id DESC', last: 'ARRAY[l.customer_id::text, l.id::text]' },
      );
      return { changes, last: last ?? after, token, done: changes.length < n };
    }
  }
}

/** Reads the page that starts at `pos` and records the position after it. */
async function readPage(
  db: Db,
  who: Principal,
  pos: Position,
  limit: number,
  catchUp: (from: string, limit: number) => Promise<PullResponse>,
): Promise<PullResponse> {
  const changes: Change[] = [];
  let { phase, after } = pos;
  let token: string | null = null;
  while (phase !== 'done' && changes.length < limit) {
    const want = limit - changes.length;
    const got = await readPhase(db, who, phase, after, want, pos.version);
    changes.push(...got.changes);
    if (got.done) {
      phase = PHASES[PHASES.indexOf(phase) + 1] ?? 'done';
      after = [];
    } else {
      after = got.last;
      token = got.token; // recorded by the query that read it, or null (recorded below)
    }
  }
  if (phase === 'done') {
    // The snapshot is complete: hand over to the change log from V, in this page if there is room.
    if (changes.length >= limit) return { changes, cursor: pos.version, hasMore: true, reset: false };
    const rest = await catchUp(pos.version, limit - changes.length);
    return { changes: [...changes, ...rest.changes], cursor: rest.cursor, hasMore: rest.hasMore, reset: rest.reset };
  }
  const next: Position = { version: pos.version, phase, after };
  if (token === null) {
    const rows = await db.query<{ token: string }>(
      'INSERT INTO sync_bootstrap_pages (tenant_id, user_id, version, phase, after) VALUES ($1, $2, $3, $4, $5) RETURNING token::text AS token',
      [who.tenantId, who.userId, next.version, next.phase, next.after],
    );
    token = rows[0]!.token;
  }
  remember(db, token, next, who);
  return { changes, cursor: cursorOf(token), hasMore: true, reset: false };
}

/**
 * One bootstrap page: from the start (`cursor` null) or from a bootstrap cursor. `catchUp` reads the
 * change log from the snapshot version once the snapshot is complete (the regular pull's page).
 */
export async function pullBootstrap(
  db: Db,
  who: Principal,
  cursor: string | null,
  limit: number,
  catchUp: (from: string, limit: number) => Promise<PullResponse>,
): Promise<PullResponse> {
  let res: PullResponse | null;
  if (cursor === null) {
    await db.query(`DELETE FROM sync_bootstrap_pages WHERE created_at < now() - interval '${KEEP_POSITIONS}'`);
    // PGlite has no autovacuum, so nothing else gathers the planner's statistics; without them it may
    // read a whole working set per page instead of walking it in key order (measured: 14x slower).
    if (db.driver === 'pglite') await db.exec('ANALYZE working_set');
    res = await readPage(db, who, { version: await currentVersion(db), phase: PHASES[0], after: [] }, limit, catchUp);
  } else {
    res = await takeReadAhead(db, who, cursor, limit);
    if (!res) {
      const pos = await recall(db, BigInt(cursor).toString(), who);
      // Unknown or expired (or another user's): start again from an empty cache.
      if (!pos) return { changes: [], cursor, hasMore: false, reset: true };
      res = await readPage(db, who, pos, limit, catchUp);
    }
  }
  if (res.hasMore && isBootstrapCursor(res.cursor)) {
    const pos = recent.get(db)?.get(BigInt(res.cursor).toString());
    if (pos) startReadAhead(db, who, res.cursor, limit, () => readPage(db, who, pos, limit, catchUp));
  }
  return res;
}
