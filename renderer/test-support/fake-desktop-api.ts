// An in-memory DesktopApi for component tests: our own boundary, so a double is fair here. It
// records every call, answers like the desktop would (revisions, idempotent VOC creation), and
// holds every answer and event it sends to the contract's schemas so fixtures cannot drift.
import {
  type AgentStateView,
  desktopApiEvents,
  desktopApiMethods,
  type ApiArgs,
  type ApiError,
  type ApiResponse,
  type ApiResult,
  type CustomerSummary,
  type CurrentCall,
  type DesktopApi,
  type DesktopApiEvent,
  type DesktopApiMethod,
  type EventPayload,
  type QueueMetricsSnapshot,
  type SessionInfo,
  type SupervisedAgent,
  type SyncStatus,
} from '../../shared/api/index';
import { raisedVocItem, type Queue, type ScreenPop, type VocItem } from '../../shared/domain/index';
import { DEFAULT_QUEUE_THRESHOLDS, type GreatService, type QueueCapacitiesSet, type QueueThresholdsSet } from '../../shared/protocol/index';
import { DEFAULT_SETTINGS, POLICY_KEYS, USER_EDITABLE_KEYS, type DesktopSettings } from '../../shared/api/settings';
import type { RejectedDetail } from '../../shared/api/rejected';
import type { InboxView } from '../../shared/api/inbox';
import { SNIPPETS_MAX, type Snippet } from '../../shared/api/snippets';
import type { AnalysisCellItem, AnalysisView } from '../../shared/api/analysis';
import type { FollowUpDesk, VocDeskItem, VocDeskQueue, VocReference } from '../../shared/api/voc';
import { nextStatus, VOC_TYPES } from '../../shared/domain/index';
import { AGENT_USER } from './fixtures';
import { FakeImprovements, IMPROVEMENT_METHODS } from './fake-improvements';
import { FakeRefusal } from './fake-refusal';

export { FakeRefusal };

type Handler<M extends DesktopApiMethod> = (...args: ApiArgs<M>) => ApiResult<M> | Promise<ApiResult<M>>;

export interface RecordedCall {
  method: DesktopApiMethod;
  args: unknown[];
}


