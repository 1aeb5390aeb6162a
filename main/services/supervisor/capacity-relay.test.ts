// The capacity relay over a real socket.io connection on loopback: a supervisor's desktop reads the
// capacities on connect (an agent's asks nothing), pushes become the desktop event, the last known
// set is kept offline, and a refusal reads as the supervisor needs it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS, type QueueCapacitiesSet } from '../../../shared/protocol/index';
import { createCenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createCapacityRelay } from './capacity-relay';

const defaults = { chat: { capacity: 3, interruptible: false, custom: false }, email: { capacity: 2, interruptible: true, custom: false } };
const set = (chat: number): QueueCapacitiesSet => ({ defaults, queues: { sales: { ...defaults, chat: { capacity: chat, interruptible: false, custom: chat !== 3 } } } });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setUp(supervising: boolean) {
  const http = createServer();
  const io = new Server(http);
  const asked: string[] = [];
  io.on('connection', (s) => {
    s.on(EVENTS.getQueueCapacities, (_req: unknown, ack: (a: unknown) => void) => {
      asked.push('get');
      ack({ ok: true, value: set(3) });
    });
    s.on(EVENTS.setQueueCapacity, (req: { capacity: number }, ack: (a: unknown) => void) =>
      ack(req.capacity === 7 ? { ok: true, value: set(7) } : { ok: false, error: { code: 'forbidden', message: 'no' } }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const hub = createEventHub();
  const heard: QueueCapacitiesSet[] = [];
  hub.on('queueCapacities', (payload) => heard.push(payload));
  let relay: ReturnType<typeof createCapacityRelay> | null = null;
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const link = createCenterLink({ centerUrl: url, requestTimeoutMs: 2000, listeners: { connected: () => (relay?.connected(), onConnected()), disconnected() {}, connectFailed() {} } });
  relay = createCapacityRelay({ link, emit: hub.emit, supervising: () => supervising });
  link.connect({ token: 't', clientId: 'c' });
  await connected;
  cleanups.push(() => link.disconnect(), () => new Promise<void>((r) => io.close(() => r())));
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  };
  return { relay, heard, asked, io, link, until };
}

describe('capacity relay', () => {
  it("reads on a supervisor's connect, relays pushes and saves, keeps the last set offline, words a refusal", async () => {
    const { relay, heard, io, link, until } = await setUp(true);
    await until(() => heard.length >= 1);
    expect(heard).toEqual([set(3)]);
    io.emit(EVENTS.queueCapacities, set(5));
    await until(() => heard.length >= 2);
    expect(heard[1]).toEqual(set(5));
    expect(await relay.set({ queue: 'sales', channel: 'chat', capacity: 7 })).toEqual(set(7));
    expect(heard.at(-1)).toEqual(set(7));
    await expect(relay.set({ queue: 'sales', channel: 'chat', capacity: 8 })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Only supervisors/) });
    link.disconnect();
    expect(await relay.get()).toEqual(set(7));
    await expect(relay.set({ queue: 'sales', channel: 'chat', capacity: 7 })).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/offline/) });
  });

  it("asks nothing on an agent's connect", async () => {
    const { relay, heard, asked } = await setUp(false);
    // Asked now, on the same socket: a request made on connect would have been answered before this one.
    expect(await relay.get()).toEqual(set(3));
    expect(asked).toEqual(['get']);
    expect(heard).toEqual([]);
  });
});
