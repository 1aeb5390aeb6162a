// The Asterisk AMI adapter as one of the center's CTI sources: on the node that owns CTI it connects
// to the Asterisk Manager Interface (reconnecting with backoff), feeds each call event to the floor and
// the screen pop, and lets agents hang up or transfer their Asterisk calls from the desktop.
import type { Logger } from 'pino';
import { CallControlRefused, type ControllableCall } from '../../calls/call-control';
import type { Db } from '../../db/db';
import type { CtiEvent } from '../events';
import { createAmiAdapter, type AmiAdapter } from './ami-adapter';
import { AmiClient } from './ami-client';

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
  /** Dialplan context a transfer target (an extension) is dialled in. Default `from-internal`. */
  transferContext?: string;
  /** DNIS when Asterisk gives no dialled number. */
  dnis: string;
}

export interface AmiSourceDeps {
  /** Agent states, metrics and the screen pop of one event (in order). */
  onEvent(tenantId: string, event: CtiEvent): Promise<void>;
  /** Call control claims the call for its agent. */
  own(tenantId: string, interactionId: string, agent: string, call: ControllableCall): void;
  log: Logger;
}

export const DEFAULT_AMI_INTERFACE = 'Local/{username}@agents/n';
/** Ended calls kept to answer call control with "over"; older ones are forgotten. */
const MAX_ENDED = 10_000;

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
  const agents = await db.query<{ username: string }>(`SELECT username FROM users WHERE tenant_id = $1 AND role = 'agent' AND NOT disabled ORDER BY username`, [tenantId]);
  const agentsByInterface = Object.fromEntries(agents.map((a) => [pattern.replaceAll('{username}', a.username), a.username]));
  const where = `${opts.host}:${opts.port}`;
  const client = new AmiClient({ host: opts.host, port: opts.port, username: opts.username, secret: opts.secret, logger: log });
  const ended = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let adapter: AmiAdapter | null = null;
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
  adapter = createAmiAdapter(client, { agentsByInterface, dnis: opts.dnis, systemName: opts.systemName ?? where }, (event) => {
    if (event.type === 'call_ended' || event.type === 'call_abandoned') {
      ended.add(event.interactionId);
      if (ended.size > MAX_ENDED) ended.delete(ended.values().next().value as string);
    }
    if (event.type === 'call_ringing') deps.own(tenantId, event.interactionId, event.agent, callOf(event.interactionId));
    chain = chain
      .then(() => deps.onEvent(tenantId, event))
      .catch((err: unknown) => log.warn({ type: event.type, error: err instanceof Error ? err.name : typeof err }, 'an Asterisk call event was not applied'));
  });
  client.on('connected', (version) => log.info({ ami: where, version: version.slice(0, 64), agents: agents.length }, 'Asterisk AMI connected'));
  client.start();
  log.info({ ami: where, tenant: tenantId }, 'Asterisk AMI source started');
  return async () => {
    adapter?.close();
    adapter = null;
    await client.stop();
    await chain;
  };
}