export class FakeDesktopApi implements DesktopApi {
  readonly calls: RecordedCall[] = [];
  session: SessionInfo = { signedIn: true, centerUrl: 'http://127.0.0.1:7300', user: AGENT_USER };
  syncStatus: SyncStatus = { state: 'online', pending: 0, lastSyncAt: null, lastError: null, rejected: [] };
  currentCall: CurrentCall | null = null;
  customers: CustomerSummary[] = [];
  pops = new Map<string, ScreenPop>();
  /** Every saved revision of every note, in save order. */
  readonly savedNotes: Array<{ id: string; revision: number; text: string; customerId: string }> = [];
  readonly vocItems = new Map<string, VocItem>();
  /** The agent's state as the center would report it; null until it has. */
  agentState: AgentStateView | null = null;
  /** The chats and emails offered or held, as the desktop's inbox relay would report them. */
  inbox: InboxView = { items: [], connected: true, unsent: [] };
  /** The agent's saved snippets as the desktop's store would answer them (by name; refusals as its own, see main/db/snippets.ts). */
  snippets: Snippet[] = [];
  /** Queues' reference data by id, as synced to the desktop. */
  queues = new Map<string, Queue>();
  /** Supervisor view: the live metrics and agents as the desktop would hold them. */
  queueMetrics: QueueMetricsSnapshot = { at: null, queues: {} };
  supervisedAgents: SupervisedAgent[] = [];
  /** Supervisor view: the thresholds in force (defaults for every queue until a test sets some). */
  queueThresholds: QueueThresholdsSet = { defaults: DEFAULT_QUEUE_THRESHOLDS, queues: {} };
  /** Supervisor view: chat and email capacity per queue (CHANNELS.md's defaults; no queue until a test adds some). */
  queueCapacities: QueueCapacitiesSet = {
    defaults: { chat: { capacity: 3, interruptible: false, custom: false }, email: { capacity: 2, interruptible: true, custom: false } },
    queues: {},
  };
  /** Great service as the center shared it, newest first. */
  greatService: GreatService[] = [];
  /** The effective settings as the desktop would report them (defaults, nothing locked); edit to lock keys. */
  settings: DesktopSettings = {
    settings: Object.fromEntries(
      POLICY_KEYS.map((k) => [k, { value: DEFAULT_SETTINGS[k], source: 'default', locked: false, editable: (USER_EDITABLE_KEYS as readonly string[]).includes(k) }]),
    ) as DesktopSettings['settings'],
    policyOrigin: null,
    problems: [],
  };
  /** What `getRejectedMutation` answers, by mutation id (tests list them in `syncStatus.rejected` too). */
  rejectedDetails = new Map<string, RejectedDetail>();
  /** The analysis the center would answer (any period); null answers an empty matrix. */
  analysis: AnalysisView | null = null;
  /** Every cell's items, by `${topic}|${type}` ("" topic: unclassified), newest first; paged by `limit`. */
  analysisCells = new Map<string, AnalysisCellItem[]>();
  /** The VOC catalogue and departments as synced. */
  vocReference: VocReference = { topics: [], departments: [], queues: [] };
  /** The desk's answer to every getVocQueue (tests filter by looking at the calls). */
  vocQueue: VocDeskQueue = { items: [], next: null, overdueCount: 0, asOf: '2026-11-25T10:00:00.000Z', offline: false };
  /** Item pages by id; a step taken through actOnVocItem moves the page as the desktop would show it. */
  vocPages = new Map<string, VocDeskItem>();
  /** Improvements as the center would keep them (fake-improvements.ts). */
  readonly improvements = new FakeImprovements();
  followUps: FollowUpDesk = { tasks: [], asOf: '2026-11-25T10:00:00.000Z', offline: false };
  private readonly failures = new Map<DesktopApiMethod, ApiError[]>();
  private readonly listeners = new Map<DesktopApiEvent, Set<(payload: never) => void>>();
  private readonly overrides = new Map<DesktopApiMethod, Handler<never>>();

  /** The next `times` calls of `method` answer with this error. */
  failNext(method: DesktopApiMethod, error: ApiError, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(error);
    this.failures.set(method, queue);
  }

  /** Replaces the built-in behaviour of one method. */
  handle<M extends DesktopApiMethod>(method: M, handler: Handler<M>): void {
    this.overrides.set(method, handler as unknown as Handler<never>);
  }

