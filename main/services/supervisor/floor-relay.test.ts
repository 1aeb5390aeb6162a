// The relay over a real socket.io connection on loopback: full then diffs make the current snapshot,
// a diff with no base is not guessed at, agent pushes merge, and refusals read as the supervisor needs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesktopApiEvent, EventPayload } from '../../../shared/api/index';
import { EVENTS, diff, type QueueMetrics } from '../../../shared/protocol/index';
import { createCenterLink, type CenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createFloorRelay } from './floor-relay';

const AT = '2026-11-25T10:00:00.000Z';
const figures = { from: AT, offered: 2, answered: 1, abandoned: 1, shortAbandoned: 0, abandonedAfterT: 1, answeredWithinT: 1, serviceLevel: 0.5, asaSec: 5, handled: 1, ahtSec: 100, avgTalkSec: 80, avgHoldSec: 0, avgWrapUpSec: 20, abandonRate: 0.5, occupancy: null };
const queue = (waitingNow: number): QueueMetrics => ({
  queue: 'sales', at: AT, timeZone: 'UTC', serviceLevel: { formula: 'abandons_excluded', expression: 'answered_within_T / answered', thresholdSec: 20 },
  shortAbandonSec: 5, windowMin: 30, waitingNow, longestWaitSec: 0, window: figures, today: figures, buckets: {}, agentsByState: {},
  agents: { agent1: { state: 'available', reason: null, since: AT, timeInStateSec: 3 } },
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setUp() {
  const http = createServer();
  const io = new Server(http);
  const forced: unknown[] = [];
  io.on('connection', (s) => {
    s.on(EVENTS.forceAgentState, (req: { agent: string }, ack: (a: unknown) => void) => {
      forced.push(req);
      ack(req.agent === 'agent1' ? { ok: true, value: { applied: true, pending: false } } : { ok: false, error: { code: 'forbidden', message: 'no' } });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const link: CenterLink = createCenterLink({ centerUrl: url, listeners: { connected: () => onConnected(), disconnected() {}, connectFailed() {} } });
  const hub = createEventHub();
  const heard: Array<{ event: DesktopApiEvent; payload: unknown }> = [];
  for (const event of ['queueMetrics', 'agentStates'] as const) hub.on(event, (payload: EventPayload<typeof event>) => heard.push({ event, payload }));
  const relay = createFloorRelay({ link, emit: hub.emit });
  link.connect({ token: 't', clientId: 'c' });
  await connected;
  cleanups.push(() => link.disconnect(), () => new Promise<void>((r) => io.close(() => r())));
  const push = async (event: string, payload: unknown, expectHeard: number) => {
    io.emit(event, payload);
    for (let i = 0; i < 200 && heard.length < expectHeard; i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { relay, heard, push, forced, io };
}

describe('floor relay', () => {
  it('builds the current snapshot from a full push and the diffs after it', async () => {
    const { relay, heard, push } = await setUp();
    await push(EVENTS.queueMetrics, { kind: 'diff', at: AT, diff: { changed: { sales: { waitingNow: 9 } }, removed: [] } }, 0);
    expect(relay.metrics()).toEqual({ at: null, queues: {} });
    await push(EVENTS.queueMetrics, { kind: 'full', at: AT, queues: { sales: queue(1) } }, 2);
    const later = '2026-11-25T10:00:01.000Z';
    await push(EVENTS.queueMetrics, { kind: 'diff', at: later, diff: diff({ sales: queue(1) }, { sales: queue(4) }) }, 3);
    expect(relay.metrics()).toEqual({ at: later, queues: { sales: queue(4) } });
    expect(heard.filter((h) => h.event === 'queueMetrics')).toHaveLength(2);
    // The queue's agent list seeds the grid once, not on every push.
    expect(heard.filter((h) => h.event === 'agentStates')).toHaveLength(1);
    expect(relay.agents()).toEqual([{ agent: 'agent1', state: 'available', reason: null, since: AT, queue: 'sales', interactionId: null, forcedBy: null }]);
  });

  it('ignores diffs after a disconnect until the next full push', async () => {
    const { relay, push } = await setUp();
    await push(EVENTS.queueMetrics, { kind: 'full', at: AT, queues: { sales: queue(1) } }, 2);
    relay.disconnected();
    await push(EVENTS.queueMetrics, { kind: 'diff', at: AT, diff: diff({ sales: queue(1) }, { sales: queue(7) }) }, 3);
    expect(relay.metrics().queues.sales?.waitingNow).toBe(1);
  });

  it('merges agent:state pushes and relays forces with the center answer', async () => {
    const { relay, push, forced } = await setUp();
    const update = { agent: 'agent2', state: 'not_ready', reason: 'meal', interactionId: null, queue: null, since: AT, by: 'supervisor', forcedBy: 'super1' };
    await push(EVENTS.agentState, update, 1);
    expect(relay.agents()).toEqual([{ agent: 'agent2', state: 'not_ready', reason: 'meal', since: AT, queue: null, interactionId: null, forcedBy: 'super1' }]);
    expect(await relay.force({ agent: 'agent1', state: 'offline' })).toEqual({ applied: true, pending: false });
    await expect(relay.force({ agent: 'agent9', state: 'not_ready' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/supervisor/) });
    expect(forced).toEqual([{ agent: 'agent1', state: 'offline', reason: null }, { agent: 'agent9', state: 'not_ready', reason: null }]);
  });
});
