// The business entities of DOMAIN.md as zod schemas: the one definition used on the wire
// (center <-> desktop), across IPC (desktop <-> renderer) and in tests.
import { z } from 'zod';
import { NOTE_MAX_CHARS, VOC_DESCRIPTION_MAX_CHARS, VOC_TOPIC_MAX_CHARS } from './field-limits';

import { IsoTime, Role, Uuid } from './primitives';
import { CustomerWant, VocPriority, VocStatus, VocType, NotifyChannel, FollowUpOutcome } from './voc';

export { IsoTime, isRealDateTime, Role, Uuid } from './primitives';

export const CHANNELS = ['call', 'email', 'chat', 'sms', 'web_board', 'social', 'visit', 'mail'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const IdentityKind = z.enum(['phone', 'email', 'social']);
export type IdentityKind = z.infer<typeof IdentityKind>;
export const Identity = z.object({
  kind: IdentityKind,
  /** phone: E.164; email: lower-case; social: `network:handle`, e.g. `x:@minji`. */
  value: z.string().min(1).max(320),
});
export type Identity = z.infer<typeof Identity>;

export const FlagKind = z.enum(['vip', 'churn_risk', 'abusive']);
export type FlagKind = z.infer<typeof FlagKind>;
export const CustomerFlag = z.object({
  flag: FlagKind,
  setBy: z.string(),
  reason: z.string().max(500),
  setAt: IsoTime,
});
export type CustomerFlag = z.infer<typeof CustomerFlag>;

export const Tier = z.enum(['vip', 'loyal', 'regular', 'at_risk', 'new']);
export type Tier = z.infer<typeof Tier>;
const Score = z.number().int().min(1).max(5);
export const CustomerValue = z.object({
  recency: Score,
  frequency: Score,
  monetary: Score,
  lifetimeValue: z.number().nonnegative(),
  tier: Tier,
});
export type CustomerValue = z.infer<typeof CustomerValue>;

export const Consent = z.object({ phone: z.boolean(), email: z.boolean(), sms: z.boolean() });
export type Consent = z.infer<typeof Consent>;

export const Customer = z.object({
  id: Uuid,
  displayName: z.string().max(200),
  /** BCP-47 language the customer prefers, e.g. `ko` or `en`. */
  language: z.string().max(16),
  segment: z.string().max(64).nullable(),
  identities: z.array(Identity).max(50),
  consent: Consent,
  value: CustomerValue.nullable(),
  flags: z.array(CustomerFlag).max(10),
  /** Created from an unknown caller and not yet confirmed or merged by the center. */
  provisional: z.boolean(),
  updatedAt: IsoTime,
  /** When the company first knew them (the center's record); null in data synced before it. */
  since: IsoTime.nullable().default(null),
});
export type Customer = z.infer<typeof Customer>;

export const Direction = z.enum(['inbound', 'outbound']);
export const Interaction = z.object({
  id: Uuid,
  customerId: Uuid.nullable(),
  channel: Channel,
  direction: Direction,
  queue: z.string().max(64).nullable(),
  /** Username of the agent who handled it, if any. */
  agent: z.string().max(64).nullable(),
  startedAt: IsoTime,
  answeredAt: IsoTime.nullable(),
  endedAt: IsoTime.nullable(),
  ani: z.string().max(64).nullable(),
  dnis: z.string().max(64).nullable(),
  /** Disposition code chosen at wrap-up. */
  disposition: z.string().max(64).nullable(),
  /** One line describing the contact for non-call channels (email subject, chat topic). */
  subject: z.string().max(300).nullable(),
});
export type Interaction = z.infer<typeof Interaction>;

export const Note = z.object({
  id: Uuid,
  customerId: Uuid,
  interactionId: Uuid.nullable(),
  /** Username of the author. */
  author: z.string().max(64),
  text: z.string().max(NOTE_MAX_CHARS),
  /** 1 for the first save; each later save by the author is the next revision of the same note. */
  revision: z.number().int().positive(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Note = z.infer<typeof Note>;

/** One of an item's clocks: when it is due (null while the clock is paused or has no target), when met, whether it passed. */
export const VocDeadline = z.object({ dueAt: IsoTime.nullable(), metAt: IsoTime.nullable(), overdue: z.boolean() });
export type VocDeadline = z.infer<typeof VocDeadline>;

export const VocItem = z.object({
  id: Uuid,
  customerId: Uuid,
  interactionId: Uuid.nullable(),
  type: VocType,
  /** The catalogue topic's label as raised, or the agent's own words when unclassified. */
  topic: z.string().max(VOC_TOPIC_MAX_CHARS),
  description: z.string().max(VOC_DESCRIPTION_MAX_CHARS),
  status: VocStatus,
  createdBy: z.string().max(64),
  createdAt: IsoTime,
  // The workflow (VOC.md). Defaults let a cache written before it still be read.
  /** VOC-2026-000123, given by the center when the item reaches it. */
  number: z.string().max(32).nullable().default(null),
  /** The catalogue topic (`billing/double-charge`); null: unclassified, for a supervisor to map. */
  topicId: z.string().max(64).nullable().default(null),
  priority: VocPriority.default('normal'),
  /** Safety or legal matter: escalated to every supervisor when a deadline passes. */
  safety: z.boolean().default(false),
  /** For complaints: what the customer wants. */
  wants: CustomerWant.nullable().default(null),
  departmentId: z.string().max(64).nullable().default(null),
  ownerUserId: Uuid.nullable().default(null),
  ownerName: z.string().max(200).nullable().default(null),
  deadlines: z
    .object({ acknowledge: VocDeadline.nullable(), resolve: VocDeadline.nullable(), notify: VocDeadline.nullable() })
    .default({ acknowledge: null, resolve: null, notify: null }),
  result: z.string().max(4_000).nullable().default(null),
  remedy: z.string().max(4_000).nullable().default(null),
  notifiedVia: NotifyChannel.nullable().default(null),
  notifiedAt: IsoTime.nullable().default(null),
  followUpOutcome: FollowUpOutcome.nullable().default(null),
  updatedAt: IsoTime.nullable().default(null),
});
export type VocItem = z.infer<typeof VocItem>;

/** An item as the agent raises it, before the center registers it: the workflow's fields at their start. */
export function raisedVocItem(
  input: Pick<VocItem, 'id' | 'customerId' | 'interactionId' | 'type' | 'topic' | 'description'> & Partial<Pick<VocItem, 'topicId' | 'priority' | 'safety' | 'wants'>>,
  createdBy: string,
  createdAt: string,
): VocItem {
  return VocItem.parse({ ...input, status: 'raised', createdBy, createdAt });
}

/**
 * A name in other languages, by BCP-47 language (`ko`, `en-GB`); the UI shows the one for its
 * language and falls back to the name as given. Optional: data synced before it is still read.
 */
export const Labels = z.record(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/), z.string().min(1).max(200)).optional();
export type Labels = z.infer<typeof Labels>;

/** A topic of the tenant's catalogue: a category (`parentId` null) or one of its topics. */
export const VocTopic = z.object({
  id: z.string().max(64),
  parentId: z.string().max(64).nullable(),
  name: z.string().max(200),
  labels: Labels,
  active: z.boolean(),
});
export type VocTopic = z.infer<typeof VocTopic>;

/** A department VOC items are routed to, with its members (who work its desk) and its lead. */
export const Department = z.object({
  id: z.string().max(64),
  name: z.string().max(200),
  labels: Labels,
  leadUserId: Uuid.nullable(),
  requiresApproval: z.boolean(),
  /** round_robin: the center picks an owner among the members present; lead: the lead picks. */
  assignment: z.enum(['round_robin', 'lead']),
  active: z.boolean(),
  members: z.array(z.object({ userId: Uuid, name: z.string().max(200) })),
});
export type Department = z.infer<typeof Department>;

export const HistoryItem = Interaction.extend({
  notes: z.array(Note),
  vocItems: z.array(VocItem),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

/** Everything the agent sees when a call pops: who, worth, flags, open matters, recent contacts. */
export const ScreenPop = z.object({
  customer: Customer,
  openVocItems: z.array(VocItem),
  /** Most recent first, at most 50. */
  history: z.array(HistoryItem).max(50),
  /** Where this pop came from: the desktop's local cache or a fresh answer from the center. */
  source: z.enum(['local', 'center']),
  /**
   * The center's answers only: the change-log version (a decimal string, as on the sync wire) the
   * answer was read at; it holds every change up to that version. Orders two answers about one customer.
   */
  asOf: z.string().regex(/^\d{1,20}$/).optional(),
});
export type ScreenPop = z.infer<typeof ScreenPop>;

/**
 * Whether `next` is an older reading of the same customer than `shown` (both the center's answers,
 * with their versions): such an answer arrived late and must not replace what is shown.
 */
export function isOlderPop(next: ScreenPop, shown: ScreenPop | null): boolean {
  if (!shown || next.asOf === undefined || shown.asOf === undefined || next.customer.id !== shown.customer.id) return false;
  return BigInt(next.asOf) < BigInt(shown.asOf);
}

export const User = z.object({
  id: Uuid,
  tenant: z.string().max(64),
  username: z.string().max(64),
  displayName: z.string().max(200),
  role: Role,
});
export type User = z.infer<typeof User>;


export const Queue = z.object({
  id: z.string().max(64),
  name: z.string().max(200),
  labels: Labels,
  dispositionCodes: z.array(z.object({ code: z.string().max(64), label: z.string().max(200), labels: Labels })),
  dispositionRequired: z.boolean(),
});
export type Queue = z.infer<typeof Queue>;
