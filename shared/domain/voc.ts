// The VOC loop (VOC.md): what an item is, the states it moves through, and the one table of who may
// move it from where to where. Pure: the desktop reads the table to offer the actions a person may
// take; the center applies it to decide, in the transaction that writes the item.
import { z } from 'zod';
import { IsoTime, Uuid, type Role } from './primitives';

export const VOC_TYPES = ['inquiry', 'complaint', 'praise', 'suggestion', 'want_slip'] as const;
export const VocType = z.enum(VOC_TYPES);
export type VocType = z.infer<typeof VocType>;

export const VOC_PRIORITIES = ['normal', 'high', 'urgent'] as const;
export const VocPriority = z.enum(VOC_PRIORITIES);
export type VocPriority = z.infer<typeof VocPriority>;

/** What a complaining customer asks for. */
export const CUSTOMER_WANTS = ['refund', 'exchange', 'explanation', 'apology', 'fix', 'other'] as const;
export const CustomerWant = z.enum(CUSTOMER_WANTS);
export type CustomerWant = z.infer<typeof CustomerWant>;

/**
 * Where an item stands. `raised` until the center routes it; `closed` and `withdrawn` end it.
 * `waiting_customer` pauses its clocks.
 */
export const VOC_STATUSES = [
  'raised',
  'routed',
  'assigned',
  'in_progress',
  'waiting_customer',
  'awaiting_approval',
  'result_recorded',
  'customer_notified',
  'follow_up',
  'reopened',
  'closed',
  'withdrawn',
] as const;
export const VocStatus = z.enum(VOC_STATUSES);
export type VocStatus = z.infer<typeof VocStatus>;

const ENDED: ReadonlySet<VocStatus> = new Set(['closed', 'withdrawn']);
/** Open: still in the loop (not closed or withdrawn), told-and-awaiting-follow-up included: the pop's "open matters". */
export const isVocOpen = (s: VocStatus): boolean => !ENDED.has(s);

/** How the customer was told the result. */
export const NOTIFY_CHANNELS = ['call', 'sms', 'email', 'letter'] as const;
export const NotifyChannel = z.enum(NOTIFY_CHANNELS);
export type NotifyChannel = z.infer<typeof NotifyChannel>;

/** What a follow-up ("happy") call found. */
export const FOLLOW_UP_OUTCOMES = ['satisfied', 'dissatisfied', 'no_answer', 'refused', 'wrong_number'] as const;
export const FollowUpOutcome = z.enum(FOLLOW_UP_OUTCOMES);
export type FollowUpOutcome = z.infer<typeof FollowUpOutcome>;

/** The three clocks of an item (VOC.md, "Deadlines"). */
export const DEADLINE_KINDS = ['acknowledge', 'resolve', 'notify'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** Human-readable item number the agent can read out: VOC-2026-000123 (per tenant and year). */
export const vocNumber = (year: number, seq: number): string => `VOC-${year}-${String(seq).padStart(6, '0')}`;
export const VOC_NUMBER = /^VOC-\d{4}-\d{6,}$/;

// ---------- actions ----------

export const VOC_RESULT_MAX_CHARS = 4_000;
export const VOC_REASON_MAX_CHARS = 1_000;
const Reason = z.string().trim().min(1, 'say why').max(VOC_REASON_MAX_CHARS);
const Slug = z.string().min(1).max(64);

/** Each action a person takes on an item, with what it needs. */
export const VocActionArgs = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), ownerUserId: Uuid }),
  z.object({ action: z.literal('take') }),
  z.object({ action: z.literal('handOver'), departmentId: Slug, reason: Reason }),
  z.object({ action: z.literal('start') }),
  z.object({ action: z.literal('waitForCustomer'), reason: Reason }),
  z.object({ action: z.literal('resume') }),
  z.object({ action: z.literal('recordResult'), result: z.string().trim().min(1, 'write the result').max(VOC_RESULT_MAX_CHARS), remedy: z.string().max(VOC_RESULT_MAX_CHARS) }),
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('sendBack'), reason: Reason }),
  z.object({ action: z.literal('notifyCustomer'), via: NotifyChannel, at: IsoTime }),
  z.object({ action: z.literal('customerRejected'), reason: Reason }),
  z.object({ action: z.literal('followUpOutcome'), outcome: FollowUpOutcome, reason: z.string().max(VOC_REASON_MAX_CHARS).optional() }),
  z.object({ action: z.literal('withdraw'), reason: Reason }),
  z.object({
    action: z.literal('reclassify'),
    type: VocType.optional(),
    topicId: Slug.nullable().optional(),
    priority: VocPriority.optional(),
    safety: z.boolean().optional(),
    wants: CustomerWant.nullable().optional(),
  }),
]);
export type VocActionArgs = z.infer<typeof VocActionArgs>;
export const VOC_ACTIONS = [
  'assign',
  'take',
  'handOver',
  'start',
  'waitForCustomer',
  'resume',
  'recordResult',
  'approve',
  'sendBack',
  'notifyCustomer',
  'customerRejected',
  'followUpOutcome',
  'withdraw',
  'reclassify',
] as const satisfies ReadonlyArray<VocActionArgs['action']>;
export const VocActionName = z.enum(VOC_ACTIONS);
export type VocActionName = z.infer<typeof VocActionName>;

