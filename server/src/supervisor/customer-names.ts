// The customer's display name on supervisors' agent:state pushes (the agents grid shows who each agent
// is talking to). Resolved from the interaction, within the tenant; names are cached per interaction
// and never logged. Only an agent's own pushes wait for each other (their order is kept per agent);
// queue:metrics and every other push leave at once. The lookups of one turn of the event loop are one
// query per tenant. A name not found is not remembered: the call may be recorded a moment later.
// The switch may move an agent before the call is recorded: a name not found yet is looked up again
// shortly, and if found while the agent is still on that interaction, their state is pushed again with it.
import type { Logger } from 'pino';
import { EVENTS, type AgentStateUpdate } from '../../../shared/protocol';
import type { Queryable } from '../db/db';

const CACHE_MAX = 10_000;
/** When to look a not-yet-recorded interaction up again (ms after the push without a name). */
const RETRY_MS = [1_000, 4_000];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Emit = (tenantId: string, event: string, payload: unknown) => void;

export function createCustomerNames(db: Queryable, log: Pick<Logger, 'warn'>, retryMs: readonly number[] = RETRY_MS) {
  /** tenant \0 interaction -> name; only found names are kept (an unknown caller may be linked later). */
  const cache = new Map<string, string>();
  /** tenant \0 agent -> that agent's pushes waiting for a name. */
  const chains = new Map<string, Promise<void>>();
  /** tenant \0 agent -> the last update pushed (to re-push it with a name found later). */
  const latest = new Map<string, AgentStateUpdate>();
  const key = (tenantId: string, interactionId: string) => `${tenantId}\u0000${interactionId}`;

  /** tenant -> interaction -> waiters, flushed as one query on the next turn of the event loop. */
  const pending = new Map<string, Map<string, Array<{ resolve: (name: string | null) => void; reject: (err: unknown) => void }>>>();
  let flushQueued = false;

  function remember(k: string, name: string) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(k, name);
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
    /** Wraps the floor's supervisor outlet: agent:state pushes get the name; order per agent is kept. */
    outlet(emit: Emit): Emit {
      const send: Emit = (tenantId, event, payload) => {
        if (isUpdate(event, payload)) {
          latest.set(key(tenantId, payload.agent), payload);
          if (payload.interactionId && payload.customerName === null) retry(tenantId, payload, 0);
        }
        emit(tenantId, event, payload);
      };
      const retry = (tenantId: string, u: AgentStateUpdate, attempt: number) => {
        if (attempt >= retryMs.length) return;
        const timer = setTimeout(() => {
          const now = latest.get(key(tenantId, u.agent));
          if (!now || now.interactionId !== u.interactionId || now.customerName) return;
          nameOf(tenantId, u.interactionId!).then(
            (name) => {
              const still = latest.get(key(tenantId, u.agent));
              if (!still || still.interactionId !== u.interactionId || still.customerName) return;
              if (name) wrapped(tenantId, EVENTS.agentState, { ...still, customerName: name });
              else retry(tenantId, u, attempt + 1);
            },
            () => undefined,
          );
        }, retryMs[attempt]);
        timer.unref?.();
      };
      const wrapped: Emit = (tenantId, event, payload) => {
        const update = isUpdate(event, payload) ? payload : null;
        if (!update) {
          emit(tenantId, event, payload); // metrics and the rest never wait for a name
          return;
        }
        const agentKey = key(tenantId, update.agent);
        const queued = chains.get(agentKey);
        const cached = update.interactionId ? cache.get(key(tenantId, update.interactionId)) : undefined;
        // Nothing to look up and nothing queued for this agent: emit now.
        if (!queued && (!update.interactionId || update.customerName || cached !== undefined)) {
          send(tenantId, event, { ...update, customerName: update.customerName ?? cached ?? null });
          return;
        }
        const next = (queued ?? Promise.resolve())
          .then(async () => send(tenantId, event, update.customerName ? update : await withName(tenantId, update)))
          .catch(() => undefined)
          .finally(() => {
            if (chains.get(agentKey) === next) chains.delete(agentKey);
          });
        chains.set(agentKey, next);
      };
      return wrapped;
    },
  };
}
export type CustomerNames = ReturnType<typeof createCustomerNames>;
