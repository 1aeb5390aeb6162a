// Property: after any batch of random VOC changes — items raised (on any day, contact (its channel
// and queue) and customer tier), reclassified to another topic or type, handed over to another department, taken through
// their steps, told, followed up, reopened, withdrawn, their deadlines passing in the sweep — the
// rollup kept by the triggers equals a plain GROUP BY over the items, on PGlite and PostgreSQL; a
// later change of a customer's tier moves nothing; the rebuild command gives the same rollup back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VOC_TYPES, type VocActionArgs, type VocItem, type VocStatus } from '../../../shared/domain';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Principal } from '../auth/sessions';
import { createPrng } from '../base/random';
import { main } from '../cli';
import { loadVocItems } from '../db/records';
import { nextStep } from '../demo/voc-seed';
import { changeTx } from '../sync/change-log';
import { MutationRejected } from '../sync/mutations';
import { startTestCenter, type TestCenter } from '../testing/center-client';
import { createVocNotifier } from './notify';
import { monthsAsKept, rebuildRollups, rollupAsKept, rollupFromItems } from './rollups';
import { sweepDeadlines } from './worker';
import { applyVocAct, registerRaised } from './workflow';

const SEED = Number(process.env.VOC_ROLLUP_SEED ?? 24_2026);
const BATCHES = 8;
const CHANGES_PER_BATCH = 50;
const TENANT = 'demo';

interface Person {
  id: string;
  username: string;
  display_name: string;
  role: Principal['role'];
}