/** Who a person is to an item; the center works it out, the desktop from what it knows. */
export type VocRelation = 'owner' | 'member' | 'lead' | 'supervisor' | 'agent';

export interface VocActor {
  userId: string;
  role: Role;
  /** Departments the person is a member of, and those they lead. */
  memberOf: ReadonlySet<string>;
  leads: ReadonlySet<string>;
}

export interface VocItemState {
  status: VocStatus;
  departmentId: string | null;
  ownerUserId: string | null;
}

const OPEN_WORK: VocStatus[] = ['routed', 'assigned', 'in_progress', 'waiting_customer', 'awaiting_approval', 'result_recorded', 'reopened'];

/** The table: from which states, and by whom. Where an action leads is `nextStatus`. */
export const VOC_TRANSITIONS: Record<VocActionName, { from: readonly VocStatus[]; by: readonly VocRelation[] }> = {
  assign: { from: ['routed', 'assigned', 'in_progress', 'reopened'], by: ['lead', 'supervisor'] },
  take: { from: ['routed'], by: ['member', 'lead'] },
  handOver: { from: ['routed', 'assigned', 'in_progress', 'reopened'], by: ['owner', 'lead', 'supervisor'] },
  start: { from: ['assigned', 'reopened'], by: ['owner'] },
  waitForCustomer: { from: ['in_progress'], by: ['owner'] },
  resume: { from: ['waiting_customer'], by: ['owner', 'lead', 'supervisor'] },
  recordResult: { from: ['in_progress'], by: ['owner'] },
  approve: { from: ['awaiting_approval'], by: ['lead', 'supervisor'] },
  sendBack: { from: ['awaiting_approval'], by: ['lead', 'supervisor'] },
  notifyCustomer: { from: ['result_recorded'], by: ['owner', 'member', 'lead', 'supervisor', 'agent'] },
  customerRejected: { from: ['customer_notified', 'follow_up'], by: ['owner', 'member', 'lead', 'supervisor', 'agent'] },
  followUpOutcome: { from: ['follow_up'], by: ['agent', 'supervisor'] },
  withdraw: { from: ['raised', ...OPEN_WORK], by: ['lead', 'supervisor'] },
  reclassify: { from: ['raised', ...OPEN_WORK], by: ['owner', 'lead', 'supervisor'] },
};

/** What the person is to the item (every relation that holds). */
export function relationsTo(item: VocItemState, actor: VocActor): Set<VocRelation> {
  const r = new Set<VocRelation>();
  if (item.ownerUserId !== null && item.ownerUserId === actor.userId) r.add('owner');
  if (item.departmentId !== null && actor.memberOf.has(item.departmentId)) r.add('member');
  if (item.departmentId !== null && actor.leads.has(item.departmentId)) r.add('lead');
  if (actor.role === 'supervisor' || actor.role === 'admin') r.add('supervisor');
  if (actor.role === 'agent' || actor.role === 'supervisor') r.add('agent');
  return r;
}

/** Context the table's targets depend on: the department's approval setting, the tenant's happy calls. */
export interface VocTransitionContext {
  requiresApproval: boolean;
}

