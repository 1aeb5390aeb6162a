// The agent state machine of one tenant: who is available, ringing, on a call or in wrap-up, why an
// agent is not ready, who forced a change, and which available agent has been idle longest per queue.
// Pure: time comes from an injected clock and deadlines are applied by tick(), so tests need no timers.
import { z } from 'zod';

export const AGENT_STATES = ['offline', 'available', 'not_ready', 'ringing', 'on_call', 'on_hold', 'wrap_up'] as const;
export const AgentState = z.enum(AGENT_STATES);
export type AgentState = z.infer<typeof AgentState>;
/** States in which the agent has a call (on_hold is a sub-state of the call). */
export const CALL_STATES: readonly AgentState[] = ['ringing', 'on_call', 'on_hold'];
/** Usual reason codes; any short code is accepted so a tenant can add its own. `missed` is set by the ACD. */
export const NOT_READY_REASONS = ['break', 'meal', 'training', 'meeting', 'missed', 'forced', 'paused'] as const;
export const ReasonCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a reason code is lower-case letters, digits and _ (at most 32)');

/** Who asked for a change: the agent, a supervisor forcing it, or the center itself (call control, timers). */
export type AgentActor =
  | { kind: 'agent' }
  | { kind: 'supervisor'; supervisor: string }
  | { kind: 'system'; cause: string };

/** An agent's current state as supervisors see it. */
export interface AgentStatus {
  agent: string;
  state: AgentState;
  /** Reason code while not_ready; null otherwise. */
  reason: string | null;
  /** The call the state is about (ringing, on_call, on_hold, wrap_up); null otherwise. */
  interactionId: string | null;
  queue: string | null;
  /** Center time the state began (ms since epoch). */
  since: number;
  /** Queues the agent serves (skills). */
  queues: readonly string[];
  /** The desktop is gone but the state is kept until `disconnectedAt + grace`. */
  disconnectedAt: number | null;
  /** A supervisor's force (or grace expiry) waiting for the call to finish: applied instead of `available`. */
  pending: { state: 'not_ready' | 'offline'; reason: string | null; forcedBy: string | null } | null;
}

/** One audit record per change; the center stores these (agent_state_changes) and metrics consume them. */
export interface AgentStateChange {
  /** Increases by one per change within this machine: orders changes made in the same millisecond. */
  seq: number;
  agent: string;
  from: AgentState;
  to: AgentState;
  reason: string | null;
  interactionId: string | null;
  queue: string | null;
  /** The agent's queues at the time of the change (for per-queue occupancy and agent lists). */
  queues: readonly string[];
  /** Center time, ms since epoch. */
  at: number;
  by: 'agent' | 'supervisor' | 'system';
  /** The supervisor who forced it, when one did. */
  forcedBy: string | null;
  /** Why: `agent`, `supervisor`, or the system cause (`call_answered`, `ring_timeout`, `disconnect_grace`, …). */
  cause: string;
}

export interface QueueWrapUpSettings {
  /** After-call work: on, the agent goes to wrap_up when a call ends; off, straight to available. */
  wrapUp: boolean;
  /** Seconds after which wrap-up ends on its own (agent becomes available); null for no limit. */
  wrapUpLimitSec: number | null;
}

export interface AgentStateOptions {
  /** Center clock, ms since epoch. */
  now: () => number;
  /** How long a disconnected desktop keeps its state. Default 60 s. */
  disconnectGraceMs?: number;
  /** Per-queue wrap-up settings; default wrap-up on, no limit. */
  queueSettings?: (queue: string) => QueueWrapUpSettings;
}

export type AgentStateErrorCode = 'unknown_agent' | 'illegal_transition' | 'reason_required' | 'not_allowed';

/** A refused change; `message` says what happened and what to do instead. */
export class AgentStateError extends Error {
  override readonly name = 'AgentStateError';
  constructor(readonly code: AgentStateErrorCode, message: string) {
    super(message);
  }
}

