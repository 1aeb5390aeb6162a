// The business entities of DOMAIN.md as zod schemas: the one definition used on the wire
// (center <-> desktop), across IPC (desktop <-> renderer) and in tests.
import { z } from 'zod';
import { NOTE_MAX_CHARS, VOC_DESCRIPTION_MAX_CHARS, VOC_TOPIC_MAX_CHARS } from './field-limits';

export const Uuid = z.string().uuid();
const CALENDAR = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;
/**
 * Whether an ISO-8601 date or date-time (`2026-03-01`, `2026-03-01T14:05:00+09:00`) names a day that
 * exists — year 1 or later, month 1–12, a day the month has — and a time of day that does. JavaScript
 * rolls `2026-02-30` over to March 2 and takes year 0; PostgreSQL refuses both (22008), so a date
 * either is real at every door or is refused there.
 */
export function isRealDateTime(value: string): boolean {
  const m = CALENDAR.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((p) => (p === undefined ? undefined : Number(p))) as number[];
  if (year! < 1 || month! < 1 || month! > 12 || day! < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const daysInMonth = new Date(Date.UTC(2000, month!, 0)).getUTCDate() - (month === 2 && !isLeapYear(year!) ? 1 : 0);
  return day! <= daysInMonth;
}
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** ISO-8601 timestamp as produced by Date.prototype.toISOString (always UTC); a real instant (isRealDateTime). */
export const IsoTime = z.string().datetime({ offset: true }).refine(isRealDateTime, 'is not a real date and time (a year from 1, a day its month has)');

export const CHANNELS = ['call', 'email', 'chat', 'sms', 'web_board', 'social', 'visit', 'mail'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const VOC_TYPES = ['inquiry', 'complaint', 'praise', 'suggestion', 'want_slip'] as const;
export const VocType = z.enum(VOC_TYPES);
export type VocType = z.infer<typeof VocType>;

/** The classic ten-step VOC lifecycle; the desktop creates at `raised`, the center advances it. */
export const VOC_STATUSES = [
  'raised',
  'registered',
  'department_assigned',
  'owner_assigned',
  'in_progress',
  'result_recorded',
  'customer_notified',
  'feedback',
  'analysed',
  'improvement_shared',
] as const;
export const VocStatus = z.enum(VOC_STATUSES);
export type VocStatus = z.infer<typeof VocStatus>;
/** A VOC item is open until the customer has been told the result. */
export const isVocOpen = (s: VocStatus): boolean =>
  VOC_STATUSES.indexOf(s) < VOC_STATUSES.indexOf('customer_notified');

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

export const VocItem = z.object({
  id: Uuid,
  customerId: Uuid,
  interactionId: Uuid.nullable(),
  type: VocType,
  topic: z.string().max(VOC_TOPIC_MAX_CHARS),
  description: z.string().max(VOC_DESCRIPTION_MAX_CHARS),
  status: VocStatus,
  createdBy: z.string().max(64),
  createdAt: IsoTime,
});
export type VocItem = z.infer<typeof VocItem>;

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
});
export type ScreenPop = z.infer<typeof ScreenPop>;

export const Role = z.enum(['agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;
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
  dispositionCodes: z.array(z.object({ code: z.string().max(64), label: z.string().max(200) })),
  dispositionRequired: z.boolean(),
});
export type Queue = z.infer<typeof Queue>;
