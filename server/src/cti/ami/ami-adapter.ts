// Turns Asterisk queue events into the center's CTI events (events.ts) and the center's commands
// (pause an agent, redirect or hang up a call) into AMI actions. Channel noise is ignored.
import { toE164 } from '../../../../shared/domain/index';
import { CtiEvent } from '../../floor/model/cti-events';
import { keyedUuid } from '../name-uuid';
import type { AmiActionResult } from './ami-client';
import { amiField, type AmiMessage } from './ami-parser';

export interface AmiAdapterConfig {
  /** Queue member interface → agent username, e.g. `{ 'Local/agent1@agents/n': 'agent1' }`. */
  agentsByInterface: Record<string, string>;
  /** Reported as DNIS when the queue entry does not carry a dialled number (Exten `s`). */
  dnis: string;
  /** Names this Asterisk server inside interaction ids, so two PBXs never mint the same id. */
  systemName: string;
  /** The tenant's secret for interaction ids (call-ids.ts), so no other tenant can predict them. */
  callIdKey: string;
  /** How a caller number without a country prefix is read. Default KR. */
  defaultCountry?: 'KR' | 'US';
  now?: () => Date;
}

/** What the adapter needs from the AMI client: events in, actions out. */
export interface AmiLink {
  on(event: 'event', listener: (message: AmiMessage) => void): unknown;
  off(event: 'event', listener: (message: AmiMessage) => void): unknown;
  send(action: string, fields?: Record<string, string>): Promise<AmiActionResult>;
}

export interface AmiAdapterStats {
  /** Queue events about a member interface that is in no agent mapping. */
  unmappedMembers: number;
  /** Events that could not be turned into a valid CTI event (missing or oversized fields). */
  malformed: number;
  /** Errors thrown by the consumer of our events; counted so one bad consumer cannot stop the feed. */
  consumerErrors: number;
}

interface LiveCall {
  interactionId: string;
  uniqueid: string;
  linkedid: string;
  channel: string;
  ani: string;
  dnis: string;
  queue: string;
  agent: string | null;
  answered: boolean;
  ended: boolean;
  abandoned: boolean;
}

/** Calls are forgotten on hangup; this cap keeps memory bounded if a hangup is ever missed. */
const MAX_LIVE_CALLS = 10_000;
/** A stable interaction id for an Asterisk call: the server's name and the call's Linkedid, keyed by the tenant's secret. */
export function interactionIdFor(callIdKey: string, systemName: string, linkedid: string): string {
  return keyedUuid(callIdKey, `asterisk:${systemName}:${linkedid}`);
}

/** Stateful mapping of AMI events to CTI events; one per AMI connection's event stream. */
export class AmiEventMapper {
  readonly stats: AmiAdapterStats = { unmappedMembers: 0, malformed: 0, consumerErrors: 0 };
  private readonly byUniqueid = new Map<string, LiveCall>();
  private readonly byLinkedid = new Map<string, LiveCall>();
  private readonly byInteraction = new Map<string, LiveCall>();
  private readonly now: () => Date;

  constructor(private readonly config: AmiAdapterConfig) {
    this.now = config.now ?? (() => new Date());
  }

  /** The live call an interaction id belongs to, for commands that name its channel. */
  liveCall(interactionId: string): LiveCall | undefined {
    return this.byInteraction.get(interactionId);
  }

