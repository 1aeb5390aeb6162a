// The socket.io server: authenticated handshake, rooms per agent and tenant, and the desktop events
// (sync:push, sync:pull, customer:lookup, agent:setState, agent:force, queue:trends, call:control), each zod-parsed and
// role-checked, answered by ack.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Role } from '../../../shared/domain';
import {
  CallControlRequest,
  EVENTS,
  ForceAgentStateRequest,
  HandshakeAuth,
  QueueTrendsRequest,
  SetAgentStateRequest,
  LookupRequest,
  MIN_SCHEMA_VERSION,
  PullRequest,
  PushRequest,
  type Ack,
  type AgentStateUpdate,
  type CallOffered,
  type WireError,
} from '../../../shared/protocol';
import { createSessionCheck, type SessionChange } from '../auth/session-check';
import { hashToken, type Principal } from '../auth/sessions';
import type { Db } from '../db/db';
import { lookupCustomer } from '../lookup/screen-pop';
import { CenterError } from '../sync/errors';
import { pokeAudience, type Poker } from '../sync/poke';
import { pullChanges } from '../sync/pull';
import { pushMutations } from '../sync/push';
import { createCallControl, type CallControl } from '../calls/call-control';
import { createFloor, type Floor, type FloorPerson } from '../floor/floor';
import { createFloorRelay } from '../floor/relay';
import { CtiEvent } from '../cti/events';
import { createPresence, type Presence } from './presence';
import { createCustomerNames } from '../supervisor/customer-names';
import { createSupervisorEvents } from '../supervisor/events';

/** socket.io refuses (and drops the connection on) any message larger than this. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

const ANY_ROLE: readonly Role[] = ['agent', 'supervisor', 'admin'];
const SUPERVISING: readonly Role[] = ['supervisor', 'admin'];
/** The room of a tenant's supervisors and admins: agent state changes and queue metrics go there. */
export const supervisorsRoom = (tenantId: string) => `supervisors:${tenantId}`;

interface EventSpec<S extends z.ZodTypeAny> {
  roles: readonly Role[];
  schema: S;
  handle(who: Principal, req: z.infer<S>): Promise<unknown>;
}
const spec = <S extends z.ZodTypeAny>(s: EventSpec<S>): EventSpec<z.ZodTypeAny> => s as EventSpec<z.ZodTypeAny>;

interface SocketData {
  principal: Principal;
  clientId?: string;
}

export interface CenterSockets {
  io: Server;
  poker: Poker;
  presence: Presence;
  /** The floor as every handler uses it: on several nodes, commands go to the owner's floor. */
  floor: Floor;
  /** This node's own floor (the one that counts while this node owns CTI). */
  localFloor: Floor;
  callControl: CallControl;
  emitCallOffered(agentUserId: string, offer: CallOffered): void;
  /** Drops every socket signed in with this session (after sign-out or revocation). */
  dropSession(tokenHash: string): void;
  close(): Promise<void>;
}

const errorOf = (code: WireError['code'], message: string): Ack<never> => ({ ok: false, error: { code, message } });

/** Several center nodes: the floor lives on the node that owns CTI; `isOwner` says whether that is this one. */
export interface SocketsCluster {
  isOwner(): boolean;
}

