// The demo's colleagues in the departments, on the CTI owner with --demo --simulate: every little
// while one of them takes a waiting VOC item a step further, as its owner or lead would — take it,
// start, record a result, approve, tell the customer — so items raised during the demo are routed and
// worked. They never touch an item owned by someone signed in, and leave follow-up calls to the
// agents (their Follow-ups list).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { VocItem, VocStatus } from '../../../shared/domain';
import type { Principal } from '../auth/sessions';
import { createPrng } from '../base/random';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import { loadVocItems } from '../db/records';
import { DEMO_DEPARTMENTS } from '../demo/voc-setup';
import { nextStep } from '../demo/voc-seed';
import { changeTx, type ChangeInput } from '../sync/change-log';
import { applyVocAct } from '../voc/workflow';

export const DEMO_VOC_STEP_MS = 20_000;
/** Items the colleagues leave alone: waiting for an agent's follow-up call, or for the customer's answer for a while. */
const LEFT_TO_OTHERS: readonly VocStatus[] = ['follow_up', 'customer_notified', 'closed', 'withdrawn', 'raised'];

export interface DemoVocDeps {
  db: Db;
  tenantId: string;
  present(tenantId: string): Promise<ReadonlySet<string>>;
  onCommitted(tenantId: string, r: { changes: ReadonlyArray<ChangeInput>; version: string }): void;
  log: Pick<Logger, 'warn'>;
}

export function startDemoVoc(deps: DemoVocDeps, everyMs = DEMO_VOC_STEP_MS): () => Promise<void> {
  const rng = createPrng(Date.now() % 2 ** 31);
  let running: Promise<unknown> = Promise.resolve();
  const step = async () => {
    const { db, tenantId } = deps;
    const here = await deps.present(tenantId);
    const [row] = await db.query<{ id: string; status: VocStatus; department_id: string; owner_user_id: string | null }>(
      `SELECT id, status, department_id, owner_user_id FROM voc_items
        WHERE tenant_id = $1 AND department_id IS NOT NULL AND status <> ALL($2::text[]) AND (owner_user_id IS NULL OR NOT (owner_user_id = ANY($3::uuid[])))
        ORDER BY updated_at LIMIT 1`,
      [tenantId, LEFT_TO_OTHERS, [...here]],
    );
    if (!row) return;
    const [item] = (await loadVocItems(db, tenantId, { ids: [row.id] })) as VocItem[];
    const dept = DEMO_DEPARTMENTS.find((d) => d.id === row.department_id);
    if (!item || !dept) return;
    const people = await db.query<{ id: string; username: string; display_name: string; role: Principal['role'] }>(
      'SELECT id, username, display_name, role FROM users WHERE tenant_id = $1 AND username = ANY($2::text[]) AND NOT disabled',
      [tenantId, [...dept.staff]],
    );
    const lead = people.find((p) => p.username === dept.staff[0]);
    const owner = people.find((p) => p.id === row.owner_user_id) ?? rng.pick(people.filter((p) => !here.has(p.id)));
    if (!owner || !lead || here.has(lead.id)) return;
    const next = nextStep(row.status, 'follow_up', item, rng, new Date());
    if (!next || next.by === 'agent') return;
    const who = next.by === 'lead' ? lead : owner;
    const principal: Principal = { userId: who.id, tenantId, username: who.username, displayName: who.display_name, role: who.role, tokenHash: '', expiresAt: new Date() };
    const r = await changeTx(db, tenantId, (tx) => applyVocAct(tx, principal, { id: row.id, expectedStatus: row.status, ...next.args } as never, randomUUID()));
    deps.onCommitted(tenantId, r);
  };
  const timer = setInterval(() => {
    running = running.then(step).catch((err: unknown) => deps.log.warn({ err: errSummary(err) }, 'a demo colleague could not work a VOC item; the next one tries again'));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