type ActorKind = AgentActor['kind'];
/** Legal moves and who may make them. A supervisor's forces are handled separately (force()). */
const TRANSITIONS: Record<AgentState, Partial<Record<AgentState, readonly ActorKind[]>>> = {
  offline: { available: ['agent', 'system'], not_ready: ['agent', 'system'] },
  available: { not_ready: ['agent', 'system'], offline: ['agent', 'system'], ringing: ['system'] },
  not_ready: { available: ['agent', 'system'], not_ready: ['agent', 'system'], offline: ['agent', 'system'] },
  ringing: { on_call: ['system'], available: ['system'], not_ready: ['system'], offline: ['system'] },
  on_call: { on_hold: ['system'], wrap_up: ['system'], available: ['system'], not_ready: ['system'] },
  on_hold: { on_call: ['system'], wrap_up: ['system'], available: ['system'], not_ready: ['system'] },
  wrap_up: { available: ['agent', 'system'], not_ready: ['agent', 'system'], offline: ['agent', 'system'] },
};

export const DEFAULT_DISCONNECT_GRACE_MS = 60_000;
/** A queue nobody configured: wrap-up after every call, ended by the agent. */
export const DEFAULT_WRAP_UP_SETTINGS: QueueWrapUpSettings = { wrapUp: true, wrapUpLimitSec: null };

export interface TransitionRequest {
  to: AgentState;
  reason?: string | null;
  interactionId?: string | null;
  queue?: string | null;
}

/** The state machine for one tenant's agents. */
export class AgentStates {
  private readonly agents = new Map<string, AgentStatus & { sinceSeq: number }>();
  private readonly listeners = new Set<(change: AgentStateChange) => void>();
  /** Agents holding work a call may not interrupt (a chat): not rung while they hold it (channels/). */
  private readonly voiceBlocked = new Set<string>();
  private seq = 0;
  private readonly graceMs: number;
  private readonly settingsOf: (queue: string) => QueueWrapUpSettings;

  constructor(private readonly options: AgentStateOptions) {
    this.graceMs = options.disconnectGraceMs ?? DEFAULT_DISCONNECT_GRACE_MS;
    this.settingsOf = options.queueSettings ?? (() => DEFAULT_WRAP_UP_SETTINGS);
  }