export function createSockets(httpServer: HttpServer, db: Db, log: Logger, cluster?: SocketsCluster): CenterSockets {
  const io = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    // Desktops are not browsers on our origin; the bearer token, not cookies, authenticates them.
    cors: { origin: true },
  });
  const sessions = createSessionCheck(db, log);
  const presence = createPresence();
  const customerNames = createCustomerNames(db, log);
  const localFloor = createFloor(db, log, {
    toAgent: (userId, event, payload) => io.to(`agent:${userId}`).emit(event, payload),
    toSupervisors: customerNames.outlet((tenantId, event, payload) => io.to(supervisorsRoom(tenantId)).emit(event, payload)),
  });
  const localCallControl = createCallControl(localFloor);
  const { floor, callControl, closeRelay } = cluster ? relayToOwner(io, localFloor, localCallControl, cluster, log) : { floor: localFloor, callControl: localCallControl, closeRelay: () => undefined };

  const poker: Poker = {
    pokeUsers(userIds, version) {
      if (userIds.length > 0) io.to(userIds.map((id) => `agent:${id}`)).emit(EVENTS.poke, { version });
    },
    pokeTenant(tenantId, version) {
      io.to(`tenant:${tenantId}`).emit(EVENTS.poke, { version });
    },
  };
  const poke = (tenantId: string, r: { changes: Parameters<typeof pokeAudience>[3]; version: string }) =>
    pokeAudience(db, poker, tenantId, r.changes, r.version).catch((err: unknown) => log.warn({ err: errSummary(err) }, 'poke failed'));

  const events: Record<string, EventSpec<z.ZodTypeAny>> = {
    [EVENTS.push]: spec({
      roles: ANY_ROLE,
      schema: PushRequest,
      handle: async (who, req) => {
        const r = await pushMutations(db, who, req);
        void poke(who.tenantId, r);
        return r.value;
      },
    }),
    [EVENTS.setAgentState]: spec({ roles: ['agent'], schema: SetAgentStateRequest, handle: (who, req) => floor.setState(who, req) }),
    [EVENTS.callControl]: spec({ roles: ['agent'], schema: CallControlRequest, handle: (who, req) => callControl.handle(who, req) }),
    [EVENTS.forceAgentState]: spec({ roles: SUPERVISING, schema: ForceAgentStateRequest, handle: (who, req) => floor.force(who, req) }),
    [EVENTS.queueTrends]: spec({ roles: SUPERVISING, schema: QueueTrendsRequest, handle: (who, req) => floor.trends(who, req) }),
    [EVENTS.pull]: spec({ roles: ANY_ROLE, schema: PullRequest, handle: (who, req) => pullChanges(db, who, req) }),
    [EVENTS.lookup]: spec({
      roles: ANY_ROLE,
      schema: LookupRequest,
      handle: async (who, req) => {
        const r = await lookupCustomer(db, who, req, (err) =>
          log.warn({ err: errSummary(err), userId: who.userId }, "working-set grant failed: the customer's later changes reach this user's desktops only once they look it up again"),
        );
        void poke(who.tenantId, r);
        return r.value;
      },
    }),
    // Per-queue thresholds and great service (server/src/supervisor/events.ts).
    ...(createSupervisorEvents(db, log, { toSupervisors: (t, e, p) => io.to(supervisorsRoom(t)).emit(e, p), toTenant: (t, e, p) => io.to(`tenant:${t}`).emit(e, p) }) as Record<string, EventSpec<z.ZodTypeAny>>),
  };

  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    const refuse = (code: WireError['code'], message: string) => next(Object.assign(new Error(message), { data: { code, message } }));
    if (!auth.success) return refuse('unauthenticated', 'Connecting needs auth { token, schemaVersion }: sign in with POST /api/login first.');
    if (auth.data.schemaVersion < MIN_SCHEMA_VERSION) {
      return refuse('update_required', `This desktop speaks sync schema ${auth.data.schemaVersion}; the center needs ${MIN_SCHEMA_VERSION} or newer. Update Earshot desktop.`);
    }
    const { token, clientId } = auth.data;
    const admit = async (): Promise<void> => {
      const principal = await sessions.check(hashToken(token));
      if (!principal) return refuse('unauthenticated', 'The session token is not valid, has expired or was revoked. Sign in again.');
      if (clientId) {
        const bound = await db.query<{ user_id: string }>('SELECT user_id FROM sync_clients WHERE client_id = $1', [clientId]);
        if (bound[0] && bound[0].user_id !== principal.userId) {
          return refuse('forbidden', 'This sync client id belongs to another user. Each person signs in with a desktop profile of their own.');
        }
      }
      (socket.data as SocketData) = { principal, clientId };
      next();
    };
    admit().catch((err: unknown) => {
      log.error({ err: errSummary(err) }, 'handshake failed');
      refuse('internal', 'The center could not check the session; try again shortly.');
    });
  });

  // A session ended or a user changed, announced by any node, the CLI or plain SQL: hang up at once
  // this node's sockets it concerns whose session no longer holds or whose role changed (they joined
  // the rooms of their old role), instead of waiting for their next event. The desktop reconnects and
  // is told why, or carries on under its new role.
  const recheck = async (change: SessionChange) => {
    const nsp = io.of('/');
    const room = 'tokenHash' in change ? `session:${change.tokenHash}` : `agent:${change.userId}`;
    const byToken = new Map<string, Socket[]>();
    for (const id of nsp.adapter.rooms.get(room) ?? []) {
      const socket = nsp.sockets.get(id);
      const principal = (socket?.data as SocketData | undefined)?.principal;
      if (!socket || !principal) continue;
      const list = byToken.get(principal.tokenHash);
      if (list) list.push(socket);
      else byToken.set(principal.tokenHash, [socket]);
    }
    for (const [tokenHash, sockets] of byToken) {
      const who = await sessions.check(tokenHash);
      for (const socket of sockets) {
        const had = (socket.data as SocketData).principal;
        if (!who || who.role !== had.role || who.userId !== had.userId || who.tenantId !== had.tenantId) socket.disconnect(true);
      }
    }
  };
  sessions.onChange((change) => {
    recheck(change).catch((err: unknown) => log.warn({ err: errSummary(err) }, 'could not re-check sockets after a session change: their next event checks again'));
  });

  io.on('connection', (socket: Socket) => {
    const { principal } = socket.data as SocketData;
    const supervising = SUPERVISING.includes(principal.role);
    void socket.join([
      `agent:${principal.userId}`,
      `tenant:${principal.tenantId}`,
      `session:${principal.tokenHash}`,
      ...(supervising ? [supervisorsRoom(principal.tenantId)] : []),
    ]);
    presence.connected(principal, socket.id);
    const floorFailed = (err: unknown) => log.warn({ err: errSummary(err), userId: principal.userId }, 'agent floor update failed');
    // An agent's events wait for the floor to know them: a desktop may send agent:setState the moment
    // it is connected.
    let registered: Promise<unknown> = Promise.resolve();
    if (supervising) {
      // The whole picture once; then the once-a-second diffs of the room.
      floor.agentsOf(principal.tenantId).then((agents) => customerNames.withNames(principal.tenantId, agents)).then((agents) => agents.forEach((a) => socket.emit(EVENTS.agentState, a)), floorFailed);
      floor.fullPush(principal.tenantId).then((full) => socket.emit(EVENTS.queueMetrics, full), floorFailed);
    } else {
      const connected = floor.connected(principal);
      registered = connected.catch(() => undefined);
      connected
        .then(async (state) => {
          if (!state) return;
          socket.emit(EVENTS.agentState, state);
          // A desktop that (re)connects while its agent is ringing or on a call gets that call again.
          const offer = await offerInProgress(db, principal, state);
          if (offer) socket.emit(EVENTS.callOffered, offer);
        })
        .catch(floorFailed);
    }
    socket.on('disconnect', () => {
      presence.disconnected(principal.userId, socket.id);
      // Only the last window of the agent starts the grace period.
      if (!presence.isConnected(principal.userId)) floor.disconnected(principal).catch(floorFailed);
    });
    log.debug({ userId: principal.userId, tenant: principal.tenantId }, 'desktop connected');

    for (const [name, ev] of Object.entries(events)) {
      socket.on(name, async (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return; // every event is answered by ack; nothing to answer to
        const reply = ack as (a: Ack<unknown>) => void;
        try {
          // Re-check the session on every event: it may have expired or been revoked meanwhile
          // (answered from memory while this node hears every session change: auth/session-check.ts).
          const who = await sessions.check(principal.tokenHash);
          if (!who) {
            reply(errorOf('unauthenticated', 'Your session has expired or was revoked. Sign in again.'));
            socket.disconnect(true);
            return;
          }
          if (!ev.roles.includes(who.role)) return reply(errorOf('forbidden', `Your role (${who.role}) may not use ${name}.`));
          await registered;
          const parsed = ev.schema.safeParse(payload);
          if (!parsed.success) {
            return reply(errorOf('bad_request', `${name}: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ').slice(0, 500)}`));
          }
          reply({ ok: true, value: await ev.handle(who, parsed.data) });
        } catch (err) {
          if (err instanceof CenterError) return reply(errorOf(err.code, err.message));
          log.error({ err: errSummary(err), event: name, userId: principal.userId }, 'event failed');
          reply(errorOf('internal', `The center failed to handle ${name}; it is safe to retry.`));
        }
      });
    }
    socket.onAny((name: string, ...args: unknown[]) => {
      if (Object.hasOwn(events, name)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        (ack as (a: Ack<never>) => void)(errorOf('bad_request', `Unknown event "${String(name).slice(0, 64)}"; this center knows ${Object.keys(events).join(', ')}.`));
      }
    });
  });

  return {
    io,
    poker,
    presence,
    floor,
    localFloor,
    callControl,
    emitCallOffered(agentUserId, offer) {
      io.to(`agent:${agentUserId}`).emit(EVENTS.callOffered, offer);
    },
    dropSession(tokenHash) {
      sessions.forget(tokenHash);
      io.in(`session:${tokenHash}`).disconnectSockets(true);
    },
    close: async () => {
      closeRelay();
      await sessions.close();
      await new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        void io.close(() => resolve());
      });
    },
  };
}

