// The DesktopApi contract: what the renderer may ask of the desktop, and the events it hears.
// One definition serves the Electron preload bridge (IPC) and the web-mode bridge (WebSocket);
// both parse arguments with these schemas before any service runs.
import { z } from 'zod';
import { IsoTime, Queue, Role, ScreenPop, Uuid, VocItem } from '../domain/entities';
import { CUSTOMER_SEARCH_MAX_CHARS } from '../domain/field-limits';
import { cleaned } from '../domain/text-policy';
import {
  AgentStateName,
  CallControlRequest,
  CallControlResponse,
  CallOffered,
  Conversation,
  ForceAgentStateResponse,
  GreatService,
  GreatServiceList,
  ImprovementChanged,
  LoginRequest,
  MarkGreatServiceRequest,
  NoteSaveArgs,
  QueueCapacitiesSet,
  QueueThresholds,
  QueueThresholdsSet,
  QueueMetrics,
  QueueTrendsResponse,
  ReasonCode,
  RejectedMutation,
  SetQueueCapacityRequest,
  VocChanged,
  VocCreateArgs,
  VocOverdue,
  FollowUpRescheduleRequest,
  FollowUpSkipRequest,
} from '../protocol/index';
import { DesktopSettings, UserSettingChange } from './settings';
import { RejectedDetail, RejectedEdit, RejectedRetried } from './rejected';
import { AnalysisCellPage, AnalysisCellRequest, AnalysisRequest, AnalysisView } from './analysis';
import {
  CreateImprovementRequest,
  Improvement,
  ImprovementCustomer,
  ImprovementDetail,
  ImprovementLinkRequest,
  ImprovementListQuery,
  ImprovementStatusRequest,
  ImprovementToldRequest,
  ImprovementsSharedList,
} from './improvements';
import { AttachmentFile, AttachmentRequest, ConversationRef, ConversationWithdrawnEvent, FinishInput, InboxView, KeptReply, ReplyInput } from './inbox';
import { Snippet, SnippetSave } from './snippets';
import { FollowUpDesk, VocActQueued, VocActRequest, VocDeskItem, VocDeskQueue, VocQueueQuery, VocReference } from './voc';

