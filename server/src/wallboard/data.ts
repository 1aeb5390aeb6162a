// What a wallboard shows: each queue of ONE tenant, the big figures and their threshold colours, and
// the queue's chats and emails where the floor reports them.
// Names and thresholds are read at most every few seconds per tenant; figures come live from the floor.
import { channelLevels, queueLevels, type ChannelLevels, type ChannelsOfQueue, type QueueLevels, type QueueMetricsPush, type QueueThresholds } from '../../../shared/protocol';
import type { Db } from '../db/db';
import { thresholdsOf } from '../floor/thresholds';

export interface WallboardQueue {
  queue: string;
  name: string;
  waitingNow: number;
  longestWaitSec: number;
  /** Over the rolling window (`windowMin`), as on the supervisor's queue table. */
  serviceLevel: number | null;
  slThresholdSec: number;
  asaSec: number | null;
  abandonRate: number | null;
  offered: number;
  answered: number;
  abandoned: number;
  agentsAvailable: number;
  levels: QueueLevels;
  /** Chats and emails of the queue; absent when the floor reports none (a center without channels). */
  channels?: { chat: WallboardChannel; email: WallboardChannel };
}
/** A channel's figures on a tile: waiting now, the oldest one's wait, first-response time (30 min). */
export interface WallboardChannel {
  waitingNow: number;
  longestWaitSec: number;
  firstResponseSec: number | null;
  levels: ChannelLevels;
}
export interface WallboardData {
  tenant: string;
  label: string;
  at: string | null;
  windowMin: number | null;
  queues: WallboardQueue[];
}

const SETTINGS_TTL_MS = 5_000;

function channelsOf(c: ChannelsOfQueue, t: QueueThresholds): NonNullable<WallboardQueue['channels']> {
  const one = (channel: 'chat' | 'email'): WallboardChannel => {
    const f = c[channel];
    return { waitingNow: f.waitingNow, longestWaitSec: f.longestWaitSec, firstResponseSec: f.firstResponseSec, levels: channelLevels(channel, f, t) };
  };
  return { chat: one('chat'), email: one('email') };
}

export function createWallboardData(db: Db, metricsOf: (tenantId: string) => Promise<QueueMetricsPush>, now = Date.now) {
  const cache = new Map<string, { until: number; value: Promise<{ tenant: string; names: Map<string, string>; thresholds: Awaited<ReturnType<typeof thresholdsOf>> }> }>();
  const settings = (tenantId: string) => {
    const hit = cache.get(tenantId);
    if (hit && hit.until > now()) return hit.value;
    const value = (async () => {
      const [tenant] = await db.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [tenantId]);
      const names = await db.query<{ id: string; name: string }>('SELECT id, name FROM queues WHERE tenant_id = $1', [tenantId]);
      return { tenant: tenant?.name ?? tenantId, names: new Map(names.map((r) => [r.id, r.name])), thresholds: await thresholdsOf(db, tenantId) };
    })();
    cache.set(tenantId, { until: now() + SETTINGS_TTL_MS, value });
    value.catch(() => cache.delete(tenantId));
    return value;
  };

  return async function wallboardData(tenantId: string, label: string): Promise<WallboardData> {
    const [s, push] = await Promise.all([settings(tenantId), metricsOf(tenantId)]);
    const live = push.kind === 'full' ? push : { at: null, queues: {} };
    const queues = Object.values(live.queues)
      // Only queues the tenant's own table lists: the floor is per tenant, this is belt and braces.
      .filter((m) => s.names.has(m.queue))
      .sort((a, b) => a.queue.localeCompare(b.queue))
      .map((m): WallboardQueue => {
        const t = s.thresholds.queues[m.queue]?.thresholds ?? s.thresholds.defaults;
        const figures = { waitingNow: m.waitingNow, longestWaitSec: m.longestWaitSec, serviceLevel: m.window.serviceLevel, abandonRate: m.window.abandonRate };
        return {
          queue: m.queue,
          name: s.names.get(m.queue) ?? m.queue,
          ...figures,
          slThresholdSec: m.serviceLevel.thresholdSec,
          asaSec: m.window.asaSec,
          offered: m.window.offered,
          answered: m.window.answered,
          abandoned: m.window.abandoned,
          agentsAvailable: m.agentsByState.available ?? 0,
          levels: queueLevels(figures, t),
          ...(m.channels && { channels: channelsOf(m.channels, t) }),
        };
      });
    const first = Object.values(live.queues)[0];
    return { tenant: s.tenant, label, at: live.at, windowMin: first?.windowMin ?? null, queues };
  };
}