/** Only what the floor needs of a principal crosses to the owner (no session token hash). */
const CALL_STATES: ReadonlySet<string> = new Set(['ringing', 'on_call', 'on_hold']);

/** The `cti:callOffered` of the call the agent is on (ringing, talking or holding), if any. */
async function offerInProgress(db: Db, who: FloorPerson, state: AgentStateUpdate): Promise<CallOffered | null> {
  if (!state.interactionId || !CALL_STATES.has(state.state)) return null;
  const [row] = await db.query<{ ani: string | null; dnis: string | null; queue: string | null; started_at: Date | string }>(
    `SELECT ani, dnis, queue, started_at FROM interactions WHERE tenant_id = $1 AND id = $2 AND channel = 'call'`,
    [who.tenantId, state.interactionId],
  );
  if (!row) return null;
  return {
    interactionId: state.interactionId,
    ani: row.ani ?? '',
    dnis: row.dnis ?? '',
    queue: row.queue ?? state.queue ?? '',
    agent: who.username,
    offeredAt: new Date(row.started_at).toISOString(),
  };
}

const person = (p: FloorPerson): FloorPerson => ({ userId: p.userId, tenantId: p.tenantId, username: p.username, role: p.role });

/** The floor and call control of the owner node, reached from any node (floor/relay.ts). */
function relayToOwner(io: Server, local: Floor, localControl: CallControl, cluster: SocketsCluster, log: Logger) {
  const relay = createFloorRelay(
    io,
    {
      connected: (who: FloorPerson) => local.connected(who),
      disconnected: async (who: FloorPerson) => {
        // The desktop may already be back on another node (a reconnect can overtake the old node's
        // disconnect): the grace period starts only when no node has a socket of this user.
        if ((await io.in(`agent:${who.userId}`).fetchSockets()).length > 0) return;
        await local.disconnected(who);
      },
      setState: (who: FloorPerson, req: SetAgentStateRequest) => local.setState(who, SetAgentStateRequest.parse(req)),
      force: (who: FloorPerson, req: ForceAgentStateRequest) => local.force(who, ForceAgentStateRequest.parse(req)),
      agentsOf: (tenantId: string) => local.agentsOf(tenantId),
      fullPush: (tenantId: string) => local.fullPush(tenantId),
      isAvailable: (tenantId: string, username: string) => local.isAvailable(tenantId, username),
      finishWrapUp: (tenantId: string, username: string, interactionId: string) => local.finishWrapUp(tenantId, username, interactionId),
      ingestCti: (tenantId: string, event: CtiEvent) => local.ingestCti(tenantId, CtiEvent.parse(event)),
      callControl: (who: { tenantId: string; username: string }, req: CallControlRequest) => localControl.handle(who, CallControlRequest.parse(req)),
    },
    { isOwner: cluster.isOwner, log },
  );
  const floor: Floor = {
    ...local,
    connected: (who) => relay.call('connected', [person(who)]),
    disconnected: (who) => relay.call('disconnected', [person(who)]),
    setState: (who, req) => relay.call('setState', [person(who), req]),
    force: (who, req) => relay.call('force', [person(who), req]),
    agentsOf: (tenantId) => relay.call('agentsOf', [tenantId]),
    fullPush: (tenantId) => relay.call('fullPush', [tenantId]),
    isAvailable: (tenantId, username) => relay.call('isAvailable', [tenantId, username]),
    finishWrapUp: (tenantId, username, interactionId) => relay.call('finishWrapUp', [tenantId, username, interactionId]),
    // A switch's event (webhook on any node): agent states and metrics are the owner's.
    ingestCti: (tenantId, event) => relay.call('ingestCti', [tenantId, event]),
    // Deadlines and the metrics push run on the owner only.
    tick: () => (cluster.isOwner() ? local.tick() : Promise.resolve()),
  };
  const callControl: CallControl = {
    ...localControl,
    handle: (who, req) => relay.call('callControl', [{ tenantId: who.tenantId, username: who.username }, req]),
  };
  return { floor, callControl, closeRelay: () => relay.close() };
}

/** What we log about an error: its class, SQLSTATE and message, never row data. */
export function errSummary(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 200) };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, code: typeof code === 'string' ? code : undefined, message: err.message.slice(0, 300), stack: err.stack };
}
