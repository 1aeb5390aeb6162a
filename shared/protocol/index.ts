// Center <-> desktop wire messages (HTTP and socket.io), per SYNC.md and ARCHITECTURE.md.
// Every message is parsed with these schemas at the receiving end.
import { z } from 'zod';
import { Customer, Interaction, IsoTime, Note, Queue, Role, ScreenPop, Uuid, VocItem, VocType } from '../domain/entities';

/** Bumped when a message changes shape. A desktop whose version the center no longer accepts gets `update_required`. */
export const SCHEMA_VERSION = 1;
/** The oldest desktop schema version this build of the center still serves. */
export const MIN_SCHEMA_VERSION = 1;

// ---------- errors ----------
export const ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'update_required',
  'conflict',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const WireError = z.object({ code: ErrorCode, message: z.string() });
export type WireError = z.infer<typeof WireError>;
/** Every socket.io acknowledgement is one of these. */
export type Ack<T> = { ok: true; value: T } | { ok: false; error: WireError };
export const ackSchema = <T extends z.ZodTypeAny>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: WireError }),
  ]);

// ---------- HTTP ----------
/** POST /api/login */
export const LoginRequest = z.object({
  tenant: z.string().min(1).max(64),
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: IsoTime,
  user: z.object({ id: Uuid, tenant: z.string(), username: z.string(), displayName: z.string(), role: Role }),
});
export type LoginResponse = z.infer<typeof LoginResponse>;
/** GET /healthz and /readyz */
export const Health = z.object({ status: z.enum(['ok', 'starting', 'stopping']), version: z.string(), node: z.string().optional() });

