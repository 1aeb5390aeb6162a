// The Asterisk AMI adapter as one of the center's CTI sources: on the node that owns CTI it connects
// to the Asterisk Manager Interface (reconnecting with backoff), feeds each call event to the floor and
// the screen pop, and lets agents hang up or transfer their Asterisk calls from the desktop. Agents'
// not ready and available at the center pause and unpause them in Asterisk's queues (QueuePause).
import type { Logger } from 'pino';
import { CallControlRefused, type ControllableCall } from '../controllable-call';
import type { Db } from '../../db/db';
import type { AgentState, AgentStateChange, AgentStates } from '../../floor/model/agent-state';
import { reasonCodeFrom } from '../../floor/model/cti-agent-states';
import type { CtiEvent } from '../../floor/model/cti-events';
import { createAmiAdapter, type AmiAdapter } from './ami-adapter';
import { AmiActionError, AmiClient } from './ami-client';

export interface AmiSourceOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** The tenant whose calls this Asterisk server carries. */
  tenantId: string;
  /** Queue member interface of each agent; `{username}` is replaced. Default `Local/{username}@agents/n`. */
  interfacePattern?: string;
  /** Names this Asterisk server in interaction ids. Default `host:port`. */
  systemName?: string;
  /** Dialplan context a transfer target (an extension) and a follow-up call's number are dialled in. Default `from-internal`. */
  transferContext?: string;
  /** DNIS when Asterisk gives no dialled number. */
  dnis: string;
}

export interface AmiSourceDeps {
  /** The tenant's secret for interaction ids (call-ids.ts). */
  callIdKey(tenantId: string): Promise<string>;
  /** Agent states, metrics and the screen pop of one event (in order). */
  onEvent(tenantId: string, event: CtiEvent): Promise<void>;
  /** Call control claims the call for its agent. */
  own(tenantId: string, interactionId: string, agent: string, call: ControllableCall): void;
  /** The tenant's agent state machine on this node (the CTI owner's floor): its changes pause agents in Asterisk. */
  agentStates(tenantId: string): Promise<AgentStateFeed>;
  /** Given the source's way of placing a call from an agent's phone (follow-up calls), while it runs. */
  onDialler?(dial: ((agent: string, number: string, interactionId: string) => Promise<void>) | null): void;
  log: Logger;
}

/** What the source needs of the agent state machine: each change, and where every agent is now. */
export type AgentStateFeed = Pick<AgentStates, 'onChange' | 'list' | 'find'>;

export const DEFAULT_AMI_INTERFACE = 'Local/{username}@agents/n';
/** Ended calls kept to answer call control with "over"; older ones are forgotten. */
const MAX_ENDED = 10_000;
/**
 * Causes cti-agent-states.ts gives the moves Asterisk itself made (a QueueMemberPause): sending them
 * back as a QueuePause would only echo Asterisk to itself.
 */
const FROM_ASTERISK: ReadonlySet<string> = new Set(['switch_pause', 'switch_unpause']);

/** The pause Asterisk should hold for an agent in this state; null where it is not the center's to say (calls, wrap-up, offline). */
function pauseFor(state: AgentState, reason: string | null): { paused: boolean; reason: string | null } | null {
  if (state === 'not_ready') return { paused: true, reason };
  if (state === 'available') return { paused: false, reason: null };
  return null;
}

/** The QueuePause a change asks for: not ready pauses (with its reason); back from not ready or offline unpauses. */
function pauseAfter(change: AgentStateChange): { paused: boolean; reason: string | null } | null {
  if (FROM_ASTERISK.has(change.cause)) return null;
  if (change.to === 'not_ready') return pauseFor(change.to, change.reason);
  // After a call Asterisk never paused the member (its own wrap-up time covers that): nothing to undo.
  if (change.to === 'available' && (change.from === 'not_ready' || change.from === 'offline')) return pauseFor(change.to, null);
  return null;
}

/** "host:port" → its parts; throws a message saying what is expected. */
export function parseAmiAddress(raw: string): { host: string; port: number } {
  const m = /^\[?([^\]\s]+?)\]?:(\d{1,5})$/.exec(raw.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port <= 65535)) throw new Error(`AMI address "${raw.slice(0, 100)}" is not host:port, e.g. pbx.internal:5038.`);
  return { host: m[1] as string, port };
}

