// The demo's colleagues on the floor, on the CTI owner with --demo --simulate --colleagues: the demo
// agents nobody is signed in as sign in (one per look at the floor), take the simulator's calls (its
// script answers and ends every agent's calls), write a short note on most calls — with a disposition,
// and now and then a VOC item — through the same sync push a desktop sends, and go on breaks (not
// ready with a reason code) and come back. A colleague steps aside while a person is signed in as
// that user (and while a person who left is in their grace period), never plays the users in
// `except` (the one `npm start` signs the desktop in as), and rests a while after a supervisor forced
// them not ready or offline.
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CUSTOMER_WANTS, type VocType } from '../../../shared/domain';
import { SCHEMA_VERSION, type PushRequest, type PushResponse } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { errSummary } from '../base/log';
import { createPrng, type Prng } from '../base/random';
import type { Db } from '../db/db';
import { demoNoteText, VOC_PRIORITY_WEIGHTS, VOC_TYPE_WEIGHTS } from '../demo/generate';
import { VOC_DESCRIPTIONS } from '../demo/vocabulary';
import { DEMO_TOPICS } from '../demo/voc-setup';
import type { Floor, FloorPerson } from '../floor/floor';
import type { AgentStateChange } from '../floor/model/agent-state';

export interface DemoColleagueOptions {
  /** How many colleagues at most (default: every agent of the tenant but `except`). */
  count?: number;
  /** Usernames never played: the user the desktop signs in as. */
  except?: readonly string[];
  /** How often the floor is looked at: one sign-in per look, breaks begin and end. Default 2 s. */
  stepMs?: number;
  /** Chance per look that an idle colleague goes on a break (at most a fifth of them are away at once). Default 0.01. */
  breakChance?: number;
  /** Mean length of a break (drawn from half to one and a half times it). Default 90 s. */
  meanBreakMs?: number;
  /** How long a colleague a supervisor forced not ready or offline is left so before working again. Default 5 min. */
  forcedRestMs?: number;
  /** Share of their calls a colleague writes a note on (default 0.8); of those, the share that raise a VOC item (default 0.15). */
  noteShare?: number;
  vocShare?: number;
}

export interface DemoColleagueDeps {
  db: Db;
  tenantId: string;
  floor: Pick<Floor, 'connected' | 'agentStates'>;
  /** Users with a desktop connected (any node): people, whom the colleagues leave alone. */
  present(tenantId: string): Promise<ReadonlySet<string>>;
  /** A desktop's sync push (push.ts with the center's hooks); the caller pokes who sees the changes. */
  push(who: Principal, req: PushRequest): Promise<PushResponse>;
  log: Pick<Logger, 'warn' | 'info'>;
}

const BREAK_REASONS: ReadonlyArray<readonly [string, number]> = [['break', 6], ['meal', 2], ['training', 1], ['meeting', 1]];
/** Notes waiting to be written; more are dropped (a stalled database must not grow this queue). */
const MAX_PENDING_WRITES = 50;

interface Colleague {
  userId: string;
  username: string;
  displayName: string;
  /** The colleague's own sync client, the same on every start (its last_seq lives at the center). */
  clientId: string;
}

