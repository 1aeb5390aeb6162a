// Who gets the next chat or email: pure. Among agents available (not on a call, not in a call's
// wrap-up, not on a break, connected) who serve the queue and hold fewer items of the channel than
// its capacity, the one idle longest (since their state began or they were last offered an item,
// whichever is later). And whether what an agent holds keeps calls away from them.
import type { ChannelCapacities, QueueCapacitiesSet, WorkChannel } from '../../../shared/protocol';
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

/** Every queue of the tenant with its chat and email capacity (`custom` false: the default), for supervisors. */
export async function capacitiesOf(q: Queryable, tenantId: string): Promise<QueueCapacitiesSet> {
  const queues = await q.query<{ id: string }>(`SELECT id FROM queues WHERE tenant_id = $1 ORDER BY id`, [tenantId]);
  const rows = await q.query<{ queue_id: string; channel: CapacityChannel; capacity: number; interruptible: boolean }>(
    `SELECT queue_id, channel, capacity, interruptible FROM queue_channel_settings WHERE tenant_id = $1 AND channel IN ('chat', 'email')`,
    [tenantId],
  );
  const set = new Map(rows.map((r) => [`${r.queue_id}\u0000${r.channel}`, r]));
  const of = (queue: string | null, channel: 'chat' | 'email') => {
    const r = queue === null ? undefined : set.get(`${queue}\u0000${channel}`);
    return r ? { capacity: r.capacity, interruptible: r.interruptible, custom: true } : { capacity: DEFAULT_CAPACITY[channel].capacity, interruptible: DEFAULT_CAPACITY[channel].interruptible, custom: false };
  };
  const both = (queue: string | null): ChannelCapacities => ({ chat: of(queue, 'chat'), email: of(queue, 'email') });
  return { defaults: both(null), queues: Object.fromEntries(queues.map((r) => [r.id, both(r.id)])) };
}

/** A capacity setting refused, with what to give instead. */
export class CapacityError extends Error {}

/** A channel and capacity as typed (the CLI), checked before anything is written. */
export function parseCapacity(channel: string | undefined, capacity: string | undefined, interruptible: string | undefined): { channel: CapacityChannel; capacity: number; interruptible?: boolean } {
  if (!CAPACITY_CHANNELS.includes(channel as CapacityChannel)) throw new CapacityError(`Channel ${JSON.stringify(channel ?? '')} is not one of ${CAPACITY_CHANNELS.join(', ')}.`);
  if (channel === 'voice') throw new CapacityError('Voice is always 1 and exclusive (an agent on a call is offered nothing else); set chat or email.');
  if (!/^\d{1,2}$/.test(capacity ?? '') || Number(capacity) < 1 || Number(capacity) > 50) throw new CapacityError(`Capacity ${JSON.stringify(capacity ?? '')} is not a whole number from 1 to 50.`);
  if (interruptible !== undefined && interruptible !== 'on' && interruptible !== 'off') throw new CapacityError(`Interruptible ${JSON.stringify(interruptible)} is neither on nor off.`);
  return { channel: channel as CapacityChannel, capacity: Number(capacity), ...(interruptible !== undefined && { interruptible: interruptible === 'on' }) };
}

/** Sets one queue's capacity for a channel (the CLI); `interruptible` kept (or the default) when not given. */
export async function setCapacity(q: Queryable, tenantId: string, queue: string, channel: CapacityChannel, c: Omit<ChannelCapacity, 'interruptible' | 'exclusive'> & Partial<ChannelCapacity>): Promise<ChannelCapacity> {
  if (!Number.isInteger(c.capacity) || c.capacity < 1 || c.capacity > 50) throw new CapacityError(`A capacity is a whole number from 1 to 50; got ${c.capacity}.`);
  const [known] = await q.query(`SELECT 1 FROM queues WHERE tenant_id = $1 AND id = $2`, [tenantId, queue]);
  if (!known) throw new CapacityError(`Tenant ${tenantId} has no queue "${queue}".`);
  const current = (await readCapacities(q, tenantId))(queue, channel);
  const next: ChannelCapacity = { capacity: c.capacity, exclusive: c.exclusive ?? current.exclusive, interruptible: c.interruptible ?? current.interruptible };
  await q.query(
    `INSERT INTO queue_channel_settings (tenant_id, queue_id, channel, capacity, exclusive, interruptible, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id, queue_id, channel) DO UPDATE SET capacity = EXCLUDED.capacity, exclusive = EXCLUDED.exclusive, interruptible = EXCLUDED.interruptible, updated_at = now()`,
    [tenantId, queue, channel, next.capacity, next.exclusive, next.interruptible],
  );
  return next;
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