// ---------- socket.io handshake ----------
/** `io(url, { auth })`: the session token from login, and the desktop's schema version. */
export const HandshakeAuth = z.object({
  token: z.string().min(1).max(512),
  schemaVersion: z.number().int(),
  /** The desktop install's sync client id (UUID); supervisors' wallboards may omit it. */
  clientId: Uuid.optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

// ---------- sync ----------
/** Change-log versions are 64-bit: they travel as decimal strings. */
export const Version = z.string().regex(/^\d{1,20}$/);
export const ENTITIES = ['customer', 'interaction', 'note', 'voc_item', 'queue', 'customer_merge'] as const;
export const Entity = z.enum(ENTITIES);
export type Entity = z.infer<typeof Entity>;
/** `customer_merge` data: the provisional customer `fromId` now lives on as `intoId`. */
export const CustomerMerge = z.object({ fromId: Uuid, intoId: Uuid });
export const entityData = {
  customer: Customer,
  interaction: Interaction,
  note: Note,
  voc_item: VocItem,
  queue: Queue,
  customer_merge: CustomerMerge,
} as const;
export const Change = z.object({
  version: Version,
  entity: Entity,
  id: z.string().max(64),
  op: z.enum(['upsert', 'delete']),
  /** For `upsert`, the entity as `entityData[entity]` describes it; null for `delete` (a tombstone). */
  data: z.unknown(),
});
export type Change = z.infer<typeof Change>;

/** `sync:pull` (client -> center, with ack). A null cursor asks for a bootstrap snapshot. */
export const PullRequest = z.object({
  schemaVersion: z.number().int(),
  cursor: Version.nullable(),
  limit: z.number().int().min(1).max(5000),
});
export type PullRequest = z.infer<typeof PullRequest>;
export const PullResponse = z.object({
  changes: z.array(Change),
  cursor: Version,
  hasMore: z.boolean(),
  /** True when the client's cursor was older than the retention horizon: drop the cache and re-bootstrap. */
  reset: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponse>;

// Mutations: names never change meaning; a new meaning gets a new name.
export const NoteSaveArgs = z.object({
  id: Uuid,
  customerId: Uuid,
  interactionId: Uuid.nullable(),
  text: z.string().max(20_000),
  revision: z.number().int().positive(),
});
export const VocCreateArgs = z.object({
  id: Uuid,
  customerId: Uuid,
  interactionId: Uuid.nullable(),
  type: VocType,
  topic: z.string().max(120),
  description: z.string().max(1000),
});
export const DispositionSetArgs = z.object({ interactionId: Uuid, code: z.string().min(1).max(64) });
export const ProvisionalCustomerArgs = z.object({
  id: Uuid,
  displayName: z.string().max(200),
  phone: z.string().max(64).nullable(),
});
/** An unknown caller's contact linked to an existing customer; `addPhone` adds the contact's ANI as their phone. */
export const LinkCustomerArgs = z.object({ interactionId: Uuid, customerId: Uuid, addPhone: z.boolean() });
export const mutationArgs = {
  'note.save': NoteSaveArgs,
  'voc.create': VocCreateArgs,
  'disposition.set': DispositionSetArgs,
  'customer.createProvisional': ProvisionalCustomerArgs,
  'interaction.linkCustomer': LinkCustomerArgs,
} as const;
export type MutationName = keyof typeof mutationArgs;
export const MutationName = z.enum(Object.keys(mutationArgs) as [MutationName, ...MutationName[]]);
export const Mutation = z.object({
  mutationId: Uuid,
  seq: z.number().int().positive(),
  name: z.string().max(64),
  args: z.unknown(),
  schemaVersion: z.number().int(),
  createdAt: IsoTime,
});
export type Mutation = z.infer<typeof Mutation>;

/** `sync:push` (client -> center, with ack). */
export const PushRequest = z.object({
  schemaVersion: z.number().int(),
  clientId: Uuid,
  mutations: z.array(Mutation).max(1000),
});
export type PushRequest = z.infer<typeof PushRequest>;
export const RejectedMutation = z.object({ mutationId: Uuid, seq: z.number().int(), reason: z.string() });
export type RejectedMutation = z.infer<typeof RejectedMutation>;
export const PushResponse = z.object({
  /** Highest seq the center has processed for this client (applied or rejected). */
  lastSeq: z.number().int().nonnegative(),
  /** Change-log version that includes every effect of the processed mutations. */
  version: Version,
  rejected: z.array(RejectedMutation),
});
export type PushResponse = z.infer<typeof PushResponse>;
/** `sync:poke` (center -> client): a hint that changes up to `version` exist. Pull from your cursor. */
export const Poke = z.object({ version: Version });

// ---------- screen pop ----------
/** `customer:lookup` (client -> center, with ack) -> ScreenPop | null */
export const LookupRequest = z.object({
  by: z.enum(['phone', 'email', 'social', 'id']),
  value: z.string().min(1).max(320),
  reason: z.enum(['screen_pop', 'search']),
});
export type LookupRequest = z.infer<typeof LookupRequest>;
export const LookupResponse = ScreenPop.nullable();

// ---------- CTI ----------
/** `cti:callOffered` (center -> the agent's room `agent:<userId>`). */
export const CallOffered = z.object({
  interactionId: Uuid,
  ani: z.string().max(64),
  dnis: z.string().max(64),
  queue: z.string().max(64),
  agent: z.string().max(64),
  offeredAt: IsoTime,
});
export type CallOffered = z.infer<typeof CallOffered>;

// ---------- agent states and live queue metrics (added in schema 1, compatibly) ----------
export * from './queue-metrics';
export * from './queue-thresholds';
export * from './great-service';
import { MetricsDiff, PeriodFigures, QueueMetrics } from './queue-metrics';

export const AGENT_STATES = ['offline', 'available', 'not_ready', 'ringing', 'on_call', 'on_hold', 'wrap_up'] as const;
export const AgentStateName = z.enum(AGENT_STATES);
export type AgentStateName = z.infer<typeof AgentStateName>;
/** A not_ready reason code: lower-case letters, digits and _ (e.g. break, meal, training). */
export const ReasonCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);

/**
 * `agent:setState` (agent -> center, with ack -> AgentStateUpdate): the agent chooses available,
 * not_ready (reason required) or offline, or ends wrap-up (`available`/`not_ready`). Call states are the switch's.
 */
export const SetAgentStateRequest = z.object({
  state: z.enum(['available', 'not_ready', 'offline']),
  reason: ReasonCode.nullish(),
});
export type SetAgentStateRequest = z.infer<typeof SetAgentStateRequest>;

/**
 * `agent:force` (supervisor/admin -> center, with ack -> { applied, pending }): puts an agent of the
 * same tenant in not_ready or offline. During a call the force waits for the call to end (`pending`).
 */
export const ForceAgentStateRequest = z.object({
  agent: z.string().min(1).max(64),
  state: z.enum(['not_ready', 'offline']),
  reason: ReasonCode.nullish(),
});
export type ForceAgentStateRequest = z.infer<typeof ForceAgentStateRequest>;
export const ForceAgentStateResponse = z.object({ applied: z.boolean(), pending: z.boolean() });

/**
 * `agent:state` (center -> the agent's room and the tenant's supervisors): an agent's state changed.
 * `forcedBy` names the supervisor who forced it; `by` says who made the change.
 * Also the ack value of `agent:setState` (the agent's state after the request).
 */
export const AgentStateUpdate = z.object({
  agent: z.string(),
  state: AgentStateName,
  reason: z.string().nullable(),
  interactionId: Uuid.nullable(),
  queue: z.string().nullable(),
  since: IsoTime,
  by: z.enum(['agent', 'supervisor', 'system']),
  forcedBy: z.string().nullable(),
  /** Supervisors only: the display name of the customer on the agent's interaction (null: none, or not known). */
  customerName: z.string().max(200).nullish(),
});
export type AgentStateUpdate = z.infer<typeof AgentStateUpdate>;

/**
 * `queue:metrics` (center -> the tenant's supervisors, once a second when something changed):
 * `full` (a snapshot per queue) right after a supervisor connects, then `diff`s from the previous push.
 */
export const QueueMetricsPush = z.union([
  z.object({ kind: z.literal('full'), at: IsoTime, queues: z.record(z.string(), QueueMetrics) }),
  z.object({ kind: z.literal('diff'), at: IsoTime, diff: MetricsDiff }),
]);
export type QueueMetricsPush = z.infer<typeof QueueMetricsPush>;

/** `queue:trends` (supervisor/admin -> center, with ack -> QueueTrendsResponse): stored 15-minute buckets. */
export const QueueTrendsRequest = z.object({
  queue: z.string().min(1).max(64).optional(),
  from: IsoTime,
  to: IsoTime,
});
export type QueueTrendsRequest = z.infer<typeof QueueTrendsRequest>;
/** One queue's figures for the 15 minutes starting at `figures.from`. */
export const QueueTrendBucket = z.object({ queue: z.string(), figures: PeriodFigures });
export const QueueTrendsResponse = z.object({ buckets: z.array(QueueTrendBucket) });
export type QueueTrendsResponse = z.infer<typeof QueueTrendsResponse>;

/**
 * `call:control` (agent -> center, with ack -> { interactionId, action }): the agent acts on their call;
 * the center relays it to the CTI source that owns the call (the simulator does all; a PBX what it supports,
 * the rest answered `conflict` with the reason). `target` (queue, extension or number) is needed for transfer.
 */
export const CALL_CONTROL_ACTIONS = ['answer', 'hold', 'resume', 'transfer', 'hangup', 'finishWrapUp'] as const;
export const CallControlRequest = z
  .object({ interactionId: Uuid, action: z.enum(CALL_CONTROL_ACTIONS), target: z.string().min(1).max(128).optional() })
  .refine((r) => r.action !== 'transfer' || r.target !== undefined, { message: 'transfer needs a target (queue, extension or number)', path: ['target'] });
export type CallControlRequest = z.infer<typeof CallControlRequest>;
export const CallControlResponse = z.object({ interactionId: Uuid, action: z.enum(CALL_CONTROL_ACTIONS) });

export const EVENTS = {
  pull: 'sync:pull',
  push: 'sync:push',
  poke: 'sync:poke',
  lookup: 'customer:lookup',
  callOffered: 'cti:callOffered',
  /** Added: agent states and queue metrics (see the schemas above). */
  setAgentState: 'agent:setState',
  forceAgentState: 'agent:force',
  agentState: 'agent:state',
  queueMetrics: 'queue:metrics',
  queueTrends: 'queue:trends',
  callControl: 'call:control',
  /** Added: per-queue thresholds (queue-thresholds.ts) and great service (great-service.ts). */
  queueThresholds: 'queue:thresholds',
  getQueueThresholds: 'queue:getThresholds',
  setQueueThresholds: 'queue:setThresholds',
  markGreatService: 'greatService:mark',
  listGreatService: 'greatService:list',
  greatServiceShared: 'greatService:shared',
} as const;