/** A UUID of the colleague's sync client, derived from their user id. */
const clientIdOf = (userId: string): string => {
  const h = createHash('sha256').update(`earshot demo colleague ${userId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Starts the colleagues; resolves with what stops them (every timer, and the writes in flight awaited). */
export async function startDemoColleagues(opts: DemoColleagueOptions, deps: DemoColleagueDeps): Promise<() => Promise<void>> {
  const { db, tenantId, log } = deps;
  const except = new Set(opts.except ?? []);
  const users = await db.query<{ id: string; username: string; display_name: string }>(
    `SELECT id, username, display_name FROM users WHERE tenant_id = $1 AND role = 'agent' AND NOT disabled`,
    [tenantId],
  );
  const colleagues: Colleague[] = users
    .filter((u) => !except.has(u.username))
    .sort((a, b) => a.username.localeCompare(b.username, 'en', { numeric: true }))
    .slice(0, opts.count ?? users.length)
    .map((u) => ({ userId: u.id, username: u.username, displayName: u.display_name, clientId: clientIdOf(u.id) }));
  const byName = new Map(colleagues.map((c) => [c.username, c]));
  const codes = new Map<string, string[]>();
  for (const r of await db.query<{ queue_id: string; code: string }>('SELECT queue_id, code FROM queue_disposition_codes WHERE tenant_id = $1 ORDER BY queue_id, position', [tenantId])) {
    codes.set(r.queue_id, [...(codes.get(r.queue_id) ?? []), r.code]);
  }
  const agents = await deps.floor.agentStates(tenantId);
  const rng = createPrng(Date.now() % 2 ** 31);
  const stepMs = opts.stepMs ?? 2_000;
  const breakChance = opts.breakChance ?? 0.01;
  const meanBreakMs = opts.meanBreakMs ?? 90_000;
  const maxAway = Math.max(1, Math.ceil(colleagues.length / 5));
  /** Colleagues on a break they took: when they are back, and the reason code they went with. */
  const away = new Map<string, { reason: string; until: number }>();
  /** Colleagues a supervisor forced not ready or offline: left alone until then, then ready again. */
  const resting = new Map<string, number>();
  let here: ReadonlySet<string> = new Set();
  let stopped = false;

  const principal = (c: Colleague): Principal => ({ userId: c.userId, tenantId, username: c.username, displayName: c.displayName, role: 'agent', tokenHash: '', expiresAt: new Date(8.64e15) });

  const step = async () => {
    here = await deps.present(tenantId);
    let signedIn = false;
    const now = Date.now();
    for (const c of colleagues) {
      if (stopped) return;
      if (here.has(c.userId)) {
        away.delete(c.username); // a person drives this agent now
        continue;
      }
      const restedUntil = resting.get(c.username);
      if (restedUntil !== undefined && restedUntil > now) continue;
      resting.delete(c.username);
      const s = agents.find(c.username);
      // Back from a rest a supervisor sent them on: ready again (or signed in again, below).
      if (restedUntil !== undefined && s?.state === 'not_ready' && s.disconnectedAt === null) {
        agents.setByAgent(c.username, 'available');
        continue;
      }
      if (!s || s.state === 'offline') {
        if (signedIn) continue;
        signedIn = true;
        // As a desktop's sign-in does: registered with their queues, available.
        await deps.floor.connected({ userId: c.userId, tenantId, username: c.username, role: 'agent' } satisfies FloorPerson);
        continue;
      }
      if (s.disconnectedAt !== null) continue; // a person just left: their grace period runs out first
      const a = away.get(c.username);
      if (a) {
        if (s.state !== 'not_ready' || s.reason !== a.reason) away.delete(c.username);
        else if (now >= a.until) {
          away.delete(c.username);
          agents.setByAgent(c.username, 'available');
        }
      } else if (s.state === 'available' && away.size < maxAway && rng.chance(breakChance)) {
        const reason = rng.weighted(BREAK_REASONS);
        away.set(c.username, { reason, until: now + meanBreakMs * (0.5 + rng.next()) });
        agents.setByAgent(c.username, 'not_ready', reason);
      }
    }
  };

  let writes: Promise<void> = Promise.resolve();
  let pendingWrites = 0;
  const onChange = (change: AgentStateChange) => {
    const c = byName.get(change.agent);
    if (!c || stopped) return;
    if (change.by === 'supervisor') {
      away.delete(c.username);
      resting.set(c.username, Date.now() + (opts.forcedRestMs ?? 5 * 60_000));
      return;
    }
    if (change.to !== 'wrap_up' || change.from === 'wrap_up' || !change.interactionId || here.has(c.userId)) return;
    if (pendingWrites >= MAX_PENDING_WRITES || !rng.chance(opts.noteShare ?? 0.8)) return;
    const interactionId = change.interactionId;
    pendingWrites += 1;
    writes = writes
      .then(() => writeUp(c, interactionId))
      .catch((err: unknown) => log.warn({ err: errSummary(err), tenant: tenantId }, "a demo colleague's note was not written; the next call's will be"))
      .finally(() => (pendingWrites -= 1));
  };

  /** The colleague's notes on a call they are wrapping up, pushed as their desktop would. */
  const writeUp = async (c: Colleague, interactionId: string) => {
    if (stopped || (await deps.present(tenantId)).has(c.userId)) return;
    const [call] = await db.query<{ customer_id: string; language: string; queue: string | null }>(
      `SELECT i.customer_id, c.language, i.queue FROM interactions i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
        WHERE i.tenant_id = $1 AND i.id = $2`,
      [tenantId, interactionId],
    );
    if (!call) return; // an unknown caller: a colleague leaves them to the history
    const lang = call.language === 'en' ? 'en' : 'ko';
    const list: Array<{ name: string; args: unknown }> = [
      { name: 'note.save', args: { id: randomUUID(), customerId: call.customer_id, interactionId, revision: 1, text: demoNoteText(rng, lang) } },
    ];
    const queueCodes = call.queue ? codes.get(call.queue) : undefined;
    if (queueCodes?.length) list.push({ name: 'disposition.set', args: { interactionId, code: rng.pick(queueCodes) } });
    if (rng.chance(opts.vocShare ?? 0.15)) list.push({ name: 'voc.create', args: vocRaised(rng, call.customer_id, interactionId, lang) });
    const [client] = await db.query<{ last_seq: string }>('SELECT last_seq::text AS last_seq FROM sync_clients WHERE client_id = $1', [c.clientId]);
    const from = Number(client?.last_seq ?? 0) + 1;
    const createdAt = new Date().toISOString();
    const mutations = list.map((m, i) => ({ mutationId: randomUUID(), seq: from + i, name: m.name, args: m.args, schemaVersion: SCHEMA_VERSION, createdAt }));
    const r = await deps.push(principal(c), { schemaVersion: SCHEMA_VERSION, clientId: c.clientId, mutations });
    if (r.rejected.length > 0) log.warn({ tenant: tenantId, rejected: r.rejected.length }, "the center refused some of a demo colleague's changes");
  };

  const unsubscribe = agents.onChange(onChange);
  let looking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    looking = looking.then(step).catch((err: unknown) => log.warn({ err: errSummary(err), tenant: tenantId }, 'the demo colleagues could not look at the floor; they look again'));
  }, stepMs);
  timer.unref();
  log.info({ tenant: tenantId, colleagues: colleagues.length }, 'demo colleagues started');
  return async () => {
    stopped = true;
    clearInterval(timer);
    unsubscribe();
    await looking;
    await writes;
  };
}

/** A VOC item a colleague raises on the call, as the demo's history has them (generate.ts). */
function vocRaised(rng: Prng, customerId: string, interactionId: string, lang: 'ko' | 'en') {
  const type: VocType = rng.weighted(VOC_TYPE_WEIGHTS);
  const topic = rng.pick(DEMO_TOPICS);
  return {
    id: randomUUID(),
    customerId,
    interactionId,
    type,
    topic: topic.label,
    topicId: topic.id,
    description: rng.pick(VOC_DESCRIPTIONS[lang][type]),
    priority: rng.weighted(VOC_PRIORITY_WEIGHTS),
    wants: type === 'complaint' ? rng.pick(CUSTOMER_WANTS) : null,
  };
}
