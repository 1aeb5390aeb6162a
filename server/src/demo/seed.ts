// Demo mode: seeds the generated demo tenant in a few big statements, once, then computes values.
import { createHash, randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/db';
import { generateDemoData, type DemoData } from './generate';
import { recomputeCustomerValues } from '../value/customer-values';
import { changeTx } from '../sync/change-log';
import { computeCustomerValues } from '../value/rfm';
import { seedDemoVoc, VOC_CODE_VERSION } from './voc-seed';

/**
 * Identifies what seeding `data` produces, for the in-memory template cache: the data itself and
 * the source of the code that writes it and computes values (so editing either invalidates).
 */
export function demoSeedKey(data: DemoData): string {
  return createHash('sha256')
    .update(JSON.stringify(data))
    .update(seedDemo.toString())
    .update(recomputeCustomerValues.toString())
    .update(computeCustomerValues.toString())
    // The VOC seed replays the workflow: its code is part of what the seed writes.
    .update(seedDemoVoc.toString())
    .update(VOC_CODE_VERSION)
    .digest('hex');
}

/** Inserts a JSON array through json_to_recordset: one statement however many rows. */
const json = (rows: unknown[]): string => JSON.stringify(rows);

/**
 * Seeds `data` (default: `generateDemoData()`) unless its tenant already exists; safe to call on
 * every start and from several nodes at once. Returns whether it seeded.
 */
export async function seedDemo(db: Db, opts: { data?: DemoData; now?: Date } = {}): Promise<{ seeded: boolean; tenantId: string }> {
  const data = opts.data ?? generateDemoData({ now: opts.now });
  const tenantId = data.tenant.id;
  const exists = await db.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  if (exists.length > 0) return { seeded: false, tenantId };
  // One hash per distinct password (the demo's users share one, which is public anyway): each costs
  // a good part of a second at today's scrypt parameters.
  const hashes = new Map<string, Promise<string>>();
  const hashOf = (password: string) => hashes.get(password) ?? hashes.set(password, hashPassword(password)).get(password)!;
  const users = await Promise.all(
    data.users.map(async (u) => ({ id: randomUUID(), username: u.username, display_name: u.displayName, role: u.role, takes_calls: u.takesCalls ?? false, password_hash: await hashOf(u.password) })),
  );

  const seeded = await changeTx(db, tenantId, async ({ q, record }) => {
    const t = await q.query('INSERT INTO tenants (id, name, time_zone) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id', [
      tenantId,
      data.tenant.name,
      data.tenant.timeZone,
    ]);
    if (t.length === 0) return false; // another node seeded it meanwhile
    // The generated data is consistent by construction; per-row foreign-key triggers would double
    // the seed time on embedded PGlite (where we are superuser). PostgreSQL keeps its checks.
    if (db.driver === 'pglite') await q.query('SET LOCAL session_replication_role = replica');
    await q.query(
      `INSERT INTO users (id, tenant_id, username, display_name, role, takes_calls, password_hash)
       SELECT id, $1, username, display_name, role, COALESCE(takes_calls, false), password_hash
         FROM json_to_recordset($2::json) AS u(id uuid, username text, display_name text, role text, takes_calls boolean, password_hash text)`,
      [tenantId, json(users)],
    );
    await q.query(
      `INSERT INTO queues (tenant_id, id, name, labels, disposition_required)
       SELECT $1, id, name, labels, "dispositionRequired" FROM json_to_recordset($2::json) AS x(id text, name text, labels jsonb, "dispositionRequired" boolean)`,
      [tenantId, json(data.queues)],
    );
    await q.query(
      `INSERT INTO queue_disposition_codes (tenant_id, queue_id, code, label, labels, position)
       SELECT $1, x.queue_id, x.code, x.label, x.labels, x.position FROM json_to_recordset($2::json) AS x(queue_id text, code text, label text, labels jsonb, position int)`,
      [tenantId, json(data.queues.flatMap((qu) => qu.dispositionCodes.map((c, position) => ({ queue_id: qu.id, ...c, position }))))],
    );
    await q.query(
      `INSERT INTO customers (id, tenant_id, external_id, display_name, language, segment, consent, flags, provisional, updated_at, created_at)
       SELECT id, $1, external_id, display_name, language, segment, consent, flags, provisional, updated_at, COALESCE(since, updated_at)
         FROM json_to_recordset($2::json) AS x(id uuid, external_id text, display_name text, language text, segment text,
                                                  consent jsonb, flags jsonb, provisional boolean, updated_at timestamptz, since timestamptz)`,
      [
        tenantId,
        json(
          data.customers.map(({ customer: c, externalId }) => ({
            id: c.id,
            external_id: externalId,
            display_name: c.displayName,
            language: c.language,
            segment: c.segment,
            consent: c.consent,
            flags: c.flags,
            provisional: c.provisional,
            updated_at: c.updatedAt,
            since: c.since,
          })),
        ),
      ],
    );
    await q.query(
      `INSERT INTO customer_identities (tenant_id, customer_id, kind, value)
       SELECT $1, customer_id, kind, value FROM json_to_recordset($2::json) AS x(customer_id uuid, kind text, value text)
       ON CONFLICT DO NOTHING`,
      [tenantId, json(data.customers.flatMap(({ customer: c }) => c.identities.map((i) => ({ customer_id: c.id, ...i }))))],
    );
    await q.query(
      `INSERT INTO purchases (id, tenant_id, customer_id, at, amount)
       SELECT id, $1, customer_id, at, amount FROM json_to_recordset($2::json) AS x(id text, customer_id uuid, at timestamptz, amount numeric)`,
      [tenantId, json(data.customers.flatMap(({ customer: c, purchases }) => purchases.map((p) => ({ ...p, customer_id: c.id }))))],
    );
    await q.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, queue, agent, agent_user_id, started_at, answered_at,
                                 ended_at, ani, dnis, disposition, subject)
       SELECT x.id, $1, x."customerId", x.channel, x.direction, x.queue, x.agent, u.id, x."startedAt", x."answeredAt", x."endedAt",
              x.ani, x.dnis, x.disposition, x.subject
         FROM json_to_recordset($2::json) AS x(id uuid, "customerId" uuid, channel text, direction text, queue text, agent text,
              "startedAt" timestamptz, "answeredAt" timestamptz, "endedAt" timestamptz, ani text, dnis text, disposition text, subject text)
         LEFT JOIN users u ON u.tenant_id = $1 AND u.username = x.agent`,
      [tenantId, json(data.interactions)],
    );
    await q.query(
      `INSERT INTO notes (id, tenant_id, customer_id, interaction_id, author, author_user_id, text, revision, created_at, updated_at)
       SELECT x.id, $1, x."customerId", x."interactionId", x.author, u.id, x.text, x.revision, x."createdAt", x."updatedAt"
         FROM json_to_recordset($2::json) AS x(id uuid, "customerId" uuid, "interactionId" uuid, author text, text text,
              revision int, "createdAt" timestamptz, "updatedAt" timestamptz)
         LEFT JOIN users u ON u.tenant_id = $1 AND u.username = x.author`,
      [tenantId, json(data.notes)],
    );
    await q.query(
      `INSERT INTO note_revisions (note_id, revision, tenant_id, text, saved_at)
       SELECT id, revision, tenant_id, text, updated_at FROM notes WHERE tenant_id = $1`,
      [tenantId],
    );
    await q.query(
      `INSERT INTO voc_items (id, tenant_id, customer_id, interaction_id, type, topic, description, status, created_by, created_by_user_id, created_at,
                             updated_at, topic_id, priority, safety, wants)
       SELECT x.id, $1, x."customerId", x."interactionId", x.type, x.topic, x.description, x.status, x."createdBy", u.id, x."createdAt",
              x."createdAt", x."topicId", x.priority, x.safety, x.wants
         FROM json_to_recordset($2::json) AS x(id uuid, "customerId" uuid, "interactionId" uuid, type text, topic text,
              description text, status text, "createdBy" text, "createdAt" timestamptz, "topicId" text, priority text, safety boolean, wants text)
         LEFT JOIN users u ON u.tenant_id = $1 AND u.username = x."createdBy"`,
      [tenantId, json(data.vocItems)],
    );
    // Queues are reference data every desktop of the tenant replicates. Customers need no change
    // rows: nobody's working set holds them yet, and entering one brings a snapshot.
    for (const queue of data.queues) record({ entity: 'queue', id: queue.id, op: 'upsert', data: queue });
    return true;
  });
  if (!seeded.value) return { seeded: false, tenantId };
  await seedDemoVoc(db, tenantId, data.vocItems, opts.now ?? new Date());
  await recomputeCustomerValues(db, tenantId, opts.now ?? new Date());
  // The demo's history is made up at once, before its customers have values: its items take the tier
  // their customer has now, as if it had been known when each was raised (the analysis' split by
  // value tier has something to show). The rollup triggers move them in the same statement.
  await db.query(
    `UPDATE voc_items v SET value_tier = c.value->>'tier' FROM customers c
      WHERE c.id = v.customer_id AND v.tenant_id = $1 AND v.value_tier IS NULL AND c.value->>'tier' IS NOT NULL`,
    [tenantId],
  );
  return { seeded: true, tenantId };
}
