// The customer's display name on supervisors' agent:state pushes (the agents grid shows who each agent
// is talking to). Resolved from the interaction, within the tenant; names are cached per interaction
// and never logged. No push ever waits for the database: an agent:state leaves at once with the name
// if it is known.
//
// The common case costs no query: the call intake tells us the caller the moment it records an offer
// (`callerFound`, calls/intake.ts), so every later state of that call carries the name at once. The
// switch rings the agent (and the floor pushes that state) just before the offer is recorded, so a
// state without a known name waits briefly for the offer; a name arriving then sends the agent's state
// again with it, with no query. Only when no offer told us in time (the call was offered on another
// node of a cluster, or before this process started) is the name looked up: the lookups of one turn of
// the event loop are one query per tenant, at most LOOKUP_BATCH interactions and one query per tenant
// in flight, and a caller still unknown after the retries is remembered as unknown for a while. An
// interaction linked to another customer afterwards (`interactionChanged`) is looked up afresh.
import type { Logger } from 'pino';
import { EVENTS, type AgentStateUpdate } from '../../../shared/protocol';
import type { Queryable } from '../db/db';

const CACHE_MAX = 10_000;
/**
 * When to look a not-yet-named interaction up (ms after its first push without a name, then after each
 * miss): the first delay is the grace for the offer, recorded on this node, to name it without a query.
 */
const RETRY_MS = [1_000, 1_000, 4_000];
/** How long an interaction without a known customer is not looked up again (a caller may be linked meanwhile). */
const UNKNOWN_TTL_MS = 30_000;
/** At most this many interactions in one lookup query; more wait for the next one. */
const LOOKUP_BATCH = 500;
/** At most this many agents' calls followed for a name at once; beyond that a state simply goes without one. */
const FOLLOW_MAX = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Emit = (tenantId: string, event: string, payload: unknown) => void;

