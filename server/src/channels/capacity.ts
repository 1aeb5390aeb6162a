// Who gets the next chat or email: pure. Among agents available (not on a call, not in a call's
// wrap-up, not on a break, connected) who serve the queue and hold fewer items of the channel than
// its capacity, the one idle longest (since their state began or they were last offered an item,
// whichever is later). And whether what an agent holds keeps calls away from them.
import type { WorkChannel } from '../../../shared/protocol';
import type { Queryable } from '../db/db';
import type { AgentStatus } from '../floor/model/agent-state';

export const CAPACITY_CHANNELS = ['voice', 'chat', 'email'] as const;
export type CapacityChannel = (typeof CAPACITY_CHANNELS)[number];

export interface ChannelCapacity {
  /** Items of the channel an agent holds at once (offered, active or in wrap-up). */
  capacity: number;
  /** Voice: an agent on a call is offered nothing else. */
  exclusive: boolean;
  /** An agent holding items of the channel may still be offered a call. */
  interruptible: boolean;
}

/** CHANNELS.md's defaults: voice 1 and exclusive; chat 3; email 2, interruptible by a call. */
export const DEFAULT_CAPACITY: Readonly<Record<CapacityChannel, ChannelCapacity>> = {
  voice: { capacity: 1, exclusive: true, interruptible: false },
  chat: { capacity: 3, exclusive: false, interruptible: false },
  email: { capacity: 2, exclusive: false, interruptible: true },
};

export type CapacityOf = (queue: string, channel: CapacityChannel) => ChannelCapacity;

/** A tenant's per-queue settings (queue_channel_settings), the defaults where a queue has none. */
export async function readCapacities(q: Queryable, tenantId: string): Promise<CapacityOf> {
  const rows = await q.query<{ queue_id: string; channel: CapacityChannel; capacity: number; exclusive: boolean; interruptible: boolean }>(
    `SELECT queue_id, channel, capacity, exclusive, interruptible FROM queue_channel_settings WHERE tenant_id = $1`,
    [tenantId],
  );
  const set = new Map(rows.map((r) => [`${r.queue_id}\u0000${r.channel}`, { capacity: r.capacity, exclusive: r.exclusive, interruptible: r.interruptible }]));
  return (queue, channel) => set.get(`${queue}\u0000${channel}`) ?? DEFAULT_CAPACITY[channel];
}

/** Sets one queue's capacity for a channel (supervisors, the CLI); refused with the reason when out of range. */
export async function setCapacity(q: Queryable, tenantId: string, queue: string, channel: CapacityChannel, c: ChannelCapacity): Promise<void> {
  if (!Number.isInteger(c.capacity) || c.capacity < 1 || c.capacity > 50) throw new RangeError(`A capacity is a whole number from 1 to 50; got ${c.capacity}.`);
  await q.query(
    `INSERT INTO queue_channel_settings (tenant_id, queue_id, channel, capacity, exclusive, interruptible, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id, queue_id, channel) DO UPDATE SET capacity = EXCLUDED.capacity, exclusive = EXCLUDED.exclusive, interruptible = EXCLUDED.interruptible, updated_at = now()`,
    [tenantId, queue, channel, c.capacity, c.exclusive, c.interruptible],
  );
}

/** One item an agent holds or is offered. */
export interface HeldItem {
  channel: WorkChannel;
  queue: string;
}

export interface Candidate {
  status: Pick<AgentStatus, 'agent' | 'state' | 'since' | 'queues' | 'disconnectedAt'>;
  held: readonly HeldItem[];
  /** When they were last offered a chat or email (ms), if ever. */
  lastOfferedAt: number | null;
}

/** The agent to offer a `channel` item of `queue` to, or null when none may take it. */
export function pickAgent(candidates: readonly Candidate[], item: HeldItem, capacityOf: CapacityOf, skip: (agent: string) => boolean = () => false): Candidate | null {
  const capacity = capacityOf(item.queue, item.channel).capacity;
  const idleSince = (c: Candidate) => Math.max(c.status.since, c.lastOfferedAt ?? -Infinity);
  let best: Candidate | null = null;
  for (const c of candidates) {
    const s = c.status;
    if (s.state !== 'available' || s.disconnectedAt !== null || !s.queues.includes(item.queue) || skip(s.agent)) continue;
    if (c.held.filter((h) => h.channel === item.channel).length >= capacity) continue;
    if (!best || idleSince(c) < idleSince(best) || (idleSince(c) === idleSince(best) && s.agent < best.status.agent)) best = c;
  }
  return best;
}

/** Whether calls must pass this agent by: they hold an item a call may not interrupt (a chat, by default). */
export function keepsCallsAway(held: readonly HeldItem[], capacityOf: CapacityOf): boolean {
  return held.some((h) => !capacityOf(h.queue, h.channel).interruptible);
}
