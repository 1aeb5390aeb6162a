// The socket.io transport: the authenticated handshake, the rooms a desktop joins, and the event
// table's dispatch (session re-checked, role checked, payload zod-parsed, answered by ack). What the
// events do belongs to the rooms that offer them; this module only moves messages.
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { HandshakeAuth, MIN_SCHEMA_VERSION, type Ack, type WireError } from '../../../shared/protocol';
import type { SessionChange, SessionCheck } from '../auth/session-check';
import { hashToken, type Principal } from '../auth/sessions';
import { CenterError } from '../base/errors';
import { errSummary } from '../base/log';
import { createConnectedDesktops } from './connected-desktops';
import { mayUse, SUPERVISING, type EventTable } from './event-table';
import { agentRoom, sessionRoom, supervisorsRoom, tenantRoom } from './rooms';

/** socket.io refuses (and drops the connection on) any message larger than this. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/** What the rest of the center does when desktops come and go (the floor: floor/wire/desktops.ts). */
export interface DesktopHooks {
  /**
   * A desktop connected and joined its rooms; `send` reaches that one socket. The socket's events
   * wait for the returned promise (an agent's first agent:setState needs the floor to know them).
   */
  connected(who: Principal, send: (event: string, payload: unknown) => void): Promise<unknown>;
  /** The user's last desktop on this node went away. */
  lastDisconnected(who: Principal): void;
}

export interface SocketsOptions {
  log: Logger;
  sessions: SessionCheck;
  /** Refuses a sync client id bound to another user (sync/clients.ts); null when it may connect. */
  checkClient(clientId: string, who: Principal): Promise<WireError | null>;
  events: EventTable;
  desktops: DesktopHooks;
}

export interface CenterSockets {
  /** Drops every socket signed in with this session (after sign-out or revocation). */
  dropSession(tokenHash: string): void;
  /** Hangs every desktop up and closes the HTTP server (the session check is its owner's to close). */
  close(): Promise<void>;
}

interface SocketData {
  principal: Principal;
  clientId?: string;
}

const errorOf = (code: WireError['code'], message: string): Ack<never> => ({ ok: false, error: { code, message } });

/** The socket.io server on the center's HTTP server; it serves no desktop until `serveDesktops`. */
export function createSocketServer(httpServer: HttpServer): Server {
  return new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    // Desktops are not browsers on our origin; the bearer token, not cookies, authenticates them.
    cors: { origin: true },
  });
}

export function serveDesktops(io: Server, opts: SocketsOptions): CenterSockets {
  const { log, sessions, events, desktops } = opts;
  const connectedHere = createConnectedDesktops();

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
      const refused = clientId ? await opts.checkClient(clientId, principal) : null;
      if (refused) return refuse(refused.code, refused.message);
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
    const room = 'tokenHash' in change ? sessionRoom(change.tokenHash) : agentRoom(change.userId);
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
        if (!who || who.role !== had.role || who.takesCalls !== had.takesCalls || who.userId !== had.userId || who.tenantId !== had.tenantId) socket.disconnect(true);
      }
    }
  };
  sessions.onChange((change) => {
    recheck(change).catch((err: unknown) => log.warn({ err: errSummary(err) }, 'could not re-check sockets after a session change: their next event checks again'));
  });

  io.on('connection', (socket: Socket) => {
    const { principal } = socket.data as SocketData;
    void socket.join([
      agentRoom(principal.userId),
      tenantRoom(principal.tenantId),
      sessionRoom(principal.tokenHash),
      ...(SUPERVISING.includes(principal.role) ? [supervisorsRoom(principal.tenantId)] : []),
    ]);
    connectedHere.connected(principal.userId, socket.id);
    const ready = desktops.connected(principal, (event, payload) => socket.emit(event, payload)).catch(() => undefined);
    socket.on('disconnect', () => {
      if (connectedHere.disconnected(principal.userId, socket.id)) desktops.lastDisconnected(principal);
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
          if (!mayUse(ev.roles, who)) return reply(errorOf('forbidden', `Your role (${who.role}) may not use ${name}.`));
          await ready;
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
    dropSession(tokenHash) {
      sessions.forget(tokenHash);
      io.in(sessionRoom(tokenHash)).disconnectSockets(true);
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        void io.close(() => resolve());
      });
    },
  };
}