export function createCustomerNames(db: Queryable, log: Pick<Logger, 'warn'>, retryMs: readonly number[] = RETRY_MS, now: () => number = Date.now) {
  /** tenant \0 interaction -> name. */
  const cache = new Map<string, string>();
  /** tenant \0 interaction -> until when it is not looked up again (no customer known for it). */
  const unknown = new Map<string, number>();
  /** tenant \0 interaction -> the customer the name (or its absence) is that of, when known. */
  const customerOf = new Map<string, string | null>();
  /** tenant \0 interaction -> the agents followed for its name (tenant \0 agent). */
  const followers = new Map<string, Set<string>>();
  /** tenant \0 agent -> the last update pushed (to re-push it with a name found later). */
  const latest = new Map<string, AgentStateUpdate>();
  const key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

  type Waiter = { resolve: (name: string | null) => void; reject: (err: unknown) => void };
  /** tenant -> interaction -> waiters, flushed as one query per tenant on the next turn of the event loop. */
  const pending = new Map<string, Map<string, Waiter[]>>();
  /** Tenants with a lookup query in flight (their next waits for it). */
  const inFlight = new Set<string>();
  let flushQueued = false;

  const bounded = <V>(m: Map<string, V>, k: string, v: V) => {
    if (!m.has(k) && m.size >= CACHE_MAX) m.delete(m.keys().next().value as string);
    m.set(k, v);
  };
  function remember(k: string, name: string, customerId?: string) {
    bounded(cache, k, name);
    unknown.delete(k);
    if (customerId !== undefined) bounded(customerOf, k, customerId);
  }
  function rememberUnknown(k: string) {
    bounded(unknown, k, now() + UNKNOWN_TTL_MS);
  }
  function knownUnknown(k: string): boolean {
    const until = unknown.get(k);
    if (until === undefined) return false;
    if (until > now()) return true;
    unknown.delete(k);
    return false;
  }

  async function lookUp(tenantId: string, waiting: Map<string, Waiter[]>) {
    const ids = [...waiting.keys()];
    try {
      const rows = await db.query<{ id: string; customer_id: string; display_name: string }>(
        `SELECT i.id::text AS id, c.id::text AS customer_id, c.display_name FROM interactions i
           JOIN customers c ON c.id = i.customer_id AND c.tenant_id = i.tenant_id
          WHERE i.tenant_id = $1 AND i.id = ANY($2::uuid[])`,
        [tenantId, ids],
      );
      const found = new Map(rows.map((r) => [r.id, r]));
      for (const [id, waiters] of waiting) {
        const row = found.get(id);
        if (row) remember(key(tenantId, id), row.display_name, row.customer_id);
        waiters.forEach((w) => w.resolve(row?.display_name ?? null));
      }
    } catch (err) {
      waiting.forEach((waiters) => waiters.forEach((w) => w.reject(err)));
    } finally {
      inFlight.delete(tenantId);
      if (pending.has(tenantId)) queueFlush();
    }
  }

  function flush() {
    flushQueued = false;
    for (const [tenantId, waiting] of pending) {
      if (inFlight.has(tenantId)) continue; // asked again once the query in flight is answered
      const batch = new Map([...waiting].slice(0, LOOKUP_BATCH));
      for (const id of batch.keys()) waiting.delete(id);
      if (waiting.size === 0) pending.delete(tenantId);
      inFlight.add(tenantId);
      void lookUp(tenantId, batch);
    }
  }
  function queueFlush() {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(flush);
  }

  function nameOf(tenantId: string, interactionId: string): Promise<string | null> {
    const k = key(tenantId, interactionId);
    const hit = cache.get(k);
    if (hit !== undefined) return Promise.resolve(hit);
    if (!UUID.test(interactionId)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const waiting = pending.get(tenantId) ?? new Map<string, Waiter[]>();
      pending.set(tenantId, waiting);
      waiting.set(interactionId, [...(waiting.get(interactionId) ?? []), { resolve, reject }]);
      queueFlush();
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

  /** The agent's last pushed state if it is still on `interactionId` without a name. */
  const stillNameless = (tenantId: string, agent: string, interactionId: string) => {
    const still = latest.get(key(tenantId, agent));
    return still && still.interactionId === interactionId && !still.customerName ? still : null;
  };
  const unfollow = (k: string, agentKey: string) => {
    const set = followers.get(k);
    set?.delete(agentKey);
    if (set?.size === 0) followers.delete(k);
  };
  let followed = 0;
  /** The supervisors' outlet, once `outlet` wrapped it (the names found later are pushed through it). */
  let send: Emit | null = null;

  return {
    nameOf,
    /** A tenant's agent list (a supervisor's first view) with names. */
    withNames: (tenantId: string, updates: AgentStateUpdate[]) => Promise.all(updates.map((u) => withName(tenantId, u))),
    /**
     * The caller an offer found for an interaction (the call intake, as it records the offer): cached,
     * so the call's states carry the name with no query; agents already pushed on it without a name are
     * pushed again with it.
     */
    callerFound(tenantId: string, interactionId: string, customerId: string | null, name: string | null) {
      const k = key(tenantId, interactionId);
      if (customerId && name !== null) remember(k, name, customerId);
      else {
        cache.delete(k);
        rememberUnknown(k);
        bounded(customerOf, k, null);
      }
      const agents = followers.get(k);
      if (!agents) return;
      followers.delete(k);
      followed -= agents.size;
      if (name === null || !send) return;
      for (const agentKey of agents) {
        const still = stillNameless(tenantId, agentKey.slice(tenantId.length + 1), interactionId);
        if (still) send(tenantId, EVENTS.agentState, { ...still, customerName: name });
      }
    },
    /** An interaction's record changed (its commit's change): linked to another customer, its name is looked up afresh. */
    interactionChanged(tenantId: string, interactionId: string, customerId: string | null) {
      const k = key(tenantId, interactionId);
      const was = customerOf.get(k);
      if (was === customerId || (was === undefined && !customerId)) return;
      cache.delete(k);
      unknown.delete(k);
      customerOf.delete(k);
    },
    /**
     * Wraps the floor's supervisor outlet: every push leaves at once, in order; an agent:state without a
     * known name is pushed again with the name once the offer or a lookup finds it.
     */
    outlet(emit: Emit): Emit {
      const push: Emit = (tenantId, event, payload) => {
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
      send = push;
      /**
       * Waits for the offer to name `u`'s interaction; if it has not after the first delay, looks it up,
       * and again after each further delay, while the agent is still on it.
       */
      const follow = (tenantId: string, u: AgentStateUpdate) => {
        const id = u.interactionId!;
        const k = key(tenantId, id);
        const agentKey = key(tenantId, u.agent);
        const set = followers.get(k) ?? new Set<string>();
        if (set.has(agentKey) || followed >= FOLLOW_MAX) return;
        set.add(agentKey);
        followers.set(k, set);
        followed += 1;
        const done = () => {
          if (followers.get(k)?.has(agentKey)) {
            unfollow(k, agentKey);
            followed -= 1;
            return true;
          }
          return false;
        };
        const attempt = (n: number) => {
          // Named by the offer meanwhile (already pushed again), or no longer on the call.
          if (!followers.get(k)?.has(agentKey)) return;
          if (!stillNameless(tenantId, u.agent, id) || knownUnknown(k)) return void done();
          nameOf(tenantId, id).then(
            (name) => {
              const still = stillNameless(tenantId, u.agent, id);
              if (!followers.get(k)?.has(agentKey)) return;
              if (name && still) {
                done();
                push(tenantId, EVENTS.agentState, { ...still, customerName: name });
              } else if (!still) {
                done();
              } else if (n + 1 >= retryMs.length) {
                done();
                rememberUnknown(k);
              } else {
                setTimeout(() => attempt(n + 1), retryMs[n + 1]).unref?.();
              }
            },
            (err: unknown) => {
              done();
              log.warn({ err: { type: err instanceof Error ? err.name : 'unknown' }, tenant: tenantId }, 'customer name for the agents grid not resolved');
            },
          );
        };
        setTimeout(() => attempt(0), retryMs[0] ?? 0).unref?.();
      };
      return push;
    },
  };
}
export type CustomerNames = ReturnType<typeof createCustomerNames>;
