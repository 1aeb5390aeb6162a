// A desktop that connects while its agent is ringing (or on the call) gets the call offered again:
// an agent who restarts Earshot mid-call still sees who is on the line.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { CallOffered, SCHEMA_VERSION, type Ack, type AgentStateUpdate } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { signCtiWebhook } from '../cti/webhook';
import { createWebhookSecret } from '../cti/webhook-store';
import { login, ok, phoneOf, startTestCenter, type TestCenter } from '../testing/center-client';

forEachDriver('a call offered again to a desktop that reconnects', ({ freshDatabase }) => {
  let t: TestCenter;
  let secret: string;
  const open: Socket[] = [];
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    secret = await createWebhookSecret(t.center.db, 'demo');
  });
  afterAll(async () => {
    open.forEach((s) => s.close());
    await t?.stop();
  });

  const post = async (n: number, type: string, extra: object = {}) => {
    const body = JSON.stringify({ eventId: `reoffer-${n}`, type, occurredAt: new Date().toISOString(), externalCallId: 'reoffer.1', queue: 'general', ...extra });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${t.center.url}/cti/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-tenant': 'demo', 'x-earshot-timestamp': String(ts), 'x-earshot-signature': signCtiWebhook(secret, ts, body) },
      body,
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as { interactionId?: string };
  };
  /** A desktop's socket with its listeners in place before it connects (the first pushes follow the handshake at once). */
  const connectAgent = async (username: string) => {
    const session = await login(t.center.url, 'demo', username);
    const socket = io(t.center.url, { auth: { token: session.token, schemaVersion: SCHEMA_VERSION, clientId: randomUUID() }, transports: ['websocket'], reconnection: false, autoConnect: false });
    const offers: CallOffered[] = [];
    const states: AgentStateUpdate[] = [];
    socket.on('cti:callOffered', (m: unknown) => offers.push(CallOffered.parse(m)));
    socket.on('agent:state', (m: AgentStateUpdate) => states.push(m));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    });
    open.push(socket);
    const setState = (payload: object) => socket.timeout(10_000).emitWithAck('agent:setState', payload) as Promise<Ack<unknown>>;
    return { setState, offers, states };
  };

  it('offers the ringing call, then the answered one, to a desktop that connects late; not to one that is idle', async () => {
    const first = await connectAgent('agent3');
    // Whatever the agent's state on sign-in, they end up available (acknowledged by the center).
    ok(await first.setState({ state: 'not_ready', reason: 'break' }));
    ok(await first.setState({ state: 'available' }));
    const phone = phoneOf(t.tenants.demo!, 0);
    await post(1, 'call_offered', { ani: phone, dnis: '+8215880000' });
    const ringing = await post(2, 'call_ringing', { agent: 'agent3' });
    await vi.waitFor(() => expect(first.offers.map((o) => o.interactionId)).toEqual([ringing.interactionId]), { timeout: 5000 });

    // A second window (or a restarted desktop) of the same agent, while the call rings.
    const second = await connectAgent('agent3');
    await vi.waitFor(() => expect(second.offers).toHaveLength(1), { timeout: 5000 });
    expect(second.offers[0]).toMatchObject({ interactionId: ringing.interactionId, agent: 'agent3', queue: 'general', dnis: '+8215880000' });
    expect(second.offers[0]!.ani).toBe(first.offers[0]!.ani);

    await post(3, 'call_answered', { agent: 'agent3' });
    await vi.waitFor(() => expect(second.states.some((s) => s.state === 'on_call')).toBe(true), { timeout: 5000 });
    const third = await connectAgent('agent3');
    await vi.waitFor(() => expect(third.offers.map((o) => o.interactionId)).toEqual([ringing.interactionId]), { timeout: 5000 });

    // An agent with no call gets their state and no offer.
    const idle = await connectAgent('agent4');
    ok(await idle.setState({ state: 'not_ready', reason: 'break' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(idle.offers).toEqual([]);
    // The first window was not offered the call twice.
    expect(first.offers).toHaveLength(1);
  });
});