  map(message: AmiMessage): CtiEvent[] {
    const name = amiField(message, 'Event');
    const at = this.now().toISOString();
    const candidates: unknown[] = [];
    switch (name) {
      case 'QueueCallerJoin': {
        const call = this.track(message);
        if (call) candidates.push({ type: 'call_offered', ...this.base(call, at) });
        break;
      }
      case 'AgentCalled': {
        const call = this.track(message);
        const agent = this.agentOf(message);
        if (call && agent) candidates.push({ type: 'call_ringing', ...this.base(call, at), agent });
        break;
      }
      case 'AgentConnect': {
        const call = this.track(message);
        if (!call) break;
        call.answered = true;
        call.agent = this.agentOf(message);
        candidates.push({ type: 'call_answered', ...this.base(call, at), agent: call.agent, holdTimeSec: seconds(message, 'HoldTime') ?? 0 });
        break;
      }
      case 'AgentComplete': {
        const call = this.track(message);
        if (!call || call.ended) break;
        call.ended = true;
        const agent = this.agentOf(message) ?? call.agent;
        const reason = amiField(message, 'Reason');
        const endedBy = reason === 'agent' || reason === 'caller' || reason === 'transfer' ? reason : 'unknown';
        candidates.push({ type: 'call_ended', ...this.base(call, at), agent, talkTimeSec: seconds(message, 'TalkTime'), endedBy });
        break;
      }
      case 'QueueCallerAbandon': {
        const call = this.track(message);
        if (!call || call.abandoned) break;
        call.abandoned = true;
        candidates.push({
          type: 'call_abandoned',
          ...this.base(call, at),
          holdTimeSec: seconds(message, 'HoldTime') ?? 0,
          position: positive(message, 'Position'),
          originalPosition: positive(message, 'OriginalPosition'),
        });
        break;
      }
      case 'QueueCallerLeave':
        // Leaving the queue is either being answered or abandoning; both have their own event.
        break;
      case 'Hold':
      case 'Unhold': {
        const call = this.callOf(message);
        if (call && call.answered && !call.ended) {
          candidates.push({ type: name === 'Hold' ? 'call_held' : 'call_resumed', ...this.base(call, at), agent: call.agent });
        }
        break;
      }
      case 'BlindTransfer':
      case 'AttendedTransfer': {
        const linkedid = amiField(message, 'TransfereeLinkedid') ?? amiField(message, 'OrigTransfererLinkedid') ?? amiField(message, 'TransfererLinkedid');
        const call = linkedid ? this.byLinkedid.get(linkedid) : undefined;
        const target = name === 'BlindTransfer'
          ? [amiField(message, 'Extension'), amiField(message, 'TransfereeContext') ?? amiField(message, 'Context')].filter(Boolean).join('@')
          : amiField(message, 'SecondTransfererConnectedLineNum') ?? amiField(message, 'TransferTargetChannel') ?? 'attended';
        if (call && !call.ended) candidates.push({ type: 'call_transferred', ...this.base(call, at), agent: call.agent, target: target || 'unknown' });
        break;
      }
      case 'Hangup': {
        const uniqueid = amiField(message, 'Uniqueid');
        const call = uniqueid ? this.byUniqueid.get(uniqueid) : undefined;
        if (!call) break;
        // The caller's leg is gone. A connected call without AgentComplete still has to end.
        if (call.answered && !call.ended) {
          candidates.push({ type: 'call_ended', ...this.base(call, at), agent: call.agent, talkTimeSec: null, endedBy: 'unknown' });
        }
        this.forget(call);
        break;
      }
      case 'QueueMemberPause':
      case 'QueueMemberPaused': {
        const agent = this.agentOf(message);
        if (!agent) break;
        candidates.push({
          type: 'agent_paused',
          agent,
          queue: amiField(message, 'Queue') ?? null,
          paused: amiField(message, 'Paused') === '1' || amiField(message, 'Paused')?.toLowerCase() === 'true',
          reason: amiField(message, 'PausedReason') ?? amiField(message, 'Reason') ?? null,
          at,
        });
        break;
      }
      default:
        // VarSet, Newexten, DeviceStateChange, Newchannel, Bridge*, Dial*, … are channel noise for us.
        break;
    }
    const events: CtiEvent[] = [];
    for (const candidate of candidates) {
      const parsed = CtiEvent.safeParse(candidate);
      if (parsed.success) events.push(parsed.data);
      else this.stats.malformed += 1;
    }
    return events;
  }

  private base(call: LiveCall, at: string) {
    return { interactionId: call.interactionId, ani: call.ani, dnis: call.dnis, queue: call.queue, at };
  }

  /** The queue caller's call, created on first sight so an adapter started mid-call still follows it. */
  private track(message: AmiMessage): LiveCall | undefined {
    const uniqueid = amiField(message, 'Uniqueid');
    if (!uniqueid) {
      this.stats.malformed += 1;
      return undefined;
    }
    const known = this.byUniqueid.get(uniqueid);
    if (known) return known;
    const linkedid = amiField(message, 'Linkedid') ?? uniqueid;
    const rawAni = amiField(message, 'CallerIDNum') ?? 'unknown';
    const exten = amiField(message, 'Exten');
    const country = this.config.defaultCountry ?? 'KR';
    const call: LiveCall = {
      interactionId: interactionIdFor(this.config.callIdKey, this.config.systemName, linkedid),
      uniqueid,
      linkedid,
      channel: amiField(message, 'Channel') ?? '',
      ani: toE164(rawAni, country) ?? rawAni.slice(0, 64),
      dnis: (exten && /^\+?\d{3,}$/.test(exten) ? toE164(exten, country) : null) ?? this.config.dnis,
      queue: amiField(message, 'Queue') ?? 'unknown',
      agent: null,
      answered: false,
      ended: false,
      abandoned: false,
    };
    this.byUniqueid.set(uniqueid, call);
    this.byLinkedid.set(linkedid, call);
    this.byInteraction.set(call.interactionId, call);
    if (this.byUniqueid.size > MAX_LIVE_CALLS) {
      const oldest = this.byUniqueid.values().next().value;
      if (oldest) this.forget(oldest);
    }
    return call;
  }