  /** Every change, in order, as it happens: the owner persists the audit record and feeds metrics. */
  onChange(listener: (change: AgentStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds an agent (offline) or updates the queues an existing agent serves. */
  register(agent: string, queues: readonly string[]): AgentStatus {
    const known = this.agents.get(agent);
    if (known) {
      known.queues = [...queues];
      return this.view(known);
    }
    const status = {
      agent,
      state: 'offline' as AgentState,
      reason: null,
      interactionId: null,
      queue: null,
      since: this.options.now(),
      sinceSeq: this.seq,
      queues: [...queues],
      disconnectedAt: null,
      pending: null,
    };
    this.agents.set(agent, status);
    return this.view(status);
  }

  get(agent: string): AgentStatus {
    return this.view(this.require(agent));
  }

  list(): AgentStatus[] {
    return [...this.agents.values()].map((s) => this.view(s));
  }

  /** The agent on this interaction in one of these states, if any; a scan without copying every agent (called per CTI event). */
  agentOnInteraction(interactionId: string, among: readonly AgentState[]): string | null {
    for (const s of this.agents.values()) if (s.interactionId === interactionId && among.includes(s.state)) return s.agent;
    return null;
  }

  /** Like `get`, but null for an agent who is not registered. */
  find(agent: string): AgentStatus | null {
    const status = this.agents.get(agent);
    return status ? this.view(status) : null;
  }

  /** Whether the wrap-up settings of a queue send its calls to wrap_up. */
  wrapUpAfter(queue: string): boolean {
    return this.settingsOf(queue).wrapUp;
  }

  /** What the agent asks for from the desktop: available, not_ready with a reason, offline, or the end of wrap-up. */
  setByAgent(agent: string, to: AgentState, reason?: string | null): AgentStateChange {
    return this.transition(agent, { to, reason }, { kind: 'agent' });
  }

  /**
   * Call control and timers: ringing, on_call, on_hold, wrap_up and the ways out of them. `at` is for a
   * state restored after a takeover: the change is dated when the state first began (never later than the
   * clock, whose nodes may disagree), so time in state, wrap-up limits and idle order carry on from there.
   */
  setBySystem(agent: string, request: TransitionRequest, cause: string, at?: number): AgentStateChange {
    return this.transition(agent, request, { kind: 'system', cause }, at);
  }

  /**
   * A supervisor forces not_ready (with a reason) or offline. During a call it cannot cut the call,
   * so the force waits and takes the place of the next `available`; the result says which happened.
   */
  force(agent: string, to: 'not_ready' | 'offline', supervisor: string, reason?: string | null): { applied: AgentStateChange | null; pending: boolean } {
    const status = this.require(agent);
    const code = to === 'not_ready' ? this.reasonFor(agent, to, reason ?? 'forced') : null;
    if (CALL_STATES.includes(status.state)) {
      status.pending = { state: to, reason: code, forcedBy: supervisor };
      return { applied: null, pending: true };
    }
    if (status.state === to && status.reason === code) return { applied: null, pending: false };
    return { applied: this.apply(status, { to, reason: code }, { kind: 'supervisor', supervisor }), pending: false };
  }

  /** The agent's last desktop connection closed: the state is kept for the grace period. */
  disconnected(agent: string): void {
    const status = this.require(agent);
    if (status.state !== 'offline' && status.disconnectedAt === null) status.disconnectedAt = this.options.now();
  }

  /** The desktop is back: within the grace period it gets its state back unchanged. */
  reconnected(agent: string): AgentStatus {
    const status = this.require(agent);
    this.tick();
    status.disconnectedAt = null;
    return this.view(status);
  }

  /**
   * The agent holds (or is offered) a chat or email whose queue a call may not interrupt: calls pass
   * them by until it is released. Presence (their state) is unchanged: they stay available.
   */
  setVoiceBlocked(agent: string, blocked: boolean): void {
    if (blocked) this.voiceBlocked.add(agent);
    else this.voiceBlocked.delete(agent);
  }

  /** Available agents serving a queue, longest idle first: the routing order of calls. */
  longestIdle(queue: string): string[] {
    return [...this.agents.values()]
      .filter((s) => s.state === 'available' && s.queues.includes(queue) && !this.voiceBlocked.has(s.agent))
      .sort((a, b) => a.since - b.since || a.sinceSeq - b.sinceSeq)
      .map((s) => s.agent);
  }

  /** The earliest moment tick() has something to do (a wrap-up limit or a grace period ending), or null. */
  nextDeadline(): number | null {
    let next: number | null = null;
    for (const s of this.agents.values()) {
      const d = this.deadlineOf(s);
      if (d !== null && (next === null || d < next)) next = d;
    }
    return next;
  }

  /** Applies every deadline that has passed at the clock's current time. Returns the changes made. */
  tick(): AgentStateChange[] {
    const now = this.options.now();
    const changes: AgentStateChange[] = [];
    for (const s of this.agents.values()) {
      if (s.disconnectedAt !== null && s.disconnectedAt + this.graceMs <= now) {
        s.disconnectedAt = null;
        if (CALL_STATES.includes(s.state) || s.state === 'wrap_up') {
          // The call is on the switch, not on the desktop: finish it, then go offline.
          s.pending = { state: 'offline', reason: null, forcedBy: null };
          if (s.state === 'wrap_up') changes.push(this.apply(s, { to: 'available' }, { kind: 'system', cause: 'disconnect_grace' }));
        } else if (s.state !== 'offline') {
          changes.push(this.apply(s, { to: 'offline' }, { kind: 'system', cause: 'disconnect_grace' }));
        }
      }
      const limit = s.state === 'wrap_up' && s.queue !== null ? this.settingsOf(s.queue).wrapUpLimitSec : null;
      if (limit !== null && s.since + limit * 1000 <= now) {
        changes.push(this.apply(s, { to: 'available' }, { kind: 'system', cause: 'wrap_up_limit' }));
      }
    }
    return changes;
  }

  private deadlineOf(s: AgentStatus): number | null {
    const grace = s.disconnectedAt !== null ? s.disconnectedAt + this.graceMs : null;
    const limit = s.state === 'wrap_up' && s.queue !== null ? this.settingsOf(s.queue).wrapUpLimitSec : null;
    const wrap = limit !== null ? s.since + limit * 1000 : null;
    if (grace === null) return wrap;
    if (wrap === null) return grace;
    return Math.min(grace, wrap);
  }

  private transition(agent: string, request: TransitionRequest, actor: AgentActor, at?: number): AgentStateChange {
    const status = this.require(agent);
    const allowed = TRANSITIONS[status.state][request.to];
    if (!allowed) {
      throw new AgentStateError(
        'illegal_transition',
        `Agent ${agent} cannot go from ${status.state} to ${request.to}. ${hintFor(status.state)}`,
      );
    }
    if (!allowed.includes(actor.kind)) {
      throw new AgentStateError(
        'not_allowed',
        `Agent ${agent} cannot be moved from ${status.state} to ${request.to} by the ${actor.kind}: only call control does that. ${hintFor(status.state)}`,
      );
    }
    const reason = request.to === 'not_ready' ? this.reasonFor(agent, 'not_ready', request.reason) : null;
    return this.apply(status, { ...request, reason }, actor, at);
  }

  private reasonFor(agent: string, to: AgentState, reason: string | null | undefined): string {
    const parsed = ReasonCode.safeParse(reason);
    if (!parsed.success) {
      throw new AgentStateError(
        'reason_required',
        `Agent ${agent} needs a reason code to go ${to} (for example ${NOT_READY_REASONS.slice(0, 4).join(', ')}); got ${reason === undefined || reason === null ? 'none' : JSON.stringify(reason)}.`,
      );
    }
    return parsed.data;
  }

  private apply(status: AgentStatus & { sinceSeq: number }, request: TransitionRequest, actor: AgentActor, at?: number): AgentStateChange {
    let to = request.to;
    let reason = request.reason ?? null;
    let forcedBy = actor.kind === 'supervisor' ? actor.supervisor : null;
    let by: AgentStateChange['by'] = actor.kind;
    let cause = actor.kind === 'system' ? actor.cause : actor.kind;
    if (to === 'available' && status.pending) {
      // A force that waited for the call: it replaces the availability the call would have given.
      ({ state: to, reason } = status.pending);
      if (status.pending.forcedBy) {
        forcedBy = status.pending.forcedBy;
        by = 'supervisor';
        cause = 'supervisor';
      } else {
        cause = 'disconnect_grace';
      }
      status.pending = null;
    }
    const carriesCall = to === 'ringing' || to === 'on_call' || to === 'on_hold' || to === 'wrap_up';
    const interactionId = carriesCall ? (request.interactionId ?? status.interactionId) : null;
    const queue = carriesCall ? (request.queue ?? status.queue) : null;
    this.seq += 1;
    const change: AgentStateChange = {
      seq: this.seq,
      agent: status.agent,
      from: status.state,
      to,
      reason,
      interactionId,
      queue,
      queues: [...status.queues],
      at: at === undefined ? this.options.now() : Math.min(at, this.options.now()),
      by,
      forcedBy,
      cause,
    };
    status.state = to;
    status.reason = reason;
    status.interactionId = interactionId;
    status.queue = queue;
    status.since = change.at;
    status.sinceSeq = change.seq;
    if (to === 'offline') status.disconnectedAt = null;
    for (const listener of this.listeners) listener(change);
    return change;
  }

  private require(agent: string): AgentStatus & { sinceSeq: number } {
    const status = this.agents.get(agent);
    if (!status) throw new AgentStateError('unknown_agent', `No agent ${agent} is registered with the state machine; sign the agent in first.`);
    return status;
  }

  private view(s: AgentStatus & { sinceSeq: number }): AgentStatus {
    const { sinceSeq: _sinceSeq, ...rest } = s;
    return { ...rest, queues: [...s.queues], pending: s.pending ? { ...s.pending } : null };
  }
}

function hintFor(state: AgentState): string {
  switch (state) {
    case 'offline':
      return 'Sign in as available or not ready first.';
    case 'ringing':
      return 'Answer the call, or let it ring out.';
    case 'on_call':
    case 'on_hold':
      return 'Finish the call first.';
    case 'wrap_up':
      return 'Finish wrap-up first (available or not ready).';
    default:
      return 'Choose available, not ready (with a reason) or offline.';
  }
}
