// Great service and thresholds relays over a real socket.io connection on loopback: pushes become
// desktop events, the list is fetched on connect and kept when offline, refusals read as people need.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesktopApiEvent } from '../../../shared/api/index';
import { DEFAULT_QUEUE_THRESHOLDS, EVENTS, type GreatService } from '../../../shared/protocol/index';
import { createCenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createThresholdsRelay } from '../supervisor/thresholds-relay';
import { createGreatServiceRelay } from './relay';

const mark = (n: number): GreatService => ({
  id: `0190f000-0000-7000-8000-00000000000${n}`, interactionId: `0190f000-0000-7000-8000-0000000000a${n}`, agent: 'agent2', agentName: 'Park Jiwoo',
  queue: 'billing', markedBy: 'Supervisor 1', why: `why ${n}`, markedAt: '2026-11-25T10:00:00.000Z',
});
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setUp() {
  const http = createServer();
  const io = new Server(http);
  const stored: GreatService[] = [mark(1)];
  io.on('connection', (s) => {
    s.on(EVENTS.listGreatService, (_req: unknown, ack: (a: unknown) => void) => ack({ ok: true, value: { items: stored } }));
    s.on(EVENTS.markGreatService, (req: { interactionId: string }, ack: (a: unknown) => void) =>
      ack(req.interactionId === mark(1).interactionId ? { ok: false, error: { code: 'conflict', message: 'already' } } : { ok: true, value: mark(3) }),
    );
    s.on(EVENTS.getQueueThresholds, (_req: unknown, ack: (a: unknown) => void) => ack({ ok: true, value: { defaults: DEFAULT_QUEUE_THRESHOLDS, queues: {} } }));
    s.on(EVENTS.setQueueThresholds, (_req: unknown, ack: (a: unknown) => void) => ack({ ok: false, error: { code: 'forbidden', message: 'no' } }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const hub = createEventHub();
  const heard: Array<{ event: DesktopApiEvent; payload: unknown }> = [];
  for (const event of ['greatService', 'queueThresholds'] as const) hub.on(event, (payload) => heard.push({ event, payload }));
  let relay: ReturnType<typeof createGreatServiceRelay> | null = null;
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const link = createCenterLink({ centerUrl: url, requestTimeoutMs: 2000, listeners: { connected: () => (relay?.connected(), onConnected()), disconnected() {}, connectFailed() {} } });
  relay = createGreatServiceRelay({ link, emit: hub.emit });
  const thresholds = createThresholdsRelay({ link, emit: hub.emit });
  link.connect({ token: 't', clientId: 'c' });
  await connected;
  cleanups.push(() => link.disconnect(), () => new Promise<void>((r) => io.close(() => r())));
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  };
  return { relay, thresholds, heard, io, link, until };
}

describe('great service relay', () => {
  it('fetches on connect, adds pushes newest first, and keeps the list when the center is away', async () => {
    const { relay, heard, io, link, until } = await setUp();
    await until(() => heard.length >= 1);
    expect(heard[0]).toEqual({ event: 'greatService', payload: { items: [mark(1)] } });
    io.emit(EVENTS.greatServiceShared, mark(2));
    await until(() => heard.length >= 2);
    expect(heard[1]!.payload).toEqual({ items: [mark(2), mark(1)] });
    io.emit(EVENTS.greatServiceShared, { not: 'a mark' }); // dropped, not relayed
    link.disconnect();
    expect(await relay.list()).toEqual({ items: [mark(2), mark(1)] });
    await expect(relay.mark({ interactionId: mark(3).interactionId, why: 'x' })).rejects.toMatchObject({ code: 'offline' });
  });

  it('relays a mark, and a refusal in words', async () => {
    const { relay } = await setUp();
    expect(await relay.mark({ interactionId: mark(3).interactionId, why: 'great' })).toEqual(mark(3));
    await expect(relay.mark({ interactionId: mark(1).interactionId, why: 'again' })).rejects.toMatchObject({ code: 'conflict', message: 'This call is already marked as great service.' });
  });
});

describe('thresholds relay', () => {
  it('relays pushes as events, answers get, and says who may set them', async () => {
    const { thresholds, heard, io, until } = await setUp();
    expect(await thresholds.get()).toEqual({ defaults: DEFAULT_QUEUE_THRESHOLDS, queues: {} });
    const pushed = { defaults: DEFAULT_QUEUE_THRESHOLDS, queues: { billing: { thresholds: DEFAULT_QUEUE_THRESHOLDS, custom: true } } };
    io.emit(EVENTS.queueThresholds, pushed);
    await until(() => heard.some((h) => h.event === 'queueThresholds'));
    expect(heard.find((h) => h.event === 'queueThresholds')!.payload).toEqual(pushed);
    await expect(thresholds.set({ queue: 'billing', thresholds: null })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/supervisor/) });
  });
});
