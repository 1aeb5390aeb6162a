// Sync (SYNC.md): the change log the desktop pulls, and the mutations it pushes.
import { z } from 'zod';
import { Customer, Department, Interaction, IsoTime, Note, Queue, Uuid, VocItem, VocTopic } from '../domain/entities';
import { NOTE_MAX_CHARS, VOC_DESCRIPTION_MAX_CHARS, VOC_TOPIC_MAX_CHARS } from '../domain/field-limits';
import { policyText } from '../domain/text-policy';
import { CustomerWant, VocActionArgs, VocPriority, VocStatus } from '../domain/voc';

/** Change-log versions are 64-bit: they travel as decimal strings. */
export const Version = z.string().regex(/^\d{1,20}$/);
export const ENTITIES = ['customer', 'interaction', 'note', 'voc_item', 'queue', 'customer_merge', 'voc_topic', 'department'] as const;
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
  voc_topic: VocTopic,
  department: Department,
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
  /** The center database's identity; a new one means it was restored from a backup (README, "Back up and restore the center"). */
  centerId: Uuid.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

// Mutations: names never change meaning; a new meaning gets a new name.
// The note and VOC item arguments are the entities' own fields (and so their limits); what a person
// typed also passes the text policy (shared/domain/text-policy.ts): the center refuses, never cleans.
export const NoteSaveArgs = Note.pick({ id: true, customerId: true, interactionId: true, revision: true }).extend({ text: policyText(NOTE_MAX_CHARS) });
export const VocCreateArgs = VocItem.pick({ id: true, customerId: true, interactionId: true, type: true }).extend({
  topic: policyText(VOC_TOPIC_MAX_CHARS),
  description: policyText(VOC_DESCRIPTION_MAX_CHARS),
  // Since schema 2 (the VOC loop); an item raised without them is normal, unclassified, not urgent.
  /** The catalogue topic picked; absent or null: the agent's own words, unclassified. */
  topicId: z.string().max(64).nullable().optional(),
  priority: VocPriority.optional(),
  safety: z.boolean().optional(),
  wants: CustomerWant.nullable().optional(),
  /** Answered on this contact (an inquiry, usually): the item is closed at once, never routed. */
  resolvedOnContact: z.boolean().optional(),
});
/**
 * A step of the VOC workflow on an item (shared/domain/voc.ts): `expectedStatus` is the status the
 * person saw; the center refuses the step when the item has moved since (someone acted first).
 */
export const VocActArgs = z.intersection(z.object({ id: Uuid, expectedStatus: VocStatus }), VocActionArgs);
export type VocActArgs = z.infer<typeof VocActArgs>;
export const DispositionSetArgs = z.object({ interactionId: Uuid, code: policyText(64).min(1) });
export const ProvisionalCustomerArgs = z.object({
  id: Uuid,
  displayName: policyText(200),
  phone: policyText(64).nullable(),
});
/** An unknown caller's contact linked to an existing customer; `addPhone` adds the contact's ANI as their phone. */
export const LinkCustomerArgs = z.object({ interactionId: Uuid, customerId: Uuid, addPhone: z.boolean() });
/** How a desktop showed customers from its local copy (the center audits its own lookups itself). */
export const CustomerViewKind = z.enum(['popped', 'opened', 'searched']);
/** Customers the agent saw from the desktop's local copy, offline too: the center's audit trail records them. */
export const CustomerViewedArgs = z.object({ customerIds: z.array(Uuid).min(1).max(50), how: CustomerViewKind, at: IsoTime });
export const mutationArgs = {
  'note.save': NoteSaveArgs,
  'voc.create': VocCreateArgs,
  'disposition.set': DispositionSetArgs,
  'customer.createProvisional': ProvisionalCustomerArgs,
  'interaction.linkCustomer': LinkCustomerArgs,
  'voc.act': VocActArgs,
  'customer.viewed': CustomerViewedArgs,
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

/**
 * `sync:push` (client -> center, with ack). A mutation's arguments and time are checked one mutation
 * at a time at the center (`args` per name, `createdAt` as IsoTime), so one a desktop queued with bad
 * data is refused alone and never refuses, and so blocks, the whole push.
 */
export const PushRequest = z.object({
  schemaVersion: z.number().int(),
  clientId: Uuid,
  mutations: z.array(Mutation.extend({ createdAt: z.string().max(64) })).max(1000),
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
  /** As in PullResponse: an answer from a center with another identity is not applied. */
  centerId: Uuid.optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;
/** `sync:poke` (center -> client): a hint that changes up to `version` exist. Pull from your cursor. */
export const Poke = z.object({ version: Version });
