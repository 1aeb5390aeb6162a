// The CTI journal: every CTI event the owning node produces is written to PostgreSQL, in order,
// before it is fanned out. When the owner dies, the next owner rebuilds from it the calls still in
// the queue (and the day's metrics), so queued calls carry on under their own ids.
import { CtiEvent } from '../floor/model/cti-events';
import type { AdoptedCall } from '../cti/acd/calls';
import type { Queryable } from '../db/db';
import type { ClusterLog } from './redis-adapter';

// The journal's table is migration 0004-cti-journal. `seq` orders events: only the one owner writes,
// one at a time, so sequence order is commit order here (unlike the change log, which has many writers).

const TERMINAL: ReadonlySet<CtiEvent['type']> = new Set(['call_ended', 'call_abandoned']);
const WRITE_ATTEMPTS = 3;
/** Calls idle in the journal for longer than this are not taken over (a switch restart, a lost end). */
export const DEFAULT_LOOKBACK_MS = 12 * 60 * 60 * 1000;

export interface CtiJournalWriter {
  /** Queues the event for writing; events are written, then handed to `onRecorded`, in call order. */
  record(event: CtiEvent): void;
  /** Resolves when everything recorded so far is written (and handed on). */
  flush(): Promise<void>;
}

/**
 * The owner's writer. A write that keeps failing is logged (event type only: the ANI is a phone
 * number) and the event is still handed on — a caller must not wait on a struggling database.
 */
export function createCtiJournalWriter(
  q: Queryable,
  opts: { tenantId: string; node: string; log: ClusterLog; onRecorded?: (event: CtiEvent) => void },
): CtiJournalWriter {
  let chain: Promise<void> = Promise.resolve();
  let failed = 0;
  const write = async (event: CtiEvent): Promise<void> => {
    const interactionId = 'interactionId' in event ? event.interactionId : null;
    for (let attempt = 1; ; attempt++) {
      try {
        await q.query('INSERT INTO cti_journal (tenant_id, interaction_id, type, at, event, node) VALUES ($1, $2, $3, $4, $5, $6)', [
          opts.tenantId,
          interactionId,
          event.type,
          event.at,
          JSON.stringify(event),
          opts.node,
        ]);
        return;
      } catch (err) {
        if (attempt >= WRITE_ATTEMPTS) {
          failed += 1;
          opts.log.error(
            { type: event.type, failed, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' },
            'CTI event not journaled; a takeover now would miss it. Check the database.',
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 20 * attempt));
      }
    }
  };
  return {
    record(event) {
      chain = chain.then(async () => {
        await write(event);
        try {
          opts.onRecorded?.(event);
        } catch (err) {
          opts.log.error({ type: event.type, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' }, 'handling a CTI event failed');
        }
      });
    },
    flush: () => chain,
  };
}

/** The tenant's journaled events at or after `from`, in the order they happened (zod-checked). */
export async function journalSince(q: Queryable, tenantId: string, from: Date): Promise<CtiEvent[]> {
  const rows = await q.query<{ event: unknown }>('SELECT event FROM cti_journal WHERE tenant_id = $1 AND at >= $2 ORDER BY seq', [tenantId, from]);
  return rows.map((r) => CtiEvent.parse(typeof r.event === 'string' ? JSON.parse(r.event) : r.event));
}

/** Calls with no end in the journal, seen within `lookbackMs` of `now`, in order of entry. */
export async function openCallsFromJournal(
  q: Queryable,
  tenantId: string,
  opts: { now?: number; lookbackMs?: number } = {},
): Promise<AdoptedCall[]> {
  const since = new Date((opts.now ?? Date.now()) - (opts.lookbackMs ?? DEFAULT_LOOKBACK_MS));
  const rows = await q.query<{ event: unknown }>(
    `SELECT event FROM cti_journal WHERE tenant_id = $1 AND interaction_id IN (
       SELECT interaction_id FROM cti_journal WHERE tenant_id = $1 AND interaction_id IS NOT NULL
        GROUP BY interaction_id
       HAVING max(at) >= $2 AND bool_and(type NOT IN ('call_ended', 'call_abandoned'))
     ) ORDER BY seq`,
    [tenantId, since],
  );
  return foldOpenCalls(rows.map((r) => CtiEvent.parse(typeof r.event === 'string' ? JSON.parse(r.event) : r.event)));
}

/**
 * Replays events (in journal order) into each call's last known state; ended calls drop out.
 * A call last seen transferring (its next event never came) waits in the queue it was in.
 */
export function foldOpenCalls(events: readonly CtiEvent[]): AdoptedCall[] {
  const calls = new Map<string, AdoptedCall>();
  for (const e of events) {
    if (e.type === 'agent_paused') continue;
    if (TERMINAL.has(e.type)) {
      calls.delete(e.interactionId);
      continue;
    }
    const at = Date.parse(e.at);
    const call: AdoptedCall = calls.get(e.interactionId) ?? {
      interactionId: e.interactionId,
      ani: e.ani,
      queue: e.queue,
      enteredAt: at,
      state: 'waiting',
      agent: null,
      answered: false,
      legStartedAt: null,
    };
    switch (e.type) {
      case 'call_offered':
        Object.assign(call, { queue: e.queue, enteredAt: at, state: 'waiting', agent: null, answered: false, legStartedAt: null });
        break;
      case 'call_ringing':
        Object.assign(call, { state: 'ringing', agent: e.agent });
        break;
      case 'call_answered':
        Object.assign(call, { state: 'connected', agent: e.agent, answered: true, legStartedAt: at });
        break;
      case 'call_held':
        call.state = 'held';
        break;
      case 'call_resumed':
        call.state = 'connected';
        break;
      case 'call_transferred':
        Object.assign(call, { state: 'waiting', agent: null, legStartedAt: null });
        break;
    }
    calls.set(e.interactionId, call);
  }
  return [...calls.values()].sort((a, b) => a.enteredAt - b.enteredAt);
}

/** Drops journal rows older than `before` (retention, like the change log's). Returns how many. */
export async function pruneCtiJournalBefore(q: Queryable, before: Date): Promise<number> {
  const rows = await q.query<{ n: string | number }>(
    `WITH gone AS (DELETE FROM cti_journal WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM gone`,
    [before],
  );
  return Number(rows[0]?.n ?? 0);
}
