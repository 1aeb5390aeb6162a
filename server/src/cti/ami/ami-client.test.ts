import { afterEach, describe, expect, it, vi } from 'vitest';
import { AmiClient, type AmiClientOptions } from './ami-client';
import { amiField, type AmiMessage } from './ami-parser';
import { BANNER, asteriskSession, startAmiPeer, type AmiPeer, type PeerConnection } from './testing/ami-peer';
import { fixtureEventsAfterLogin } from './testing/fixture';

const quiet = { info: () => {}, warn: () => {} };
let peer: AmiPeer | undefined;
let client: AmiClient | undefined;
afterEach(async () => {
  await client?.stop();
  await peer?.close();
  client = undefined;
  peer = undefined;
});

async function start(session: (conn: PeerConnection) => void, opts: Partial<AmiClientOptions> = {}): Promise<AmiClient> {
  peer = await startAmiPeer(session);
  client = new AmiClient({ host: '127.0.0.1', port: peer.port, username: 'earshot', secret: 'earshot-secret', logger: quiet, ...opts });
  client.start();
  return client;
}
const connected = (c: AmiClient) => new Promise<void>((resolve) => (c.connected ? resolve() : c.once('connected', () => resolve())));

describe('AmiClient', () => {
  it('logs in with an ActionID and correlates responses to actions even when answered out of order', async () => {
    const held: AmiMessage[] = [];
    const c = await start((conn) => {
      conn.send(BANNER);
      conn.onAction((action) => {
        const name = amiField(action, 'Action');
        if (name === 'Login') conn.respond(action, 'Success', 'Authentication accepted');
        else if (name === 'Logoff') conn.respond(action, 'Goodbye', 'bye');
        else if (name === 'Slow') held.push(action);
        else {
          conn.respond(action, 'Success', `done ${name}`);
          for (const h of held.splice(0)) conn.respond(h, 'Success', 'done Slow');
        }
      });
    });
    await connected(c);
    const login = peer?.connections[0]?.actions[0];
    expect(login && amiField(login, 'Action')).toBe('Login');
    expect(login && amiField(login, 'ActionID')).toMatch(/\S/);
    expect(login && amiField(login, 'Username')).toBe('earshot');
    const slow = c.send('Slow');
    const fast = c.send('Fast');
    const [slowResult, fastResult] = await Promise.all([slow, fast]);
    expect(amiField(slowResult.response, 'Message')).toBe('done Slow');
    expect(amiField(fastResult.response, 'Message')).toBe('done Fast');
  });

  it('collects the events of a list action and rejects an action Asterisk refuses', async () => {
    const c = await start((conn) => {
      conn.send(BANNER);
      conn.onAction((action) => {
        const id = amiField(action, 'ActionID') ?? '';
        const name = amiField(action, 'Action');
        if (name === 'Login' || name === 'Logoff') conn.respond(action, 'Success', 'ok');
        else if (name === 'QueueStatus') {
          conn.send(`Response: Success\r\nActionID: ${id}\r\nEventList: start\r\nMessage: Queue status will follow\r\n\r\n`);
          conn.send(`Event: QueueParams\r\nQueue: support\r\nActionID: ${id}\r\n\r\n`);
          conn.send(`Event: QueueMember\r\nQueue: support\r\nName: Agent One\r\nActionID: ${id}\r\n\r\n`);
          conn.send(`Event: QueueStatusComplete\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: 2\r\n\r\n`);
        } else conn.respond(action, 'Error', 'Interface not found');
      });
    });
    await connected(c);
    const broadcast: string[] = [];
    c.on('event', (m) => broadcast.push(amiField(m, 'Event') ?? ''));
    const status = await c.send('QueueStatus', { Queue: 'support' });
    expect(status.events.map((m) => amiField(m, 'Event'))).toEqual(['QueueParams', 'QueueMember']);
    expect(broadcast).toEqual([]);
    await expect(c.send('QueuePause', { Interface: 'Local/nobody@agents/n', Paused: 'true' })).rejects.toThrow(/Interface not found/);
    await expect(c.send('Evil', { Queue: 'a\r\nAction: Hangup' })).rejects.toThrow(/line break/);
  });

  it('times out an action Asterisk never answers, and refuses actions while not connected', async () => {
    const idle = new AmiClient({ host: '127.0.0.1', port: 1, username: 'x', secret: 'y', logger: quiet });
    await expect(idle.send('Ping')).rejects.toThrow(/not connected/);
    const c = await start((conn) => {
      conn.send(BANNER);
      conn.onAction((action) => {
        if (amiField(action, 'Action') !== 'Ping') conn.respond(action, 'Success', 'ok');
      });
    }, { actionTimeoutMs: 150 });
    await connected(c);
    await expect(c.send('Ping')).rejects.toThrow(/did not answer AMI action Ping within 150 ms/);
  });

  it('survives garbage and a close mid-message, then reconnects with backoff and resumes events', async () => {
    const events: string[] = [];
    const disconnects: string[] = [];
    const c = await start(
      (conn) => {
        if (conn.index === 0) {
          asteriskSession((first) => {
            first.send('\u0000\u00ff garbage \u0007\r\nnot a header line\r\nEvent: QueueCallerJoin\r\nChannel: Local/s@inc');
            setTimeout(() => first.destroy(), 20);
          })(conn);
        } else {
          asteriskSession((later) => later.sendChunked(fixtureEventsAfterLogin(), [5, 500]))(conn);
        }
      },
      { reconnect: { initialMs: 20, maxMs: 200 }, random: () => 0.5 },
    );
    c.on('event', (m) => events.push(amiField(m, 'Event') ?? ''));
    c.on('disconnected', (reason) => disconnects.push(reason));
    await vi.waitFor(() => expect(events.filter((e) => e === 'QueueCallerJoin')).toHaveLength(2), { timeout: 10_000 });
    expect(disconnects).toHaveLength(1);
    expect(c.stats.connections).toBe(2);
    // 20 ms × 2^0, jittered with random() = 0.5 to 75 %.
    expect(c.stats.reconnectDelaysMs).toEqual([15]);
  });

  it('backs off exponentially up to the cap while the link keeps failing, and a refused login counts', async () => {
    const c = await start(asteriskSession(undefined, { secret: 'the-right-one' }), {
      reconnect: { initialMs: 5, maxMs: 40 },
      random: () => 1 - Number.EPSILON,
    });
    await vi.waitFor(() => expect(c.stats.reconnectDelaysMs.length).toBeGreaterThanOrEqual(6), { timeout: 10_000 });
    expect(c.stats.reconnectDelaysMs.slice(0, 6)).toEqual([5, 10, 20, 40, 40, 40]);
    expect(c.stats.loginFailures).toBeGreaterThanOrEqual(6);
    expect(c.connected).toBe(false);
  });

  it('gives up on a peer that never sends the AMI banner and tries again', async () => {
    const c = await start(() => undefined, { actionTimeoutMs: 50, reconnect: { initialMs: 5, maxMs: 5 } });
    await vi.waitFor(() => expect(c.stats.connections).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    expect(c.connected).toBe(false);
    expect(peer?.connections.every((conn) => conn.actions.length === 0)).toBe(true);
  });

  it('sends Logoff on stop and does not reconnect afterwards', async () => {
    const c = await start(asteriskSession());
    await connected(c);
    await c.stop();
    const actions = peer?.connections[0]?.actions.map((m) => amiField(m, 'Action')) ?? [];
    expect(actions).toEqual(['Login', 'Logoff']);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.stats.connections).toBe(1);
  });
});
