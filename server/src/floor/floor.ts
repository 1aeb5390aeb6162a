// The live contact-center floor of each tenant: agent states (AgentStates) and queue metrics
// (QueueMetricsEngine) kept in memory, every state change audited and pushed, metrics diffs pushed once a second.
import { takesCalls } from '../auth/sessions';
import type { Logger } from 'pino';
import {
  EVENTS,
  diff,
  type AgentStateUpdate,
  type ChannelsOfQueue,
  type ForceAgentStateRequest,
  type QueueMetrics,
  type QueueMetricsPush,
  type QueueTrendsRequest,
  type QueueTrendsResponse,
  type SetAgentStateRequest,
} from '../../../shared/protocol';
import type { CtiEvent } from './model/cti-events';
import type { Db } from '../db/db';
import type { Outlet } from '../io/rooms';
import { errSummary } from '../base/log';
import { AgentStateError, AgentStates, type AgentStateChange, type AgentStatus, type TransitionRequest } from './model/agent-state';
import { applyCtiToAgentStates } from './model/cti-agent-states';
import { QueueMetricsEngine } from './model/metrics';
import { LiveQueueSettings } from './queue-settings';
import { CenterError } from '../base/errors';

/** Where the floor's pushes go (socket.io rooms in the center; a recorder in unit tests). */
export type FloorOutlet = Pick<Outlet, 'toAgent' | 'toSupervisors'>;

export interface FloorPerson {
  userId: string;
  tenantId: string;
  username: string;
  role: string;
  takesCalls?: boolean;
}

interface TenantFloor {
  agents: AgentStates;
  metrics: QueueMetricsEngine;
  /** The queues' metric settings and the tenant's zone from the database, re-read every few seconds. */
  queueSettings: LiveQueueSettings;
  userIds: Map<string, string>;
  lastPushed: Record<string, QueueMetrics> | null;
  storedBuckets: Map<string, string>;
  /** Audit rows are written in order, one batch after another. */
  audit: Promise<void>;
  /** State changes not yet written to audit_log and agent_state_changes. */
  unwritten: Array<{ change: AgentStateChange; userId: string | null }>;
  /** The last chat and email figures read (kept when a read fails, so the push does not flap). */
  channels: Record<string, ChannelsOfQueue> | null;
  /** The read of `channels` in flight, if any. */
  channelsReading: Promise<void> | null;
}

export interface FloorExtras {
  /** Chats and emails per queue, added to each queue's metrics (channels/metrics.ts). */
  channelsOf?(tenantId: string, queues: readonly string[], at: number): Promise<Record<string, ChannelsOfQueue>>;
}

const stateUpdate = (c: AgentStateChange): AgentStateUpdate => ({
  agent: c.agent,
  state: c.to,
  reason: c.reason,
  interactionId: c.interactionId,
  queue: c.queue,
  since: new Date(c.at).toISOString(),
  by: c.by,
  forcedBy: c.forcedBy,
});

const statusUpdate = (s: AgentStatus): AgentStateUpdate => ({
  agent: s.agent,
  state: s.state,
  reason: s.reason,
  interactionId: s.interactionId,
  queue: s.queue,
  since: new Date(s.since).toISOString(),
  by: 'system',
  forcedBy: null,
});