forEachDriver('VOC rollups', ({ freshDatabase }) => {
  let t: TestCenter;
  let dbOptions: { databaseUrl?: string };
  let people: Person[];
  const principal = (p: Person): Principal => ({ userId: p.id, tenantId: TENANT, username: p.username, displayName: p.display_name, role: p.role, tokenHash: '', expiresAt: new Date(Date.now() + 3_600_000) });

  beforeAll(async () => {
    dbOptions = await freshDatabase();
    t = await startTestCenter(dbOptions);
    // Nothing but this test moves items: the center's assigner would otherwise take routed ones.
    await t.center.db.query("UPDATE departments SET assignment = 'lead' WHERE tenant_id = $1", [TENANT]);
    people = await t.center.db.query<Person>('SELECT id, username, display_name, role FROM users WHERE tenant_id = $1', [TENANT]);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Both read in one snapshot: a commit between them cannot make them differ. */
  const bothWays = () =>
    t.center.db.tx(
      async (q) => {
        const months = await monthsAsKept(q, TENANT);
        // The monthly rollup is the daily one summed by month.
        expect(months.kept).toEqual(months.fromDays);
        return { kept: await rollupAsKept(q, TENANT), raw: await rollupFromItems(q, TENANT) };
      },
      { isolation: 'repeatable read' },
    );

  it('the seeded tenant starts with its rollup equal to the items', async () => {
    const { kept, raw } = await bothWays();
    expect(raw.length).toBeGreaterThan(10);
    expect(kept).toEqual(raw);
  });

  it(`stays equal to a GROUP BY over the items after every batch of random changes (seed ${SEED})`, async () => {
    const db = t.center.db;
    const rng = createPrng(SEED);
    const byName = new Map(people.map((p) => [p.username, p]));
    const supervisor = people.find((p) => p.role === 'supervisor')!;
    const agents = people.filter((p) => p.role === 'agent');
    const customers = await db.query<{ id: string }>('SELECT id FROM customers WHERE tenant_id = $1 ORDER BY id', [TENANT]);
    const contacts = await db.query<{ id: string; customer_id: string }>('SELECT id, customer_id FROM interactions WHERE tenant_id = $1 AND customer_id IS NOT NULL ORDER BY id', [TENANT]);
    const topics = (await db.query<{ id: string }>('SELECT id FROM voc_topics WHERE tenant_id = $1 AND parent_id IS NOT NULL ORDER BY id', [TENANT])).map((r) => r.id);
    const departments = (await db.query<{ id: string; lead: string }>('SELECT d.id, u.username AS lead FROM departments d JOIN users u ON u.id = d.lead_user_id WHERE d.tenant_id = $1 ORDER BY d.id', [TENANT]));
    const notifier = createVocNotifier({ db, outlet: { toAgent: () => undefined, toSupervisors: () => undefined }, log: { warn: () => undefined } });
    const mine: string[] = [];
    const done = new Map<string, number>();
    const count = (what: string) => done.set(what, (done.get(what) ?? 0) + 1);
    const act = async (who: Person, id: string, status: VocStatus, args: VocActionArgs, now = new Date()) => {
      try {
        await changeTx(db, TENANT, (tx) => applyVocAct(tx, principal(who), { id, expectedStatus: status, ...args } as never, randomUUID(), now));
        count(args.action === 'followUpOutcome' ? `followUp:${args.outcome}` : args.action);
      } catch (err) {
        if (!(err instanceof MutationRejected)) throw err;
        count('refused');
      }
    };

    for (let batch = 0; batch < BATCHES; batch++) {
      for (let c = 0; c < CHANGES_PER_BATCH; c++) {
        const roll = rng.int(0, 100);
        if (roll < 10 || mine.length < 5) {
          // Raised on a contact (its channel and queue) or without one, up to 40 days ago, as the push writes it.
          const contact = rng.chance(0.7) ? rng.pick(contacts) : null;
          const customerId = contact?.customer_id ?? rng.pick(customers).id;
          const type = rng.pick(VOC_TYPES);
          const id = randomUUID();
          const agent = rng.pick(agents);
          const createdAt = new Date(Date.now() - rng.int(0, 40 * 86_400) * 1000);
          await changeTx(db, TENANT, async (tx) => {
            await tx.q.query(
              `INSERT INTO voc_items (id, tenant_id, customer_id, interaction_id, type, topic, description, status, created_by, created_by_user_id, created_at, topic_id, priority)
               VALUES ($1, $2, $3, $4, $5, 'A topic', 'What the customer said.', 'raised', $6, $7, $8, $9, $10)`,
              [id, TENANT, customerId, contact?.id ?? null, type, agent.username, agent.id, createdAt, rng.chance(0.85) ? rng.pick(topics) : rng.chance(0.5) ? 'not/in-catalogue' : null, rng.pick(['normal', 'high', 'urgent'])],
            );
            await registerRaised(tx, principal(agent), [{ id, resolvedOnContact: type === 'inquiry' && rng.chance(0.5) }], createdAt);
          });
          mine.push(id);
          count('raise');
          continue;
        }
        // Mostly items still in the loop: ended ones only change by a rebuild.
        let item: VocItem | undefined;
        for (let tries = 0; tries < 4; tries++) {
          [item] = (await loadVocItems(db, TENANT, { ids: [rng.pick(mine)] })) as VocItem[];
          if (item!.status !== 'closed' && item!.status !== 'withdrawn') break;
        }
        const id = item!.id;
        const status = item!.status;
        if (roll < 18) {
          // Reclassified: another topic, type or priority, or unclassified.
          await act(supervisor, id, status, { action: 'reclassify', type: rng.pick(VOC_TYPES), topicId: rng.chance(0.9) ? rng.pick(topics) : null, priority: rng.pick(['normal', 'high', 'urgent'] as const) });
        } else if (roll < 23) {
          await act(supervisor, id, status, { action: 'handOver', departmentId: rng.pick(departments).id, reason: 'Belongs elsewhere.' });
        } else if (roll < 25) {
          await act(supervisor, id, status, { action: 'withdraw', reason: 'Raised twice.' });
        } else if (roll < 29 && (status === 'customer_notified' || status === 'follow_up')) {
          await act(supervisor, id, status, { action: 'customerRejected', reason: 'Still broken.' });
        } else if (roll < 35 && status === 'follow_up') {
          await act(rng.pick(agents), id, status, { action: 'followUpOutcome', outcome: rng.pick(['satisfied', 'dissatisfied', 'no_answer', 'refused'] as const) });
        } else if (roll < 38) {
          // A value recompute moves the customer to another tier: the items they raised stay where they were.
          await db.query(`UPDATE customers SET value = jsonb_set(COALESCE(value, '{}'), '{tier}', to_jsonb($2::text)) WHERE id = $1`, [item!.customerId, rng.pick(['vip', 'loyal', 'at_risk', 'new'])]);
          count('tierChange');
        } else {
          // The next step of the loop, by whoever takes it.
          const told = new Date(Math.max(Date.parse(item!.createdAt), Date.now() - rng.int(0, 20 * 86_400) * 1000));
          const next = nextStep(status, rng.chance(0.2) ? 'reopened' : 'closed', item!, rng, told);
          if (!next) continue;
          const dept = departments.find((d) => d.id === item!.departmentId);
          const owner = people.find((p) => p.id === item!.ownerUserId) ?? (dept ? byName.get(dept.lead)! : supervisor);
          const who = next.by === 'owner' ? owner : next.by === 'lead' ? (dept ? byName.get(dept.lead)! : supervisor) : rng.pick(agents);
          await act(who, id, status, next.args);
        }
      }
      // Some deadlines pass, and the sweep marks them.
      await db.query("UPDATE voc_items SET acknowledge_due = now() - interval '1 second' WHERE tenant_id = $1 AND acknowledged_at IS NULL AND acknowledge_due IS NOT NULL AND random() < 0.5", [TENANT]);
      await db.query("UPDATE voc_items SET resolve_due = now() - interval '1 second' WHERE tenant_id = $1 AND resolved_at IS NULL AND resolve_due IS NOT NULL AND random() < 0.3", [TENANT]);
      await sweepDeadlines(db, notifier, () => undefined);

      const { kept, raw } = await bothWays();
      expect(kept, `batch ${batch}`).toEqual(raw);
    }
    // The run did exercise the loop (a run that changes nothing proves nothing).
    for (const what of ['raise', 'reclassify', 'handOver', 'withdraw', 'take', 'recordResult', 'notifyCustomer', 'tierChange']) expect(done.get(what) ?? 0, what).toBeGreaterThan(0);
    // Every scope dimension the analysis filters by varies among the kept cells (queue and channel
    // from the contact, tier from the customer, department from routing), '' (none) among them.
    const kept = await rollupAsKept(db, TENANT);
    for (const dim of ['queue', 'channel', 'tier', 'department_id'] as const) {
      const values = new Set(kept.map((r) => r[dim]));
      expect(values.size, dim).toBeGreaterThan(2);
      if (dim !== 'department_id') expect(values.has(''), dim).toBe(true);
    }
    const [figures] = await db.query<{ reopened: number; told: number; late: number; satisfied: number }>(
      'SELECT sum(reopened)::int AS reopened, sum(told)::int AS told, sum(ack_late + ack_missed + resolve_missed)::int AS late, sum(happy_answered)::int AS satisfied FROM voc_rollup_days WHERE tenant_id = $1',
      [TENANT],
    );
    expect(figures!.reopened).toBeGreaterThan(0);
    expect(figures!.told).toBeGreaterThan(0);
    expect(figures!.late).toBeGreaterThan(0);
    expect(figures!.satisfied).toBeGreaterThan(0);
  }, 300_000);

  it('the rebuild recomputes the same rollup, and mends one that was tampered with', async () => {
    const db = t.center.db;
    const before = await rollupAsKept(db, TENANT);
    await db.query("UPDATE voc_rollup_days SET raised = raised + 5, told = 0 WHERE tenant_id = $1 AND day = (SELECT max(day) FROM voc_rollup_days WHERE tenant_id = $1)", [TENANT]);
    await db.query("UPDATE voc_items SET reopens = 0 WHERE tenant_id = $1", [TENANT]);
    expect(await rollupAsKept(db, TENANT)).not.toEqual(before);
    const r = await rebuildRollups(db, TENANT);
    expect(r.items).toBeGreaterThan(0);
    expect(await rollupAsKept(db, TENANT)).toEqual(before);
    const months = await monthsAsKept(db, TENANT);
    expect(months.kept).toEqual(months.fromDays);
    // The other tenant's rollup is its own, untouched.
    const { kept, raw } = await t.center.db.tx(async (q) => ({ kept: await rollupAsKept(q, 'acme'), raw: await rollupFromItems(q, 'acme') }));
    expect(kept).toEqual(raw);
  });

  it('the command line rebuilds a tenant, and refuses an unknown one', async () => {
    const url = dbOptions.databaseUrl;
    // An in-memory PGlite center's database is in this process only; the command opens PostgreSQL by URL.
    if (!url) return;
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, stdin: process.stdin };
    const prev = process.env.DATABASE_URL;
    process.env.DATABASE_URL = url;
    try {
      expect(await main(['voc', 'rollups', 'rebuild', '--tenant', TENANT], io as never)).toBe(0);
      expect(out.join('')).toMatch(/^demo: rollups rebuilt from \d+ VOC item\(s\) into \d+ cell\(s\)\.\n$/);
      expect(await main(['voc', 'rollups', 'rebuild', '--tenant', 'nobody'], io as never)).not.toBe(0);
      expect(err.join('')).toContain('There is no tenant "nobody"');
    } finally {
      if (prev === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = prev;
    }
  });
});