  private callOf(message: AmiMessage): LiveCall | undefined {
    const uniqueid = amiField(message, 'Uniqueid');
    const linkedid = amiField(message, 'Linkedid');
    return (uniqueid ? this.byUniqueid.get(uniqueid) : undefined) ?? (linkedid ? this.byLinkedid.get(linkedid) : undefined);
  }

  private forget(call: LiveCall): void {
    this.byUniqueid.delete(call.uniqueid);
    if (this.byLinkedid.get(call.linkedid) === call) this.byLinkedid.delete(call.linkedid);
    if (this.byInteraction.get(call.interactionId) === call) this.byInteraction.delete(call.interactionId);
  }

  private agentOf(message: AmiMessage): string | null {
    const member = amiField(message, 'Interface') ?? amiField(message, 'Location');
    if (!member) return null;
    const agent = this.config.agentsByInterface[member];
    if (agent === undefined) {
      this.stats.unmappedMembers += 1;
      return null;
    }
    return agent;
  }
}

function seconds(message: AmiMessage, key: string): number | null {
  const raw = amiField(message, key);
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}

function positive(message: AmiMessage, key: string): number | null {
  const n = seconds(message, key);
  return n !== null && n > 0 ? n : null;
}

export interface AmiAdapter {
  readonly stats: AmiAdapterStats;
  /** Pauses (not ready, with a reason) or unpauses an agent in one queue, or in all when queue is null. */
  pauseAgent(agent: string, queue: string | null, paused: boolean, reason?: string): Promise<void>;
  /** Sends the caller of a live call to another place in the dialplan (a blind transfer). */
  redirect(interactionId: string, to: { context: string; exten: string; priority?: number }): Promise<void>;
  hangup(interactionId: string): Promise<void>;
  /**
   * Places a call from the agent's phone to `number` (a follow-up): Asterisk rings the agent's queue
   * member interface first, then dials the number in `context`. Needs the AMI user's `originate` write permission.
   */
  originate(agent: string, number: string, call: { context: string; interactionId: string; callerId: string }): Promise<void>;
  /** Stops listening to the link; the link itself is the caller's to stop. */
  close(): void;
}

/** Listens to an AMI link and calls `onEvent` with each CTI event, in the order Asterisk sent them. */
export function createAmiAdapter(link: AmiLink, config: AmiAdapterConfig, onEvent: (event: CtiEvent) => void): AmiAdapter {
  const mapper = new AmiEventMapper(config);
  const interfaceOf = new Map<string, string>();
  for (const [member, agent] of Object.entries(config.agentsByInterface)) if (!interfaceOf.has(agent)) interfaceOf.set(agent, member);

  const listener = (message: AmiMessage): void => {
    for (const event of mapper.map(message)) {
      try {
        onEvent(event);
      } catch {
        mapper.stats.consumerErrors += 1;
      }
    }
  };
  link.on('event', listener);

  const channelOf = (interactionId: string): string => {
    const call = mapper.liveCall(interactionId);
    if (!call || !call.channel) throw new Error(`No live Asterisk call has interaction id ${interactionId}; it may have ended already.`);
    return call.channel;
  };

  return {
    stats: mapper.stats,
    async pauseAgent(agent, queue, paused, reason) {
      const member = interfaceOf.get(agent);
      if (!member) throw new Error(`Agent ${agent} has no Asterisk queue member interface in the AMI agent mapping; add one to the center configuration.`);
      const fields: Record<string, string> = { Interface: member, Paused: paused ? 'true' : 'false' };
      if (queue) fields['Queue'] = queue;
      if (paused && reason) fields['Reason'] = reason;
      await link.send('QueuePause', fields);
    },
    async redirect(interactionId, to) {
      await link.send('Redirect', { Channel: channelOf(interactionId), Context: to.context, Exten: to.exten, Priority: String(to.priority ?? 1) });
    },
    async hangup(interactionId) {
      await link.send('Hangup', { Channel: channelOf(interactionId) });
    },
    async originate(agent, number, call) {
      const member = interfaceOf.get(agent);
      if (!member) throw new Error(`Agent ${agent} has no Asterisk queue member interface in the AMI agent mapping; add one to the center configuration.`);
      if (!/^\+?[0-9*#]{2,32}$/.test(number)) throw new Error('The number to call is not one Asterisk can dial (digits, *, #).');
      await link.send('Originate', {
        Channel: member,
        Context: call.context,
        Exten: number,
        Priority: '1',
        CallerID: call.callerId,
        Async: 'true',
        Variable: `EARSHOT_INTERACTION=${call.interactionId}`,
      });
    },
    close() {
      link.off('event', listener);
    },
  };
}