/** Starts the source; the returned function stops it (logs off and closes the connection). */
export async function startAmiSource(db: Db, opts: AmiSourceOptions, deps: AmiSourceDeps): Promise<() => Promise<void>> {
  const { tenantId, log } = { ...opts, log: deps.log };
  const [tenant] = await db.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  if (!tenant) throw new Error(`AMI tenant "${tenantId}" does not exist; create it (tenant add) or fix --ami-tenant.`);
  const pattern = opts.interfacePattern ?? DEFAULT_AMI_INTERFACE;
  const agents = await db.query<{ username: string }>(`SELECT username FROM users WHERE tenant_id = $1 AND (role = 'agent' OR takes_calls) AND NOT disabled ORDER BY username`, [tenantId]);
  const agentsByInterface = Object.fromEntries(agents.map((a) => [pattern.replaceAll('{username}', a.username), a.username]));
  const mapped = new Set(Object.values(agentsByInterface));
  const states = await deps.agentStates(tenantId);
  const where = `${opts.host}:${opts.port}`;
  const client = new AmiClient({ host: opts.host, port: opts.port, username: opts.username, secret: opts.secret, logger: log });
  const ended = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let adapter: AmiAdapter | null = null;
  let stopped = false;
  const callOf = (interactionId: string): ControllableCall => ({
    get over() {
      return ended.has(interactionId);
    },
    async control(action, target) {
      if (ended.has(interactionId)) throw new CallControlRefused('This call is already over; there is nothing to do on it but finish wrap-up.');
      if (!adapter) throw new CallControlRefused('The center is not connected to Asterisk right now; use your phone.');
      if (action === 'hangup') return adapter.hangup(interactionId).catch(refuse);
      if (action === 'transfer') {
        if (!target || !/^[0-9A-Za-z*#+_-]{1,64}$/.test(target)) throw new CallControlRefused('Transfer to an Asterisk extension (digits, *, #).');
        return adapter.redirect(interactionId, { context: opts.transferContext ?? 'from-internal', exten: target }).catch(refuse);
      }
      throw new CallControlRefused(`Asterisk does not let the center ${action} a call; use your phone for it.`);
    },
  });
  const refuse = (err: unknown): never => {
    throw new CallControlRefused(`Asterisk refused: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}`);
  };
  const callIdKey = await deps.callIdKey(tenantId);
  adapter = createAmiAdapter(client, { agentsByInterface, dnis: opts.dnis, systemName: opts.systemName ?? where, callIdKey }, (event) => {
    if (event.type === 'call_ended' || event.type === 'call_abandoned') {
      ended.add(event.interactionId);
      if (ended.size > MAX_ENDED) ended.delete(ended.values().next().value as string);
    }
    if (event.type === 'call_ringing') deps.own(tenantId, event.interactionId, event.agent, callOf(event.interactionId));
    chain = chain
      .then(() => (confirmsPause(event) ? undefined : deps.onEvent(tenantId, event)))
      .catch((err: unknown) => log.warn({ type: event.type, error: err instanceof Error ? err.name : typeof err }, 'an Asterisk call event was not applied'));
  });
  /**
   * Asterisk answers our QueuePause with a QueueMemberPause per queue. Applied, each would record the
   * agent going not_ready again, by the system, hiding who forced it; a pause that changes nothing is dropped.
   */
  const confirmsPause = (event: CtiEvent): boolean => {
    if (event.type !== 'agent_paused' || !event.paused) return false;
    const status = states.find(event.agent);
    return status?.state === 'not_ready' && status.reason === reasonCodeFrom(event.reason);
  };
  const sendPause = (agent: string, pause: { paused: boolean; reason: string | null }): void => {
    if (!adapter || stopped) return;
    adapter.pauseAgent(agent, null, pause.paused, pause.reason ?? undefined).catch((err: unknown) => {
      if (stopped) return;
      const refused = err instanceof AmiActionError && err.response !== undefined;
      log.warn(
        { ami: where, paused: pause.paused, error: err instanceof Error ? err.name : typeof err, asteriskRefused: refused, connected: client.connected },
        refused
          ? 'Asterisk refused an agent pause (QueuePause): check the queue member interface pattern and that the AMI user may write "agent"'
          : 'an agent pause was not sent to Asterisk; every agent pause is sent again when AMI reconnects',
      );
    });
  };
  // A failed send must not reach the state machine that called us: sendPause only logs.
  const unfollow = states.onChange((change) => {
    if (!mapped.has(change.agent)) return;
    const pause = pauseAfter(change);
    if (pause) sendPause(change.agent, pause);
  });
  /**
   * On every login (the first, and after an outage or an Asterisk restart, which may drop pauses) Asterisk
   * is brought in line with what the desktops show: not ready agents paused, available ones unpaused.
   * Agents on a call, in wrap-up or offline are left as Asterisk has them.
   */
  const resendPauses = (): void => {
    let sent = 0;
    for (const status of states.list()) {
      const pause = mapped.has(status.agent) ? pauseFor(status.state, status.reason) : null;
      if (!pause) continue;
      sendPause(status.agent, pause);
      sent += 1;
    }
    if (sent > 0) log.info({ ami: where, agents: sent }, 'agent pauses sent to Asterisk after login');
  };
  client.on('connected', (version) => log.info({ ami: where, version: version.slice(0, 64), agents: agents.length }, 'Asterisk AMI connected'));
  client.on('connected', resendPauses);
  client.start();
  deps.onDialler?.(async (agent, number, interactionId) => {
    if (!adapter || !client.connected) throw new Error('the center is not connected to Asterisk right now');
    await adapter.originate(agent, number, { context: opts.transferContext ?? 'from-internal', interactionId, callerId: `"Earshot" <${opts.dnis}>` });
  });
  log.info({ ami: where, tenant: tenantId }, 'Asterisk AMI source started');
  return async () => {
    deps.onDialler?.(null);
    stopped = true;
    unfollow();
    client.off('connected', resendPauses);
    adapter?.close();
    adapter = null;
    await client.stop();
    await chain;
  };
}