  callsOf<M extends DesktopApiMethod>(method: M): ApiArgs<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as ApiArgs<M>);
  }

  async invoke<M extends DesktopApiMethod>(method: M, ...args: ApiArgs<M>): Promise<ApiResponse<ApiResult<M>>> {
    this.calls.push({ method, args: [...args] });
    const parsedArgs = desktopApiMethods[method].args.safeParse(args);
    if (!parsedArgs.success) return { ok: false, error: { code: 'bad_request', message: `Invalid arguments for ${method}` } };
    const failure = this.failures.get(method)?.shift();
    if (failure) return { ok: false, error: failure };
    const override = this.overrides.get(method) as Handler<M> | undefined;
    let value: unknown;
    try {
      value = override ? await override(...args) : await this.builtIn(method, args);
    } catch (err) {
      if (err instanceof FakeRefusal) return { ok: false, error: { code: err.code, message: err.message } };
      throw err;
    }
    // Holding the double's answers to the contract keeps the tests honest about real shapes.
    return { ok: true, value: desktopApiMethods[method].result.parse(value) as ApiResult<M> };
  }

  on<E extends DesktopApiEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Sends an event to the renderer, as the desktop would. */
  emit<E extends DesktopApiEvent>(event: E, payload: EventPayload<E>): void {
    const checked = desktopApiEvents[event].parse(payload) as EventPayload<E>;
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(checked);
  }

  /** Replaces the inbox and tells the renderer, as the desktop does after every change. */
  setInbox(items: InboxView['items']): void {
    this.inbox = { ...this.inbox, items };
    queueMicrotask(() => this.emit('inbox', this.inbox));
  }

  listenerCount(event: DesktopApiEvent): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  private async builtIn(method: DesktopApiMethod, args: unknown[]): Promise<unknown> {
    if ((IMPROVEMENT_METHODS as readonly string[]).includes(method)) return this.improvements.answer(method as (typeof IMPROVEMENT_METHODS)[number], args);
    switch (method) {
      case 'getSession':
        return this.session;
      case 'signIn': {
        const [creds] = args as ApiArgs<'signIn'>;
        this.session = {
          ...this.session,
          signedIn: true,
          user: { ...AGENT_USER, tenant: creds.tenant, username: creds.username },
        };
        return this.session;
      }
      case 'signOut': {
        // As the desktop would: with changes waiting, `ask` changes nothing and `wait` waits for them.
        const [{ whenChangesWait }] = args as ApiArgs<'signOut'>;
        const pending = this.syncStatus.pending;
        if (pending > 0 && whenChangesWait === 'ask') return { outcome: 'changesWaiting', pending };
        if (pending > 0 && whenChangesWait === 'wait') return { outcome: 'waiting', pending };
        this.session = { ...this.session, signedIn: false, user: null };
        queueMicrotask(() => this.emit('sessionEnded', { reason: 'signedOut' }));
        return { outcome: 'signedOut', pending };
      }
      case 'reportActivity':
        return {};
      case 'getSyncStatus':
        return this.syncStatus;
      case 'getCurrentCall':
        return this.currentCall;
      case 'lookupCaller': {
        const [{ phone }] = args as ApiArgs<'lookupCaller'>;
        return this.pops.get(phone) ?? null;
      }
      case 'lookupCustomer': {
        const [{ customerId }] = args as ApiArgs<'lookupCustomer'>;
        return [...this.pops.values()].find((p) => p.customer.id === customerId) ?? null;
      }
      case 'linkCallerToCustomer': {
        // As the desktop would: the linked customer's pop, sent as the update for the call on the line.
        const [{ interactionId, customerId }] = args as ApiArgs<'linkCallerToCustomer'>;
        const pop = [...this.pops.values()].find((p) => p.customer.id === customerId) ?? null;
        if (pop && this.currentCall?.call.interactionId === interactionId) {
          this.currentCall = { ...this.currentCall, pop };
          queueMicrotask(() => this.emit('screenPopUpdated', { interactionId, pop }));
        }
        return pop;
      }
      case 'searchCustomers': {
        const [{ query }] = args as ApiArgs<'searchCustomers'>;
        const q = query.toLowerCase();
        return this.customers.filter((c) =>
          [c.displayName, c.phone ?? '', c.email ?? ''].some((field) => field.toLowerCase().includes(q)),
        );
      }
      case 'saveNote': {
        const [note] = args as ApiArgs<'saveNote'>;
        const revision = this.savedNotes.filter((n) => n.id === note.id).length + 1;
        this.savedNotes.push({ id: note.id, revision, text: note.text, customerId: note.customerId });
        return { id: note.id, revision, savedAt: new Date().toISOString(), synced: false };
      }
      case 'createVocItem': {
        const [voc] = args as ApiArgs<'createVocItem'>;
        const existing = this.vocItems.get(voc.id);
        if (existing) return existing;
        const item = raisedVocItem(voc, this.session.user?.username ?? 'agent', new Date().toISOString());
        this.vocItems.set(item.id, item);
        return item;
      }
      case 'getVocItems': {
        const [{ ids }] = args as ApiArgs<'getVocItems'>;
        return ids.flatMap((id) => this.vocItems.get(id) ?? []);
      }
      case 'getVocReference':
        return this.vocReference;
      case 'getVocQueue':
        return this.vocQueue;
      case 'getVocItem': {
        const [{ id }] = args as ApiArgs<'getVocItem'>;
        const page = this.vocPages.get(id);
        if (!page) throw new FakeRefusal('not_found', 'This VOC item is not in the records you may see.');
        return page;
      }
      case 'actOnVocItem': {
        // As the desktop would: queued (one more change waiting), and the item shown moved, waiting to sync.
        const [step] = args as ApiArgs<'actOnVocItem'>;
        const page = this.vocPages.get(step.id);
        const department = this.vocReference.departments.find((d) => d.id === page?.item.departmentId);
        const status = nextStatus(page?.item ?? { status: step.expectedStatus, departmentId: null, ownerUserId: null }, step, { requiresApproval: department?.requiresApproval ?? false });
        if (page) this.vocPages.set(step.id, { ...page, item: { ...page.item, status }, pendingSync: true, actions: [] });
        this.syncStatus = { ...this.syncStatus, pending: this.syncStatus.pending + 1 };
        queueMicrotask(() => this.emit('syncStatus', this.syncStatus));
        return { mutationId: `0190f000-0000-7000-8000-${String(this.calls.length).padStart(12, '0')}`, status };
      }
      case 'getFollowUps':
        return this.followUps;
      case 'callFollowUp': {
        const [{ id }] = args as ApiArgs<'callFollowUp'>;
        this.followUps = { ...this.followUps, tasks: this.followUps.tasks.map((t) => (t.id === id ? { ...t, state: 'calling', claimedBy: this.session.user?.displayName ?? null } : t)) };
        return { interactionId: `0190f000-0000-7000-9000-${String(this.calls.length).padStart(12, '0')}` };
      }
      case 'rescheduleFollowUp':
      case 'skipFollowUp': {
        const [{ id }] = args as ApiArgs<'skipFollowUp'>;
        this.followUps = { ...this.followUps, tasks: this.followUps.tasks.filter((t) => t.id !== id) };
        return this.followUps;
      }
      case 'setAgentState': {
        const [request] = args as ApiArgs<'setAgentState'>;
        this.agentState = {
          state: request.state,
          reason: request.reason ?? null,
          since: new Date().toISOString(),
          forcedBy: null,
          interactionId: null,
          queue: null,
          pending: null,
        };
        return this.agentState;
      }
      case 'getAgentState':
        return this.agentState;
      case 'callControl': {
        const [{ interactionId, action }] = args as ApiArgs<'callControl'>;
        return { interactionId, action };
      }
      case 'finishWrapUp': {
        const [{ disposition }] = args as ApiArgs<'finishWrapUp'>;
        // As the center would: wrap-up ends and the agent is available; the desktop hears it as an event.
        this.agentState = { state: 'available', reason: null, since: new Date().toISOString(), forcedBy: null, interactionId: null, queue: null, pending: null };
        queueMicrotask(() => this.emit('agentState', this.agentState!));
        return { disposition: disposition ?? null, wrapUpFinished: true };
      }
      case 'getQueue': {
        const [{ queueId }] = args as ApiArgs<'getQueue'>;
        return this.queues.get(queueId) ?? null;
      }
      case 'getQueueMetrics':
        return this.queueMetrics;
      case 'getSupervisedAgents':
        return this.supervisedAgents;
      case 'getQueueTrends':
        return { buckets: [] };
      case 'forceAgentState':
        return { applied: true, pending: false };
      case 'getQueueThresholds':
        return this.queueThresholds;
      case 'setQueueThresholds': {
        const [{ queue, thresholds }] = args as ApiArgs<'setQueueThresholds'>;
        const queues = { ...this.queueThresholds.queues, [queue]: thresholds ? { thresholds, custom: true } : { thresholds: this.queueThresholds.defaults, custom: false } };
        this.queueThresholds = { ...this.queueThresholds, queues };
        return this.queueThresholds;
      }
      case 'getQueueCapacities':
        return this.queueCapacities;
      case 'setQueueCapacity': {
        // As the center: the queue must be known; interruptible kept when not given.
        const [{ queue, channel, capacity, interruptible }] = args as ApiArgs<'setQueueCapacity'>;
        const now = this.queueCapacities.queues[queue];
        if (!now) throw new FakeRefusal('not_found', `There is no queue "${queue}" in your tenant.`);
        const next = { ...now, [channel]: { capacity, interruptible: interruptible ?? now[channel].interruptible, custom: true } };
        this.queueCapacities = { ...this.queueCapacities, queues: { ...this.queueCapacities.queues, [queue]: next } };
        return this.queueCapacities;
      }
      case 'getAnalysis': {
        const [{ from = '2026-09-07', to = '2026-12-05' }] = args as ApiArgs<'getAnalysis'>;
        return this.analysis ?? emptyAnalysis(from, to);
      }
      case 'getAnalysisCell': {
        const [{ topic, type, after, limit = 50 }] = args as ApiArgs<'getAnalysisCell'>;
        const all = this.analysisCells.get(`${topic}|${type}`) ?? [];
        const start = after ? Number(after) : 0;
        const items = all.slice(start, start + limit);
        return { items, next: start + limit < all.length ? String(start + limit) : null };
      }
      case 'getGreatService':
        return { items: this.greatService };
      case 'markGreatService': {
        const [{ interactionId, why }] = args as ApiArgs<'markGreatService'>;
        const marked = { id: `0190f000-0000-7000-8000-${String(this.greatService.length + 1).padStart(12, '0')}`, interactionId, agent: null, agentName: null, queue: null, markedBy: this.session.user?.displayName ?? 'Supervisor', why, markedAt: '2026-11-25T10:00:00.000Z' };
        this.greatService = [marked, ...this.greatService];
        return marked;
      }
      case 'flushCompleted':
        return { accepted: true };
      case 'getSettings':
        return this.settings;
      case 'setSetting': {
        const [{ key, value }] = args as ApiArgs<'setSetting'>;
        const entry = this.settings.settings[key];
        if (entry.locked) throw new Error(`${key} is locked in this fake; use failNext to answer setting_locked`);
        this.settings = { ...this.settings, settings: { ...this.settings.settings, [key]: { ...entry, value, source: 'user' } } };
        return this.settings;
      }
      case 'getInbox':
      case 'fetchConversation':
        return this.inbox;
      case 'acceptConversation':
      case 'finishConversation': {
        // As the center would: offered → active → wrap_up → closed (which leaves the inbox).
        const [req] = args as ApiArgs<'finishConversation'>;
        const item = this.inbox.items.find((i) => i.conversation.id === req.conversationId);
        if (!item) throw new FakeRefusal('not_found', 'There is no such conversation.');
        const state: 'active' | 'wrap_up' | 'closed' = method === 'acceptConversation' ? 'active' : req.to;
        const conversation = { ...item.conversation, state, agent: AGENT_USER.username };
        this.setInbox(state === 'closed' ? this.inbox.items.filter((i) => i !== item) : this.inbox.items.map((i) => (i === item ? { ...i, conversation } : i)));
        return conversation;
      }
      case 'declineConversation': {
        const [{ conversationId }] = args as ApiArgs<'declineConversation'>;
        this.setInbox(this.inbox.items.filter((i) => i.conversation.id !== conversationId));
        return { conversationId };
      }
      case 'replyToConversation': {
        // Kept first, as the desktop's outbox does; the test moves it on with `emit('inbox', …)`.
        const [{ conversationId, text }] = args as ApiArgs<'replyToConversation'>;
        const kept = { clientMutationId: `0190f000-0000-7000-8000-${String(this.calls.length).padStart(12, '0')}`, conversationId, text, createdAt: new Date().toISOString(), attempts: 0, lastError: null, refused: false };
        this.setInbox(this.inbox.items.map((i) => (i.conversation.id === conversationId ? { ...i, kept: [...i.kept, kept] } : i)));
        return kept;
      }
      case 'discardReply': {
        const [{ clientMutationId }] = args as ApiArgs<'discardReply'>;
        const before = this.inbox.unsent.length;
        this.inbox = { ...this.inbox, unsent: this.inbox.unsent.filter((k) => k.clientMutationId !== clientMutationId) };
        queueMicrotask(() => this.emit('inbox', this.inbox));
        return { discarded: this.inbox.unsent.length < before };
      }
      case 'listSnippets':
        return this.snippets;
      case 'saveSnippet': {
        const [{ id, title, text }] = args as ApiArgs<'saveSnippet'>;
        const saved = { id: id ?? `0190f000-0000-7000-9000-${String(this.calls.length).padStart(12, '0')}`, title: title.trim(), text: text.trim(), updatedAt: '2026-11-25T10:00:00.000Z' };
        if (!id && this.snippets.length >= SNIPPETS_MAX) throw new FakeRefusal('snippet_limit', `You keep ${SNIPPETS_MAX} snippets already: delete one you no longer use first.`);
        if (id && !this.snippets.some((s) => s.id === id)) throw new FakeRefusal('not_found', 'That snippet is no longer in your list.');
        this.snippets = [...this.snippets.filter((s) => s.id !== saved.id), saved].sort((a, b) => a.title.localeCompare(b.title));
        return this.snippets;
      }
      case 'deleteSnippet': {
        const [{ id }] = args as ApiArgs<'deleteSnippet'>;
        this.snippets = this.snippets.filter((s) => s.id !== id);
        return this.snippets;
      }
      case 'getRejectedMutation': {
        const [{ mutationId }] = args as ApiArgs<'getRejectedMutation'>;
        return this.rejectedDetails.get(mutationId) ?? null;
      }
      case 'retryRejectedMutation':
      case 'discardRejectedMutation': {
        // As the desktop would: the refused entry leaves the list; a retry is one more pending change.
        const [{ mutationId }] = args as ApiArgs<'discardRejectedMutation'>;
        const listed = this.rejectedDetails.delete(mutationId);
        const retried = method === 'retryRejectedMutation';
        this.syncStatus = {
          ...this.syncStatus,
          pending: this.syncStatus.pending + (retried && listed ? 1 : 0),
          rejected: this.syncStatus.rejected.filter((r) => r.mutationId !== mutationId),
        };
        queueMicrotask(() => this.emit('syncStatus', this.syncStatus));
        return retried ? { mutationId: `0190f000-0000-7000-8000-${String(this.calls.length).padStart(12, '0')}` } : { discarded: listed };
      }
    }
  }
}

function emptyAnalysis(from: string, to: string): AnalysisView {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  const previous = { from: new Date(Date.parse(from) - days * 86_400_000).toISOString().slice(0, 10), to: new Date(Date.parse(from) - 86_400_000).toISOString().slice(0, 10), days };
  return {
    matrix: { period: { from, to, days }, previous, split: null, topics: [], types: [...VOC_TYPES], cells: [] },
    figures: {
      raised: 0,
      wantSlipShare: null,
      reopenRate: null,
      satisfaction: { satisfied: 0, answered: 0, rate: null },
      raisedToTold: { told: 0, medianMinutes: null, p90Minutes: null, beyondLastBucket: false },
      weekly: [],
      rising: [],
      risingRule: { minCount: 5, limit: 10 },
      compliance: [],
      byTier: [],
    },
  };
}
