// Chats and emails in each queue's live metrics (QueueMetrics.channels): waiting now (queued or
// offered), the oldest one's wait, how many agents hold, and the average first-response time over the
// last 30 minutes. Two indexed statements per tenant, read by the floor's once-a-second tick.
import type { ChannelQueueFigures, ChannelsOfQueue, WorkChannel } from '../../../shared/protocol';
import type { Queryable } from '../db/db';

export const FIRST_RESPONSE_WINDOW_MIN = 30;

const none = (): ChannelQueueFigures => ({ waitingNow: 0, longestWaitSec: 0, active: 0, firstResponseSec: null });

/** Every queue of `queues` with its chat and email figures at `at` (zeros where nothing is open). */
export async function channelFigures(q: Queryable, tenantId: string, queues: readonly string[], at: number): Promise<Record<string, ChannelsOfQueue>> {
  const out: Record<string, ChannelsOfQueue> = {};
  for (const queue of queues) out[queue] = { chat: none(), email: none() };
  const now = new Date(at);
  const open = await q.query<{ queue: string; channel: WorkChannel; waiting: number; oldest: Date | string | null; active: number }>(
    `SELECT queue, channel, count(*) FILTER (WHERE state IN ('queued', 'offered'))::int AS waiting,
            min(queued_at) FILTER (WHERE state IN ('queued', 'offered')) AS oldest,
            count(*) FILTER (WHERE state IN ('active', 'wrap_up'))::int AS active
       FROM conversations WHERE tenant_id = $1 AND state <> 'closed' GROUP BY queue, channel`,
    [tenantId],
  );
  for (const r of open) {
    const f = out[r.queue]?.[r.channel];
    if (!f) continue;
    f.waitingNow = r.waiting;
    f.longestWaitSec = r.oldest ? Math.max(0, Math.floor((at - new Date(r.oldest).getTime()) / 1000)) : 0;
    f.active = r.active;
  }
  const answered = await q.query<{ queue: string; channel: WorkChannel; avg_sec: number | string | null }>(
    `SELECT queue, channel, avg(EXTRACT(EPOCH FROM (first_response_at - created_at)))::float8 AS avg_sec
       FROM conversations WHERE tenant_id = $1 AND first_response_at > $2 AND first_response_at <= $3 GROUP BY queue, channel`,
    [tenantId, new Date(at - FIRST_RESPONSE_WINDOW_MIN * 60_000), now],
  );
  for (const r of answered) {
    const f = out[r.queue]?.[r.channel];
    if (f && r.avg_sec !== null) f.firstResponseSec = Math.max(0, Math.round(Number(r.avg_sec)));
  }
  return out;
}
