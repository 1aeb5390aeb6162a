// The customer's display name on supervisors' agent:state pushes (the agents grid shows who each agent
// is talking to). Resolved from the interaction, within the tenant; names are cached per interaction
// and never logged. Pushes of a tenant keep their order: while a lookup runs, later pushes wait behind it.
// The switch may move an agent before the call is recorded: a name not found yet is looked up again
// shortly, and if found while the agent is still on that interaction, their state is pushed again with it.
import type { Logger } from 'pino';
import { EVENTS, type AgentStateUpdate } from '../../../shared/protocol';
import type { Queryable } from '../db/db';

const CACHE_MAX = 10_000;
/** When to look a not-yet-recorded interaction up again (ms after the push without a name). */
const RETRY_MS = [1_000, 4_000];

type Emit = (tenantId: string, event: string, payload: unknown) => void;

export function createCustomerNames(db: Queryable, log: Pick<Logger, 'warn'>, retryMs: readonly number[] = RETRY_MS) {
  /** tenant \0 interaction -> name; only found names are kept (an unknown caller may be linked later). */
  const cache = new Map<string, string>();
  const chains = new Map<string, Promise<void>>();
  /** tenant \0 agent -> the last update pushed (to re-push it with a name found later). */
  const latest = new Map<string, AgentStateUpdate>();
  const key = (tenantId: string, interactionId: string) => `${tenantId}\u0000${interactionId}`;

  async function nameOf(tenantId: string, interactionId: string): Promise<string | null> {
    const hit = cache.get(key(tenantId, interactionId));
    if (hit !== undefined) return hit;
    const [row] = await db.query<{ display_name: string }>(
      `SELECT c.display_name FROM interactions i
         JOIN customers c ON c.id = i.customer_id AND c.tenant_id = i.tenant_id
        WHERE i.tenant_id = $1 AND i.id = $2`,
      [tenantId, interactionId],
    );
    if (!row) return null;
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key(tenantId, interactionId), row.display_name);
    return row.display_name;
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
    /** Wraps the floor's supervisor outlet: agent:state pushes get the name; order per tenant is kept. */
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
        const pending = chains.get(tenantId);
        const update = isUpdate(event, payload) ? payload : null;
        const cached = update?.interactionId ? cache.get(key(tenantId, update.interactionId)) : undefined;
        // Nothing to look up and nothing queued: emit now (the once-a-second metrics path).
        if (!pending && (!update || !update.interactionId || cached !== undefined)) {
          send(tenantId, event, update ? { ...update, customerName: update.customerName ?? cached ?? null } : payload);
          return;
        }
        const next = (pending ?? Promise.resolve())
          .then(async () => send(tenantId, event, update ? (update.customerName ? update : await withName(tenantId, update)) : payload))
          .catch(() => undefined)
          .finally(() => {
            if (chains.get(tenantId) === next) chains.delete(tenantId);
          });
        chains.set(tenantId, next);
      };
      return wrapped;
    },
  };
}
export type CustomerNames = ReturnType<typeof createCustomerNames>;
