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
import type { Queue, ScreenPop, VocItem } from '../../shared/domain/index';
import { AGENT_USER } from './fixtures';

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
  /** Queues' reference data by id, as synced to the desktop. */
  queues = new Map<string, Queue>();
  /** Supervisor view: the live metrics and agents as the desktop would hold them. */
  queueMetrics: QueueMetricsSnapshot = { at: null, queues: {} };
  supervisedAgents: SupervisedAgent[] = [];
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
    const value = override ? await override(...args) : await this.builtIn(method, args);
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

  listenerCount(event: DesktopApiEvent): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  private async builtIn(method: DesktopApiMethod, args: unknown[]): Promise<unknown> {
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
      case 'getSyncStatus':
        return this.syncStatus;
      case 'getCurrentCall':
        return this.currentCall;
      case 'lookupCaller': {
        const [{ phone }] = args as ApiArgs<'lookupCaller'>;
        return this.pops.get(phone) ?? null;
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
        const item: VocItem = {
          ...voc,
          status: 'raised',
          createdBy: this.session.user?.username ?? 'agent',
          createdAt: new Date().toISOString(),
        };
        this.vocItems.set(item.id, item);
        return item;
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
    }
  }
}