export const SessionInfo = z.object({
  signedIn: z.boolean(),
  centerUrl: z.string(),
  user: z
    .object({ id: Uuid, tenant: z.string(), username: z.string(), displayName: z.string(), role: Role, takesCalls: z.boolean().optional() })
    .nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/**
 * `signOut`'s answer. signedOut: done. changesWaiting: nothing done, `pending` changes have not reached
 * the center yet (asked with `ask`). waiting: the desktop signs out once they have (asked with `wait`).
 */
export const SignOutResult = z.object({ outcome: z.enum(['signedOut', 'changesWaiting', 'waiting']), pending: z.number().int().nonnegative() });
export type SignOutResult = z.infer<typeof SignOutResult>;
/** What `signOut` does when changes are still waiting: ask (do nothing, say so), wait for them, or sign out now (they stay here). */
export const SignOutWhenChangesWait = z.enum(['ask', 'wait', 'now']);
/** Why a session ended: the center ended it, the agent signed out, or the idle timeout did. */
export const SessionEndReason = z.enum(['center', 'signedOut', 'idle']);
export type SessionEndReason = z.infer<typeof SessionEndReason>;

/** `retrying`: the center answers but could not take the changes (lastError says why); offline means it does not answer. */
export const SyncState = z.enum(['online', 'offline', 'syncing', 'retrying', 'update_required']);
export type SyncState = z.infer<typeof SyncState>;
export const SyncStatus = z.object({
  state: SyncState,
  /** Local changes not yet acknowledged by the center. */
  pending: z.number().int().nonnegative(),
  lastSyncAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  rejected: z.array(RejectedMutation.extend({ name: z.string(), rejectedAt: IsoTime })),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const CustomerSummary = z.object({
  id: Uuid,
  displayName: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const SavedNote = z.object({
  id: Uuid,
  revision: z.number().int().positive(),
  savedAt: IsoTime,
  /** false until the center has acknowledged this revision. */
  synced: z.boolean(),
});
export type SavedNote = z.infer<typeof SavedNote>;

/** The call the agent is on (or was last offered), with the pop as last known. */
export const CurrentCall = z.object({ call: CallOffered, pop: ScreenPop.nullable() });
export type CurrentCall = z.infer<typeof CurrentCall>;

/** The not_ready reasons the agent picks from (the center accepts any ReasonCode; these are the desktop's list). */
export const NOT_READY_REASONS = ['break', 'meal', 'training', 'meeting'] as const;

/** What the agent chose while the desktop could not reach the center; it is sent when the connection returns. */
export const AgentStateRequest = z.object({
  state: z.enum(['available', 'not_ready']),
  reason: ReasonCode.optional(),
});
export type AgentStateRequest = z.infer<typeof AgentStateRequest>;

/** The agent's state as the center last reported it (the center owns the state machine and its timestamps). */
export const AgentStateView = z.object({
  state: AgentStateName,
  reason: z.string().nullable(),
  since: IsoTime,
  /** The supervisor who forced this state, if one did. */
  forcedBy: z.string().nullable(),
  interactionId: Uuid.nullable(),
  queue: z.string().nullable(),
  /** A choice made offline, waiting for the connection; null when nothing waits. */
  pending: AgentStateRequest.nullable(),
});
export type AgentStateView = z.infer<typeof AgentStateView>;

export const FinishWrapUpResult = z.object({
  /** The disposition saved locally (queued for the center through the outbox), if one was given. */
  disposition: z.string().nullable(),
  /** false when the center could not be asked (offline): the agent stays in wrap-up there until it can. */
  wrapUpFinished: z.boolean(),
});
export type FinishWrapUpResult = z.infer<typeof FinishWrapUpResult>;

/** Supervisor view: one agent as the floor last reported it (from `agent:state` pushes and the queues' agent lists). */
export const SupervisedAgent = z.object({
  agent: z.string(),
  state: AgentStateName,
  reason: z.string().nullable(),
  since: IsoTime,
  queue: z.string().nullable(),
  interactionId: Uuid.nullable(),
  forcedBy: z.string().nullable(),
  /** The customer on the agent's interaction, when the center knows them. */
  customerName: z.string().nullish(),
});
export type SupervisedAgent = z.infer<typeof SupervisedAgent>;

/**
 * Supervisor view: the current live metrics, every queue in full (the desktop applies the center's
 * diffs itself, so the renderer never sees a diff). `at` is null until the center's first push.
 */
export const QueueMetricsSnapshot = z.object({ at: IsoTime.nullable(), queues: z.record(z.string(), QueueMetrics) });
export type QueueMetricsSnapshot = z.infer<typeof QueueMetricsSnapshot>;

const noArgs = z.tuple([]);

/** Methods: each takes a tuple of arguments and resolves to `result`. Argument objects are strict:
 * an unknown key is refused, so nothing a caller smuggles in reaches a service. Arguments are first
 * `cleaned` by the text policy (shared/domain/text-policy.ts): an invisible control character the
 * agent pasted is dropped and half a character pair becomes U+FFFD, never a reason to refuse the
 * save, so what they typed is never lost; then the schema (the center's, for what goes on to it)
 * checks the rest. */
export const desktopApiMethods = {
  getSession: { args: noArgs, result: SessionInfo },
  signIn: { args: cleaned(z.tuple([LoginRequest.strict()])), result: SessionInfo },
  /** Revokes the session at the center and forgets it here (policy `wipeOnSignOut`: and the local copy, once synced). */
  signOut: { args: z.tuple([z.strictObject({ whenChangesWait: SignOutWhenChangesWait })]), result: SignOutResult },
  /** The agent is using Earshot (input seen in the window; sent at most once a minute): the idle timeout starts again. */
  reportActivity: { args: noArgs, result: z.object({}) },
  getSyncStatus: { args: noArgs, result: SyncStatus },
  getCurrentCall: { args: noArgs, result: CurrentCall.nullable() },
  /** Local cache first; the center's fresher answer arrives as a `screenPopUpdated` event. */
  lookupCaller: { args: cleaned(z.tuple([z.strictObject({ phone: z.string().min(1).max(64) })])), result: ScreenPop.nullable() },
  /** A customer by id (an `earshot://customer/<id>` link, a search result): local store first, then the center. */
  lookupCustomer: { args: cleaned(z.tuple([z.strictObject({ customerId: Uuid })])), result: ScreenPop.nullable() },
  searchCustomers: { args: cleaned(z.tuple([z.strictObject({ query: z.string().min(1).max(CUSTOMER_SEARCH_MAX_CHARS) })])), result: z.array(CustomerSummary) },
  /** An unknown caller's contact linked to an existing customer (queued for the center); the linked customer's pop. */
  linkCallerToCustomer: {
    args: cleaned(z.tuple([z.strictObject({ interactionId: Uuid, customerId: Uuid, addPhone: z.boolean() })])),
    result: ScreenPop.nullable(),
  },
  /** Saves the whole text of a note (creating it on first save); debounced by the renderer. */
  saveNote: { args: cleaned(z.tuple([NoteSaveArgs.omit({ revision: true }).strict()])), result: SavedNote },
  /** The VOC item as the `voc.create` mutation carries it (classification included). */
  createVocItem: { args: cleaned(z.tuple([VocCreateArgs.strict()])), result: VocItem },
  /** VOC items as this desktop has them now (the items raised on the current call, refreshed when a sync brings the center's number and step). */
  getVocItems: { args: cleaned(z.tuple([z.strictObject({ ids: z.array(Uuid).max(50) })])), result: z.array(VocItem) },
  /** The VOC topic catalogue and the departments (with members) as last synced: the VOC form's type-ahead, the desk's names and pickers. */
  getVocReference: { args: noArgs, result: VocReference },
  /**
   * Staff, supervisors: the VOC desk's list (overdue first). Offline, the last answer for the same
   * filters (`offline` true, `asOf` its time); fails `offline` when there is none.
   */
  getVocQueue: { args: cleaned(z.tuple([VocQueueQuery])), result: VocDeskQueue },
  /** One item's page (customer, contact, history, the steps this person may take); offline as getVocQueue. */
  getVocItem: { args: cleaned(z.tuple([z.strictObject({ id: Uuid })])), result: VocDeskItem },
  /** A step of the VOC workflow (`voc.act`), queued in the outbox: works offline; a refusal lands in the rejected list. */
  actOnVocItem: { args: cleaned(z.tuple([VocActRequest])), result: VocActQueued },
  /** Supervisors, admins, analysts, department leads: the VOC topic × type matrix and the figures of a period, with the previous period; fails `offline` when the center cannot be asked. */
  getAnalysis: { args: cleaned(z.tuple([AnalysisRequest])), result: AnalysisView },
  /** One matrix cell's items, newest first, a page at a time (`after`: the previous page's `next`); fails `offline` as getAnalysis. */
  getAnalysisCell: { args: cleaned(z.tuple([AnalysisCellRequest.strict()])), result: AnalysisCellPage },
  /** Improvements (VOC.md step 10): department staff see their departments'; supervisors, admins, analysts and leads all. Fails `offline` as getAnalysis. */
  listImprovements: { args: cleaned(z.tuple([ImprovementListQuery])), result: z.array(Improvement) },
  /** One improvement and its linked VOC items. */
  getImprovement: { args: cleaned(z.tuple([z.strictObject({ id: Uuid })])), result: ImprovementDetail },
  /** Supervisors, admins, the owning department's lead: proposes one from a matrix cell, a set of items or one item. */
  createImprovement: { args: cleaned(z.tuple([CreateImprovementRequest])), result: Improvement },
  /** Its department, supervisors, admins: links more VOC items (of this tenant only). */
  linkImprovementItems: { args: cleaned(z.tuple([ImprovementLinkRequest])), result: Improvement },
  /** proposed → accepted → in_progress → done, or declined (with a reason); done is announced to the floor. */
  setImprovementStatus: { args: cleaned(z.tuple([ImprovementStatusRequest])), result: Improvement },
  /** Once done: the customers to tell, one row each with their linked items and whether told. */
  getImprovementCustomers: { args: cleaned(z.tuple([z.strictObject({ id: Uuid })])), result: z.array(ImprovementCustomer) },
  /** Records these items' customers as told (by call, SMS, email or letter); answers how many were newly told. */
  recordImprovementTold: { args: cleaned(z.tuple([ImprovementToldRequest])), result: z.object({ told: z.number().int().nonnegative() }) },
  /** Everyone: the done improvements this desktop heard of this session, newest first. */
  getImprovementsShared: { args: noArgs, result: ImprovementsSharedList },
  /** Agents: follow-up ("happy") calls due now or soon; offline, the last list kept. */
  getFollowUps: { args: noArgs, result: FollowUpDesk },
  /** Agents: claims a follow-up task and places the call through the CTI; the pop follows as for any call. Fails `offline` when disconnected. */
  callFollowUp: { args: cleaned(z.tuple([z.strictObject({ id: Uuid })])), result: z.object({ interactionId: Uuid }) },
  /** Agents: moves a follow-up task to a later time; answers the list as it now stands. */
  rescheduleFollowUp: { args: cleaned(z.tuple([FollowUpRescheduleRequest.strict()])), result: FollowUpDesk },
  /** Agents: not now (with why); the task comes back after the retry delay. Answers the list as it now stands. */
  skipFollowUp: { args: cleaned(z.tuple([FollowUpSkipRequest.strict()])), result: FollowUpDesk },
  /** Available or not ready (with a reason). Offline, the choice is kept and sent on reconnect (`pending`). */
  setAgentState: { args: cleaned(z.tuple([AgentStateRequest.strict()])), result: AgentStateView },
  /** Null until the center has reported this agent's state. */
  getAgentState: { args: noArgs, result: AgentStateView.nullable() },
  /** Answer, hold, resume, transfer (to a queue or an agent) or hang up; fails with `offline` when disconnected. */
  callControl: { args: cleaned(z.tuple([CallControlRequest.strict()])), result: CallControlResponse },
  /** Saves the disposition through the outbox (offline-safe), then asks the center to end wrap-up. */
  finishWrapUp: {
    args: cleaned(z.tuple([z.strictObject({ interactionId: Uuid, disposition: z.string().min(1).max(64).optional() })])),
    result: FinishWrapUpResult,
  },
  /** A queue's reference data (disposition codes, required or not) from the local store; null when not synced. */
  getQueue: { args: cleaned(z.tuple([z.strictObject({ queueId: z.string().min(1).max(64) })])), result: Queue.nullable() },
  /** Agents: the chats and emails offered to or held by them (as last known when offline). */
  getInbox: { args: noArgs, result: InboxView },
  /** Takes an offered conversation; fails `conflict` naming who holds it when someone else does, `offline` when disconnected. */
  acceptConversation: { args: cleaned(z.tuple([ConversationRef])), result: Conversation },
  /** Lets an offer go back to the queue (the next agent gets it). */
  declineConversation: { args: cleaned(z.tuple([ConversationRef])), result: z.object({ conversationId: Uuid }) },
  /** Keeps a reply in the desktop's outbox and sends it (now or when the center is back), once, in order; its state shows in the inbox. */
  replyToConversation: { args: cleaned(z.tuple([ReplyInput])), result: KeptReply },
  /** Wrap-up (`wrap_up`), then closed (`closed`, with the disposition); fails `offline` when disconnected. */
  finishConversation: { args: cleaned(z.tuple([FinishInput])), result: Conversation },
  /** Messages after what the inbox holds, from the center (a catch-up the desktop also does by itself on reconnect). */
  fetchConversation: { args: cleaned(z.tuple([ConversationRef])), result: InboxView },
  /** A mail attachment of a conversation this agent holds or held, from the center; fails `offline` when disconnected, `bad_request` when it is not theirs or unknown. */
  getConversationAttachment: { args: cleaned(z.tuple([AttachmentRequest])), result: AttachmentFile },
  /** Drops a reply the center refused for good from the outbox (the agent has copied what they needed). */
  discardReply: { args: cleaned(z.tuple([z.strictObject({ clientMutationId: Uuid })])), result: z.object({ discarded: z.boolean() }) },
  /** Agents: their own saved snippets for replies (this computer, this user), by name. */
  listSnippets: { args: noArgs, result: z.array(Snippet) },
  /** Adds a snippet (no id) or changes one of theirs; fails `snippet_limit` when 50 are kept already. Answers the list. */
  saveSnippet: { args: cleaned(z.tuple([SnippetSave])), result: z.array(Snippet) },
  /** Deletes one of their snippets; answers the list. */
  deleteSnippet: { args: cleaned(z.tuple([z.strictObject({ id: Uuid })])), result: z.array(Snippet) },
  /** Supervisors: the live queue metrics as last pushed (empty before the first push). */
  getQueueMetrics: { args: noArgs, result: QueueMetricsSnapshot },
  /** Supervisors: every agent of the tenant the desktop has heard about, by username. */
  getSupervisedAgents: { args: noArgs, result: z.array(SupervisedAgent) },
  /** Supervisors: today's stored 15-minute buckets (all queues, or one). Fails `forbidden` for agents, `offline` when disconnected. */
  getQueueTrends: { args: cleaned(z.tuple([z.strictObject({ queue: z.string().min(1).max(64).optional() })])), result: QueueTrendsResponse },
  /** Supervisors: force an agent to not_ready or offline; the center's ack (`pending` while the agent is on a call). */
  forceAgentState: {
    args: cleaned(z.tuple([z.strictObject({ agent: z.string().min(1).max(64), state: z.enum(['not_ready', 'offline']), reason: ReasonCode.optional() })])),
    result: ForceAgentStateResponse,
  },
  /** Supervisors: every queue's alert thresholds (defaults where unset); the last known set when offline. */
  getQueueThresholds: { args: noArgs, result: QueueThresholdsSet },
  /** Supervisors: set one queue's thresholds (null: back to the defaults); stored and audited at the center. */
  setQueueThresholds: {
    args: cleaned(z.tuple([z.strictObject({ queue: z.string().min(1).max(64), thresholds: QueueThresholds.nullable() })])),
    result: QueueThresholdsSet,
  },
  /** Supervisors: every queue's chat and email capacity (defaults where unset); the last known set when offline. */
  getQueueCapacities: { args: noArgs, result: QueueCapacitiesSet },
  /** Supervisors: set one queue's chat or email capacity; stored and audited at the center, routing uses it at once. */
  setQueueCapacity: { args: cleaned(z.tuple([SetQueueCapacityRequest])), result: QueueCapacitiesSet },
  /** Everyone: the tenant's recent great-service marks, newest first (the last known list when offline). */
  getGreatService: { args: noArgs, result: GreatServiceList },
  /** Supervisors: mark an interaction as great service with a line of why; every desktop of the tenant hears it. */
  markGreatService: { args: cleaned(z.tuple([MarkGreatServiceRequest.strict()])), result: GreatService },
  /** The effective settings: per key its value, where it came from (policy/user/default) and whether IT locked it. */
  getSettings: { args: noArgs, result: DesktopSettings },
  /** Saves one of the agent's own preferences; fails `setting_locked` for a key IT set by policy. */
  setSetting: { args: cleaned(z.tuple([UserSettingChange])), result: DesktopSettings },
  /** The renderer's answer to `flushRequested`: it has saved every note it was holding back (`saved` of them). */
  flushCompleted: {
    args: cleaned(z.tuple([z.strictObject({ requestId: Uuid, saved: z.number().int().min(0).max(10_000) })])),
    result: z.object({ accepted: z.boolean() }),
  },
  /** A mutation the center refused (see SyncStatus.rejected), with what can be edited; null when it is not in the list. */
  getRejectedMutation: { args: cleaned(z.tuple([z.strictObject({ mutationId: Uuid })])), result: RejectedDetail.nullable() },
  /** Fix and retry: saves the edited note or VOC item locally and queues it as a new mutation; the refused one leaves the list. */
  retryRejectedMutation: { args: cleaned(z.tuple([z.strictObject({ mutationId: Uuid, edit: RejectedEdit })])), result: RejectedRetried },
  /** Discards a refused mutation: it leaves the list (a refused VOC item, never stored at the center, leaves this computer too). */
  discardRejectedMutation: { args: cleaned(z.tuple([z.strictObject({ mutationId: Uuid })])), result: z.object({ discarded: z.boolean() }) },
} as const;

export type DesktopApiMethod = keyof typeof desktopApiMethods;
export type ApiArgs<M extends DesktopApiMethod> = z.infer<(typeof desktopApiMethods)[M]['args']>;
export type ApiResult<M extends DesktopApiMethod> = z.infer<(typeof desktopApiMethods)[M]['result']>;

/** Events the desktop sends to the renderer. */
export const desktopApiEvents = {
  /** A call is offered: `pop` is the local cache's answer (null when the caller is not cached). */
  callOffered: z.object({ call: CallOffered, pop: ScreenPop.nullable() }),
  /** The center's answer for a popped call arrived (null: the center does not know the caller either). */
  screenPopUpdated: z.object({ interactionId: Uuid, pop: ScreenPop.nullable() }),
  syncStatus: SyncStatus,
  noteSynced: z.object({ id: Uuid, revision: z.number().int().positive() }),
  /** The shell was asked to show a customer (an `earshot://customer/<id>` link from another app). */
  openCustomer: z.object({ customerId: Uuid }),
  /** The agent's state changed (by the agent, the switch, or a supervisor: see `forcedBy`). */
  agentState: AgentStateView,
  /** Agents: the inbox changed (an offer, a message, a reply's state, an item taken or finished): the whole view. */
  inbox: InboxView,
  /** Agents: an offer ended without their accept (it timed out, they went offline, it was requeued). */
  conversationWithdrawn: ConversationWithdrawnEvent,
  /** Supervisors: the whole current metrics snapshot, at most once a second (after each center push). */
  queueMetrics: QueueMetricsSnapshot,
  /** Supervisors: agents whose state changed (only those; merge by `agent`). */
  agentStates: z.object({ agents: z.array(SupervisedAgent) }),
  /** The desktop is quitting or its window closing: save held-back notes now, then call `flushCompleted`. */
  flushRequested: z.object({ requestId: Uuid }),
  /** Supervisors: the thresholds in force changed (another supervisor set them, or this one did). */
  queueThresholds: QueueThresholdsSet,
  /** Supervisors: the chat and email capacities changed (another supervisor set one, or this one did). */
  queueCapacities: QueueCapacitiesSet,
  /** Everyone: the great-service list changed (newest first). */
  greatService: GreatServiceList,
  /** Everyone: an improvement was done because customers told us (the list as it now stands, newest first). */
  improvementsShared: ImprovementsSharedList,
  /** Those who read improvements: one was proposed, moved on or linked at the center; read them again. */
  improvementChanged: ImprovementChanged,
  /** VOC desk: an item of this person's (department, ownership, raised by them) changed at the center; refresh what shows it. */
  vocChanged: VocChanged,
  /** VOC desk: a deadline passed on an item this person owns or leads (or, urgent or safety, any item for a supervisor). */
  vocOverdue: VocOverdue,
  /**
   * The session ended: the center ended it (signed out by an administrator, a password reset, the
   * user disabled, or it expired), the agent signed out, or the idle timeout did. Show the sign-in form
   * saying which. What the agent wrote and has not synced stays on this computer.
   */
  sessionEnded: z.object({ reason: SessionEndReason }),
  /**
   * The desktop signed itself in (launch credentials, EARSHOT_SIGNIN) after the screen had asked who is
   * signed in: a screen still showing the sign-in form shows the signed-in view.
   */
  sessionStarted: SessionInfo,
} as const;
export type DesktopApiEvent = keyof typeof desktopApiEvents;
export type EventPayload<E extends DesktopApiEvent> = z.infer<(typeof desktopApiEvents)[E]>;

export const ApiError = z.object({ code: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;
/** What every method call resolves to across IPC and the web bridge. */
export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The shape the renderer sees as `window.earshot`. */
export interface DesktopApi {
  invoke<M extends DesktopApiMethod>(method: M, ...args: ApiArgs<M>): Promise<ApiResponse<ApiResult<M>>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends DesktopApiEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What main/services implements: one function per method, already-validated arguments in. */
export type DesktopApiHandlers = {
  [M in DesktopApiMethod]: (...args: ApiArgs<M>) => Promise<ApiResult<M>>;
};