/** Where an allowed action leads. Notify leads to customer_notified; the center then moves the item on (follow-up or closed). */
export function nextStatus(item: VocItemState, args: VocActionArgs, ctx: VocTransitionContext): VocStatus {
  switch (args.action) {
    case 'assign':
    case 'take':
      return 'assigned';
    case 'handOver':
      return 'routed';
    case 'start':
    case 'resume':
    case 'sendBack':
      return 'in_progress';
    case 'waitForCustomer':
      return 'waiting_customer';
    case 'recordResult':
      return ctx.requiresApproval ? 'awaiting_approval' : 'result_recorded';
    case 'approve':
      return 'result_recorded';
    case 'notifyCustomer':
      return 'customer_notified';
    case 'customerRejected':
      return 'reopened';
    case 'followUpOutcome':
      return args.outcome === 'dissatisfied' ? 'reopened' : args.outcome === 'no_answer' ? 'follow_up' : 'closed';
    case 'withdraw':
      return 'withdrawn';
    case 'reclassify':
      return item.status;
  }
}

export type VocDecision = { ok: true; to: VocStatus } | { ok: false; code: 'conflict' | 'forbidden' | 'bad_request'; message: string };

const STATUS_WORDS: Record<VocStatus, string> = {
  raised: 'raised (not yet routed)',
  routed: 'waiting in its department for an owner',
  assigned: 'assigned to an owner',
  in_progress: 'in progress',
  waiting_customer: 'waiting on the customer',
  awaiting_approval: 'waiting for the lead\'s approval',
  result_recorded: 'answered, the customer not yet told',
  customer_notified: 'answered and told to the customer',
  follow_up: 'waiting for its follow-up call',
  reopened: 'reopened',
  closed: 'closed',
  withdrawn: 'withdrawn',
};
export const describeVocStatus = (s: VocStatus): string => STATUS_WORDS[s];

const WHO_WORDS: Record<VocRelation, string> = {
  owner: 'its owner',
  member: 'a member of its department',
  lead: "its department's lead",
  supervisor: 'a supervisor',
  agent: 'an agent',
};
const ACTION_WORDS: Record<VocActionName, string> = {
  assign: 'assign',
  take: 'take',
  handOver: 'hand over',
  start: 'start work on',
  waitForCustomer: 'put on hold for the customer',
  resume: 'resume',
  recordResult: 'record the result of',
  approve: 'approve',
  sendBack: 'send back',
  notifyCustomer: 'record telling the customer about',
  customerRejected: 'record the customer rejecting',
  followUpOutcome: 'record the follow-up call of',
  withdraw: 'withdraw',
  reclassify: 'reclassify',
};

/**
 * Decides one action: `expected` is the status the person saw when they acted. A different status
 * now means someone else acted first: the person is told, nothing changes.
 */
export function decideVocAction(item: VocItemState, expected: VocStatus, args: VocActionArgs, actor: VocActor, ctx: VocTransitionContext): VocDecision {
  if (item.status !== expected) {
    return { ok: false, code: 'conflict', message: `This item is now ${describeVocStatus(item.status)}; someone acted on it first. Open it again to see what changed.` };
  }
  const rule = VOC_TRANSITIONS[args.action];
  if (!rule.from.includes(item.status)) {
    return { ok: false, code: 'conflict', message: `You cannot ${ACTION_WORDS[args.action]} an item that is ${describeVocStatus(item.status)}.` };
  }
  const relations = relationsTo(item, actor);
  if (!rule.by.some((who) => relations.has(who))) {
    const by = rule.by.map((w) => WHO_WORDS[w]);
    const list = by.length > 1 ? `${by.slice(0, -1).join(', ')} or ${by[by.length - 1]}` : by[0];
    return { ok: false, code: 'forbidden', message: `Only ${list} may ${ACTION_WORDS[args.action]} this item.` };
  }
  if (args.action === 'handOver' && args.departmentId === item.departmentId) {
    return { ok: false, code: 'bad_request', message: 'The item is already in that department; pick another one to hand it over to.' };
  }
  return { ok: true, to: nextStatus(item, args, ctx) };
}

/** The actions a person may take on an item now (the desk's buttons). */
export function availableVocActions(item: VocItemState, actor: VocActor): VocActionName[] {
  const relations = relationsTo(item, actor);
  return VOC_ACTIONS.filter((a) => VOC_TRANSITIONS[a].from.includes(item.status) && VOC_TRANSITIONS[a].by.some((w) => relations.has(w)));
}
