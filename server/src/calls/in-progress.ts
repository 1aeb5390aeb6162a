// A desktop that (re)connects while its agent is ringing or on a call gets that call's offer again,
// so the screen pop is back without waiting for the next call.
import type { AgentStateUpdate, CallOffered } from '../../../shared/protocol';
import type { Queryable } from '../db/db';

const CALL_STATES: ReadonlySet<string> = new Set(['ringing', 'on_call', 'on_hold']);

/** The `cti:callOffered` of the call the agent is on (ringing, talking or holding), if any. */
export async function offerInProgress(q: Queryable, who: { tenantId: string; username: string }, state: AgentStateUpdate): Promise<CallOffered | null> {
  if (!state.interactionId || !CALL_STATES.has(state.state)) return null;
  const [row] = await q.query<{ ani: string | null; dnis: string | null; queue: string | null; started_at: Date | string }>(
    `SELECT ani, dnis, queue, started_at FROM interactions WHERE tenant_id = $1 AND id = $2 AND channel = 'call'`,
    [who.tenantId, state.interactionId],
  );
  if (!row) return null;
  return {
    interactionId: state.interactionId,
    ani: row.ani ?? '',
    dnis: row.dnis ?? '',
    queue: row.queue ?? state.queue ?? '',
    agent: who.username,
    offeredAt: new Date(row.started_at).toISOString(),
  };
}
