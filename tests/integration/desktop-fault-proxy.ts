// A socket.io proxy between desktops and a real center that misbehaves on purpose: it drops
// requests or their acknowledgements, delivers requests twice, out of order or stale, and cuts
// desktops off.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io as connectTo, type Socket as ClientSocket } from 'socket.io-client';
import { EVENTS } from '../../shared/protocol/index';

export type PushFault = 'pass' | 'duplicate' | 'lost_request' | 'lost_ack' | 'gap_first' | 'replay_old';
export type PullFault = 'pass' | 'duplicate' | 'lost_request' | 'lost_ack';

export interface FaultDecider {
  push(clientId: string): PushFault;
  pull(clientId: string): PullFault;
}

export interface FaultProxy {
  url: string;
  /** Cuts a desktop off (its sockets drop, new ones are refused) or lets it back on. */
  setOffline(clientId: string, offline: boolean): void;
  setDecider(decider: FaultDecider): void;
  stop(): Promise<void>;
}

export const NO_FAULTS: FaultDecider = { push: () => 'pass', pull: () => 'pass' };

interface ProxyData {
  clientId: string;
  up: ClientSocket;
}

export async function startFaultProxy(centerUrl: string): Promise<FaultProxy> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 4 * 1024 * 1024 });
  const offline = new Set<string>();
  const lastPush = new Map<string, unknown>();
  let decider: FaultDecider = NO_FAULTS;

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { clientId?: unknown };
    const clientId = typeof auth.clientId === 'string' ? auth.clientId : 'none';
    if (offline.has(clientId)) return next(new Error('network unreachable (fault proxy)'));
    const up = connectTo(centerUrl, { auth: socket.handshake.auth, transports: ['websocket'], reconnection: false, forceNew: true });
    up.once('connect', () => {
      (socket.data as ProxyData) = { clientId, up };
      next();
    });
    up.once('connect_error', (err: Error & { data?: unknown }) => {
      up.close();
      next(Object.assign(new Error(err.message), { data: err.data }));
    });
  });

  io.on('connection', (socket: Socket) => {
    const { clientId, up } = socket.data as ProxyData;
    up.on('disconnect', () => socket.disconnect(true));
    socket.on('disconnect', () => up.disconnect());
    up.onAny((event: string, ...args: unknown[]) => socket.emit(event, ...args));
    const forward = (event: string, payload: unknown) => up.timeout(10_000).emitWithAck(event, payload) as Promise<unknown>;

    socket.on(EVENTS.push, async (payload: { mutations?: unknown[] }, ack: (a: unknown) => void) => {
      try {
        const fault = decider.push(clientId);
        if (fault === 'lost_request') return void socket.disconnect(true);
        const stale = lastPush.get(clientId);
        lastPush.set(clientId, payload);
        if (fault === 'replay_old' && stale) await forward(EVENTS.push, stale);
        if (fault === 'gap_first' && Array.isArray(payload.mutations) && payload.mutations.length > 1) {
          await forward(EVENTS.push, { ...payload, mutations: payload.mutations.slice(1) });
        }
        let answer = await forward(EVENTS.push, payload);
        if (fault === 'duplicate') answer = await forward(EVENTS.push, payload);
        if (fault === 'lost_ack') return void socket.disconnect(true);
        ack(answer);
      } catch {
        socket.disconnect(true);
      }
    });
    socket.on(EVENTS.pull, async (payload: unknown, ack: (a: unknown) => void) => {
      try {
        const fault = decider.pull(clientId);
        if (fault === 'lost_request') return void socket.disconnect(true);
        let answer = await forward(EVENTS.pull, payload);
        if (fault === 'duplicate') answer = await forward(EVENTS.pull, payload);
        if (fault === 'lost_ack') return void socket.disconnect(true);
        ack(answer);
      } catch {
        socket.disconnect(true);
      }
    });
    socket.on(EVENTS.lookup, async (payload: unknown, ack: (a: unknown) => void) => {
      try {
        ack(await forward(EVENTS.lookup, payload));
      } catch {
        socket.disconnect(true);
      }
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setOffline(clientId, isOffline) {
      if (isOffline) {
        offline.add(clientId);
        for (const s of io.sockets.sockets.values()) if ((s.data as ProxyData).clientId === clientId) s.disconnect(true);
      } else {
        offline.delete(clientId);
      }
    },
    setDecider(d) {
      decider = d;
    },
    stop: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
