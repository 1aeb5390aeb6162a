// The customer's display name on supervisors' agent:state pushes (the agents grid shows who each agent
// is talking to). Resolved from the interaction, within the tenant; names are cached per interaction
// and never logged. No push ever waits for the database: an agent:state leaves at once with the name
// if it is cached, and otherwise the name is looked up (the lookups of one turn of the event loop are
// one query per tenant) and the agent's state is pushed again with it, if they are still on that
// interaction. The switch may move an agent before the call is recorded, so a name not found is looked
// up again shortly; a caller still unknown after that is remembered as unknown for a while.
import type { Logger } from 'pino';
import { EVENTS, type AgentStateUpdate } from '../../../shared/protocol';
import type { Queryable } from '../db/db';

const CACHE_MAX = 10_000;
/** When to look a not-yet-recorded interaction up again (ms after the push without a name). */
const RETRY_MS = [1_000, 4_000];
/** How long an interaction without a known customer is not looked up again (a caller may be linked meanwhile). */
const UNKNOWN_TTL_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Emit = (tenantId: string, event: string, payload: unknown) => void;

export function createCustomerNames(db: Queryable, log: Pick<Logger, 'warn'>, retryMs: readonly number[] = RETRY_MS, now: () => number = Date.now) {
  /** tenant \0 interaction -> name. */
  const cache = new Map<string, string>();
  /** tenant \0 interaction -> until when it is not looked up again (no customer known for it). */
  const unknown = new Map<string, number>();
  /** tenant \0 agent \0 interaction: a name is being looked up for this agent's current call. */
  const following = new Set<string>();
  /** tenant \0 agent -> the last update pushed (to re-push it with a name found later). */
  const latest = new Map<string, AgentStateUpdate>();
  const key = (tenantId: string, interactionId: string) => `${tenantId}\u0000${interactionId}`;

  /** tenant -> interaction -> waiters, flushed as one query on the next turn of the event loop. */
  const pending = new Map<string, Map<string, Array<{ resolve: (name: string | null) => void; reject: (err: unknown) => void }>>>();
  let flushQueued = false;

  function remember(k: string, name: string) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(k, name);
    unknown.delete(k);
  }
  function rememberUnknown(k: string) {
    if (unknown.size >= CACHE_MAX) unknown.delete(unknown.keys().next().value as string);
    unknown.set(k, now() + UNKNOWN_TTL_MS);
  }
  function knownUnknown(k: string): boolean {
    const until = unknown.get(k);
    if (until === undefined) return false;
    if (until > now()) return true;
    unknown.delete(k);
    return false;
  }

  async function lookUp(tenantId: string, waiting: NonNullable<ReturnType<typeof pending.get>>) {
    const ids = [...waiting.keys()];
    try {
      const rows = await db.query<{ id: string; display_name: string }>(
        `SELECT i.id::text AS id, c.display_name FROM interactions i
           JOIN customers c ON c.id = i.customer_id AND c.tenant_id = i.tenant_id
          WHERE i.tenant_id = $1 AND i.id = ANY($2::uuid[])`,
        [tenantId, ids],
      );
      const found = new Map(rows.map((r) => [r.id, r.display_name]));
      for (const [id, waiters] of waiting) {
        const name = found.get(id) ?? null;
        if (name !== null) remember(key(tenantId, id), name);
        waiters.forEach((w) => w.resolve(name));
      }
    } catch (err) {
      waiting.forEach((waiters) => waiters.forEach((w) => w.reject(err)));
    }
  }

  function flush() {
    flushQueued = false;
    const batches = [...pending];
    pending.clear();
    for (const [tenantId, waiting] of batches) void lookUp(tenantId, waiting);
  }

  function nameOf(tenantId: string, interactionId: string): Promise<string | null> {
    const k = key(tenantId, interactionId);
    const hit = cache.get(k);
    if (hit !== undefined) return Promise.resolve(hit);
    if (!UUID.test(interactionId)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const waiting = pending.get(tenantId) ?? new Map();
      pending.set(tenantId, waiting);
      waiting.set(interactionId, [...(waiting.get(interactionId) ?? []), { resolve, reject }]);
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
    });
  }

  const isUpdate = (event: string, p: unknown): p is AgentStateUpdate => event === EVENTS.agentState && typeof p === 'object' && p !== null && 'agent' in p;

  /** The update with `customerName` (null when not on an interaction or the caller is not known). */
  async function withName(tenantId: string, u: AgentStateUpdate): Promise<AgentStateUpdate> {
    if (!u.interactionId) return { ...u, customerName: null };
    try {
      return { ...u, customerName: await nameOf(tenantId, u.interactionId) };
    } catch (err) {
      log.warn({ err: { type: err instanceof Error ? err.name : 'unknown' }, tenant: tenantId }, 'customer name for the agents grid not resolved');
      return { ...u, customerName: null };
    }
  }

  return {
    nameOf,
    /** A tenant's agent list (a supervisor's first view) with names. */
    withNames: (tenantId: string, updates: AgentStateUpdate[]) => Promise.all(updates.map((u) => withName(tenantId, u))),
    /**
     * Wraps the floor's supervisor outlet: every push leaves at once, in order; an agent:state without a
     * cached name is pushed again with the name once it is found.
     */
    outlet(emit: Emit): Emit {
      const send: Emit = (tenantId, event, payload) => {
        if (!isUpdate(event, payload)) {
          emit(tenantId, event, payload);
          return;
        }
        const interaction = payload.interactionId ? key(tenantId, payload.interactionId) : null;
        const update: AgentStateUpdate = { ...payload, customerName: payload.customerName ?? (interaction ? cache.get(interaction) : undefined) ?? null };
        latest.set(key(tenantId, update.agent), update);
        emit(tenantId, event, update);
        if (interaction && update.customerName === null && !knownUnknown(interaction)) follow(tenantId, update);
      };
      /** Looks the name of `u`'s interaction up now and after each retry delay, while the agent is still on it. */
      const follow = (tenantId: string, u: AgentStateUpdate) => {
        const id = u.interactionId!;
        const mark = `${key(tenantId, u.agent)}\u0000${id}`;
        if (following.has(mark)) return;
        following.add(mark);
        const current = () => {
          const still = latest.get(key(tenantId, u.agent));
          return still && still.interactionId === id && !still.customerName ? still : null;
        };
        const attempt = (n: number) => {
          if (!current()) return void following.delete(mark);
          nameOf(tenantId, id).then(
            (name) => {
              const still = current();
              if (name && still) {
                following.delete(mark);
                send(tenantId, EVENTS.agentState, { ...still, customerName: name });
              } else if (!still) {
                following.delete(mark);
              } else if (n >= retryMs.length) {
                following.delete(mark);
                rememberUnknown(key(tenantId, id));
              } else {
                setTimeout(() => attempt(n + 1), retryMs[n]).unref?.();
              }
            },
            (err: unknown) => {
              following.delete(mark);
              log.warn({ err: { type: err instanceof Error ? err.name : 'unknown' }, tenant: tenantId }, 'customer name for the agents grid not resolved');
            },
          );
        };
        attempt(0);
      };
      return send;
    },
  };
}
export type CustomerNames = ReturnType<typeof createCustomerNames>;