export function createFloor(db: Db, log: Logger, outlet: FloorOutlet, now: () => number = Date.now, extras: FloorExtras = {}) {
  const tenants = new Map<string, Promise<TenantFloor>>();

  const open = async (tenantId: string): Promise<TenantFloor> => {
    const [tenant] = await db.query<{ time_zone: string }>('SELECT time_zone FROM tenants WHERE id = $1', [tenantId]);
    const queues = (await db.query<{ id: string }>('SELECT id FROM queues WHERE tenant_id = $1 ORDER BY id', [tenantId])).map((q) => q.id);
    const queueSettings = await LiveQueueSettings.open(db, tenantId, now(), {
      onError: (err) => log.warn({ err: errSummary(err), tenant: tenantId }, 'queue settings not read; keeping the last ones'),
    });
    const floor: TenantFloor = {
      agents: new AgentStates({ now, queueSettings: queueSettings.wrapUpOf }),
      metrics: new QueueMetricsEngine({ timeZone: tenant?.time_zone ?? 'UTC', queues, settingsOf: queueSettings.of }),
      queueSettings,
      userIds: new Map(),
      lastPushed: null,
      storedBuckets: new Map(),
      audit: Promise.resolve(),
      unwritten: [],
      channels: null,
      channelsReading: null,
    };
    floor.agents.onChange((change) => {
      floor.metrics.ingestAgentChange(change);
      const update = stateUpdate(change);
      const userId = floor.userIds.get(change.agent);
      if (userId) outlet.toAgent(userId, EVENTS.agentState, update);
      outlet.toSupervisors(tenantId, EVENTS.agentState, update);
      floor.unwritten.push({ change, userId: userId ?? null });
      // One write for all the changes that arrive while the previous write runs (in order).
      if (floor.unwritten.length === 1) floor.audit = floor.audit.then(() => writeAudit(tenantId, floor));
    });
    return floor;
  };
  const tenant = (tenantId: string): Promise<TenantFloor> => {
    let t = tenants.get(tenantId);
    if (!t) {
      t = open(tenantId);
      tenants.set(tenantId, t);
      t.catch(() => tenants.delete(tenantId));
    }
    return t;
  };

  /** The queues an agent serves: their user_queues rows, or every queue of the tenant when none are set. */
  const queuesOf = async (who: FloorPerson): Promise<string[]> => {
    const own = await db.query<{ queue_id: string }>('SELECT queue_id FROM user_queues WHERE tenant_id = $1 AND user_id = $2 ORDER BY queue_id', [who.tenantId, who.userId]);
    if (own.length > 0) return own.map((r) => r.queue_id);
    return (await db.query<{ id: string }>('SELECT id FROM queues WHERE tenant_id = $1 ORDER BY id', [who.tenantId])).map((q) => q.id);
  };

  const refuse = (err: unknown): never => {
    if (err instanceof AgentStateError) throw new CenterError(err.code === 'unknown_agent' ? 'not_found' : 'conflict', err.message);
    throw err;
  };

  return {
    /**
     * A desktop connected. An agent is registered with their queues; back within the grace period they
     * keep their state, otherwise they start available (the desktop may set another state at once).
     */
    async connected(who: FloorPerson): Promise<AgentStateUpdate | null> {
      if (!takesCalls(who)) return null;
      const t = await tenant(who.tenantId);
      t.userIds.set(who.username, who.userId);
      const status = t.agents.register(who.username, await queuesOf(who));
      t.metrics.knowAgent(t.agents.get(who.username));
      const back = t.agents.reconnected(who.username);
      // A supervisor who also takes calls signs in to watch the floor: they become available themselves, in the agent's view.
      if (who.role === 'agent' && back.state === 'offline' && status.state === 'offline') t.agents.setByAgent(who.username, 'available');
      return statusUpdate(t.agents.get(who.username));
    },

    /** The agent's last desktop connection closed: their state is kept for the grace period. */
    async disconnected(who: FloorPerson): Promise<void> {
      if (!takesCalls(who)) return;
      const t = await tenant(who.tenantId);
      try {
        t.agents.disconnected(who.username);
      } catch (err) {
        if (!(err instanceof AgentStateError)) throw err;
      }
    },

    async setState(who: FloorPerson, req: SetAgentStateRequest): Promise<AgentStateUpdate> {
      const t = await tenant(who.tenantId);
      try {
        return stateUpdate(t.agents.setByAgent(who.username, req.state, req.reason ?? null));
      } catch (err) {
        return refuse(err);
      }
    },

    async force(who: FloorPerson, req: ForceAgentStateRequest): Promise<{ applied: boolean; pending: boolean }> {
      const t = await tenant(who.tenantId);
      try {
        const r = t.agents.force(req.agent, req.state, who.username, req.reason ?? null);
        return { applied: r.applied !== null, pending: r.pending };
      } catch (err) {
        return refuse(err);
      }
    },

    /** The agents of a tenant now (a supervisor's first view). */
    async agentsOf(tenantId: string): Promise<AgentStateUpdate[]> {
      return (await tenant(tenantId)).agents.list().map(statusUpdate);
    },

    /** A CTI event of this tenant (simulator, webhook, AMI): metrics and agent states follow it. */
    async ingestCti(tenantId: string, event: CtiEvent): Promise<void> {
      const t = await tenant(tenantId);
      t.metrics.ingestCti(event);
      const r = applyCtiToAgentStates(t.agents, event);
      if (r.ignored) log.debug({ tenant: tenantId, type: event.type, why: r.ignored }, 'cti event moved no agent');
    },

    /** An agent ends their wrap-up of a call (call control `finishWrapUp`). */
    async finishWrapUp(tenantId: string, username: string, interactionId: string): Promise<boolean> {
      const t = await tenant(tenantId);
      const s = t.agents.find(username);
      if (!s || s.state !== 'wrap_up' || s.interactionId !== interactionId) return false;
      t.agents.setBySystem(username, { to: 'available' }, 'wrap_up_done');
      return true;
    },

    /** A supervisor joined: they get the whole picture once; later pushes are diffs. */
    async fullPush(tenantId: string): Promise<QueueMetricsPush> {
      const t = await tenant(tenantId);
      const at = now();
      return { kind: 'full', at: new Date(at).toISOString(), queues: t.lastPushed ?? t.metrics.snapshot(at) };
    },

    /**
     * Once a second: deadlines (grace, wrap-up limits), then only what changed to supervisors, then
     * buckets stored. Nothing waits for the database between the snapshot and its push (the pool is
     * shared with every CTI event): the settings re-read (every few seconds) comes before the snapshot
     * is taken, and the chat and email figures pushed are the last ones read, read again meanwhile for
     * the next tick (only a tenant's first push waits for them).
     */
    async tick(): Promise<void> {
      for (const [tenantId, pending] of tenants) {
        const t = await pending;
        t.agents.tick();
        await t.queueSettings.refreshIfDue(now(), t.metrics);
        const at = now();
        const snap = t.metrics.snapshot(at);
        if (extras.channelsOf) {
          const read = readChannels(tenantId, t, Object.keys(snap), at);
          if (t.channels === null) await read;
          for (const [queue, m] of Object.entries(snap)) {
            const c = t.channels?.[queue];
            if (c) m.channels = c;
          }
        }
        if (t.lastPushed) {
          const d = diff(t.lastPushed, snap);
          if (d) outlet.toSupervisors(tenantId, EVENTS.queueMetrics, { kind: 'diff', at: new Date(at).toISOString(), diff: d } satisfies QueueMetricsPush);
        } else {
          outlet.toSupervisors(tenantId, EVENTS.queueMetrics, { kind: 'full', at: new Date(at).toISOString(), queues: snap } satisfies QueueMetricsPush);
        }
        t.lastPushed = snap;
        await storeBuckets(tenantId, t, snap);
      }
    },

    async trends(who: FloorPerson, req: QueueTrendsRequest): Promise<QueueTrendsResponse> {
      const rows = await db.query<{ queue_id: string; figures: unknown }>(
        `SELECT queue_id, figures FROM queue_metric_buckets
          WHERE tenant_id = $1 AND bucket_start >= $2 AND bucket_start < $3 AND ($4::text IS NULL OR queue_id = $4)
          ORDER BY bucket_start, queue_id LIMIT 5000`,
        [who.tenantId, new Date(req.from), new Date(req.to), req.queue ?? null],
      );
      return { buckets: rows.map((r) => ({ queue: r.queue_id, figures: (typeof r.figures === 'string' ? JSON.parse(r.figures) : r.figures) as QueueTrendsResponse['buckets'][number]['figures'] })) };
    },

    /** The tenant's agent state machine, for a CTI source that moves agents itself (the ACD simulator). */
    async agentStates(tenantId: string): Promise<AgentStates> {
      return (await tenant(tenantId)).agents;
    },

    /** A CTI event whose agent moves the source already made (the ACD simulator): metrics only. */
    async ingestMetrics(tenantId: string, event: CtiEvent): Promise<void> {
      (await tenant(tenantId)).metrics.ingestCti(event);
    },

    /**
     * A new CTI owner takes the floor over: each agent who was not offline within `lookbackMs` gets the
     * state of their last agent_state_changes row back (a call state with its call), reached by the
     * state machine's own moves (cause `takeover`). Agents not connected anywhere (`present`) keep it for
     * the grace period only. Returns how many agents were restored.
     */
    async restore(tenantId: string, opts: { present: ReadonlySet<string>; lookbackMs?: number; now?: number }): Promise<number> {
      const t = await tenant(tenantId);
      const since = new Date((opts.now ?? now()) - (opts.lookbackMs ?? RESTORE_LOOKBACK_MS));
      const rows = await db.query<{ user_id: string | null; agent: string; state: string; reason: string | null; interaction_id: string | null; queue: string | null; at: Date | string }>(
        `SELECT DISTINCT ON (agent) user_id, agent, state, reason, interaction_id, queue, at
           FROM agent_state_changes WHERE tenant_id = $1 AND at >= $2 ORDER BY agent, at DESC, id DESC`,
        [tenantId, since],
      );
      let restored = 0;
      for (const r of rows) {
        if (r.state === 'offline' || r.user_id === null) continue;
        const [user] = await db.query<{ role: string; takes_calls: boolean }>('SELECT role, takes_calls FROM users WHERE tenant_id = $1 AND id = $2 AND NOT disabled', [tenantId, r.user_id]);
        if (!user || !takesCalls({ role: user.role, takesCalls: user.takes_calls })) continue;
        const who: FloorPerson = { userId: r.user_id, tenantId, username: r.agent, role: user.role, takesCalls: user.takes_calls };
        t.userIds.set(r.agent, r.user_id);
        t.agents.register(r.agent, await queuesOf(who));
        t.metrics.knowAgent(t.agents.get(r.agent));
        if (t.agents.get(r.agent).state !== 'offline') continue; // already back (connected meanwhile)
        try {
          // Dated when the state began, not now: a supervisor's time in state goes on counting.
          for (const step of restoreSteps(r)) t.agents.setBySystem(r.agent, step, 'takeover', new Date(r.at).getTime());
        } catch (err) {
          if (!(err instanceof AgentStateError)) throw err;
          log.warn({ tenant: tenantId, err: errSummary(err) }, 'an agent state could not be restored; the agent starts over');
        }
        if (!opts.present.has(r.user_id)) t.agents.disconnected(r.agent);
        restored += 1;
      }
      return restored;
    },

    /** This node no longer owns the floor: forget it (the next owner restores it from the database). */
    async forget(): Promise<void> {
      const all = [...tenants.values()];
      tenants.clear();
      for (const t of all) await (await t.catch(() => null))?.audit;
    },

    /** Waits for audit rows and figure reads in flight (stop, tests). */
    async settle(): Promise<void> {
      for (const pending of tenants.values()) {
        const t = await pending;
        await t.audit;
        await t.channelsReading;
      }
    },
  };

  /**
   * Writes every unwritten state change, in order, in one statement: the audit_log row (who, what, why)
   * and the whole change in agent_state_changes, so the next CTI owner can restore the floor (restore()).
   * A failed write is logged and dropped: the floor itself is in memory and goes on.
   */
  async function writeAudit(tenantId: string, floor: TenantFloor): Promise<void> {
    const batch = floor.unwritten.splice(0);
    if (batch.length === 0) return;
    const col = <T>(f: (c: AgentStateChange, userId: string | null) => T) => batch.map((b) => f(b.change, b.userId));
    try {
      await db.query(
        `WITH c AS (
           SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
                  WITH ORDINALITY AS t(user_id, agent, state, reason, interaction_id, queue, cause, forced_by, at, ord)
         ), audited AS (
           INSERT INTO audit_log (tenant_id, user_id, action, reason, at)
           SELECT $1, user_id, 'agent_state.' || state,
                  cause || COALESCE(':' || reason, '') || COALESCE(' forced by ' || forced_by, ''), at
             FROM c ORDER BY ord
         )
         INSERT INTO agent_state_changes (tenant_id, user_id, agent, state, reason, interaction_id, queue, cause, forced_by, at)
         SELECT $1, user_id, agent, state, reason, interaction_id, queue, cause, forced_by, at FROM c ORDER BY ord`,
        [
          tenantId,
          col((_, userId) => userId),
          col((c) => c.agent),
          col((c) => c.to),
          col((c) => c.reason),
          col((c) => c.interactionId),
          col((c) => c.queue),
          col((c) => c.cause),
          col((c) => c.forcedBy),
          col((c) => new Date(c.at)),
        ],
      );
    } catch (err) {
      log.warn({ err: errSummary(err), tenant: tenantId, rows: batch.length }, 'agent state audit rows not written');
    }
  }

  /** Reads the tenant's chat and email figures into `t.channels` (kept on a failed read); one read at a time. */
  function readChannels(tenantId: string, t: TenantFloor, queues: readonly string[], at: number): Promise<void> {
    t.channelsReading ??= extras
      .channelsOf!(tenantId, queues, at)
      .then(
        (c) => void (t.channels = c),
        (err: unknown) => log.warn({ err: errSummary(err), tenant: tenantId }, 'chat and email figures not read; pushing the last ones'),
      )
      .finally(() => (t.channelsReading = null));
    return t.channelsReading;
  }

  async function storeBuckets(tenantId: string, t: TenantFloor, snap: Record<string, QueueMetrics>): Promise<void> {
    for (const [queue, m] of Object.entries(snap)) {
      // Only the latest two buckets can still change; earlier ones were stored when they closed.
      for (const [start, figures] of Object.entries(m.buckets).slice(-2)) {
        if (figures.offered === 0 && figures.handled === 0 && figures.abandoned === 0 && figures.shortAbandoned === 0) continue;
        const key = `${queue}\u0000${start}`;
        const json = JSON.stringify(figures);
        if (t.storedBuckets.get(key) === json) continue;
        try {
          await db.query(
            `INSERT INTO queue_metric_buckets (tenant_id, queue_id, bucket_start, figures, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())
             ON CONFLICT (tenant_id, queue_id, bucket_start) DO UPDATE SET figures = EXCLUDED.figures, updated_at = now()`,
            [tenantId, queue, new Date(start), json],
          );
          t.storedBuckets.set(key, json);
        } catch (err) {
          log.warn({ err: errSummary(err), tenant: tenantId }, 'queue trend bucket not stored; will retry next second');
        }
      }
    }
  }
}
export type Floor = ReturnType<typeof createFloor>;

/** How far back a new owner looks for agents' last states. */
export const RESTORE_LOOKBACK_MS = 12 * 60 * 60 * 1000;

/** The state machine's moves from offline to a stored state (a call state needs the moves of a call). */
function restoreSteps(r: { state: string; reason: string | null; interaction_id: string | null; queue: string | null }): TransitionRequest[] {
  const call = { interactionId: r.interaction_id, queue: r.queue };
  switch (r.state) {
    case 'not_ready':
      return [{ to: 'not_ready', reason: r.reason ?? 'paused' }];
    case 'on_call':
      return [{ to: 'available' }, { to: 'ringing', ...call }, { to: 'on_call', ...call }];
    case 'on_hold':
      return [{ to: 'available' }, { to: 'ringing', ...call }, { to: 'on_call', ...call }, { to: 'on_hold', ...call }];
    case 'wrap_up':
      return [{ to: 'available' }, { to: 'ringing', ...call }, { to: 'on_call', ...call }, { to: 'wrap_up', ...call }];
    default:
      // available, and ringing: the ring died with the old owner; the call waits in its queue again.
      return [{ to: 'available' }];
  }
}
