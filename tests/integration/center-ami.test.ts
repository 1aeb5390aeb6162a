// The center with an Asterisk AMI source (the AMI peer of the test suite on 127.0.0.1, replaying a
// recorded Asterisk session): a ringing queue call pops the agent's screen, the agent's state follows
// the call, and the supervisor's queue metrics count it. Call control the switch cannot do is refused.
// The desktop's not ready and available pause and unpause the agent in Asterisk's queues.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { interactionIdFor } from '../../server/src/cti/ami/ami-adapter';
import { amiField } from '../../server/src/cti/ami/ami-parser';
import { asteriskSession, startAmiPeer, type AmiPeer, type PeerConnection } from '../../server/src/cti/ami/testing/ami-peer';
import { fixtureEventsAfterLogin } from '../../server/src/cti/ami/testing/fixture';
import { desktop, type Desktop } from '../../server/src/testing/center-client';

const SECRET = 'center-ami-secret';
const SYSTEM = 'pbx-center-test';
/** The id the center gives Asterisk's call `linkedid`: keyed by the tenant's secret (tenant_keys). */
const idOf = async (center: RunningCenter, linkedid: string) => {
  const [row] = await center.db.query<{ call_id_key: string }>(`SELECT call_id_key FROM tenant_keys WHERE tenant_id = 'demo'`);
  return interactionIdFor(row!.call_id_key, SYSTEM, linkedid);
};

async function until<T>(what: string, probe: () => T | undefined | false, boundMs = 20_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const got = probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`not within ${boundMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('center with an Asterisk AMI source', () => {
  let peer: AmiPeer;
  let center: RunningCenter;
  let agent: Desktop;
  let supervisor: Desktop;
  const connections: PeerConnection[] = [];

  beforeAll(async () => {
    // The recorded session, once the center has logged in; its queue is the demo's `general`.
    peer = await startAmiPeer(asteriskSession((conn) => connections.push(conn), { secret: SECRET }));
    center = await startCenter({
      port: 0,
      demo: true,
      logLevel: 'silent',
      ami: { host: '127.0.0.1', port: peer.port, username: 'earshot', secret: SECRET, tenantId: 'demo', systemName: SYSTEM },
    });
    agent = await desktop(center.url, 'demo', 'agent1');
    supervisor = await desktop(center.url, 'demo', 'super1');
  }, 120_000);

  afterAll(async () => {
    agent?.close();
    supervisor?.close();
    await center?.stop();
    await peer?.close();
  });

  it('logs in with the secret, pops the ringing call on the agent, moves the agent and counts the call', async () => {
    const conn = await until('the center logged in to the AMI peer', () => connections[0]);
    expect(amiField(conn.actions[0]!, 'Username')).toBe('earshot');
    const offers: Array<{ interactionId: string; agent: string; queue: string }> = [];
    const states: Array<{ agent: string; state: string; reason: string | null }> = [];
    agent.socket.on('cti:callOffered', (m: { interactionId: string; agent: string; queue: string }) => offers.push(m));
    supervisor.socket.on('agent:state', (m: { agent: string; state: string; reason: string | null }) => states.push(m));

    conn.send(fixtureEventsAfterLogin().replaceAll('Queue: support\r\n', 'Queue: general\r\n'));

    const callA = await idOf(center, '1795453322.4');
    const offer = await until('the ringing call popped on agent1', () => offers[0]);
    expect(offer).toMatchObject({ interactionId: callA, agent: 'agent1', queue: 'general' });
    for (const s of ['ringing', 'on_call', 'wrap_up']) {
      await until(`agent1 ${s}`, () => states.some((x) => x.agent === 'agent1' && x.state === s));
    }
    // Asterisk paused agent1 with reason "meal" after the call.
    await until('agent1 not_ready(meal) from QueueMemberPause', () => states.some((x) => x.agent === 'agent1' && x.state === 'not_ready' && x.reason === 'meal'));
    // The owner's queue metrics count the answered call (a supervisor who joins gets the full picture).
    const deadline = Date.now() + 20_000;
    let today: { offered: number; answered: number } | undefined;
    while (!(today && today.answered >= 1) && Date.now() < deadline) {
      // Heard from the handshake on: the full snapshot is pushed the moment the supervisor connects.
      let heard!: (m: { kind: string; queues: Record<string, { today: { offered: number; answered: number } }> }) => void;
      const snapshot = new Promise<Parameters<typeof heard>[0]>((resolve) => (heard = resolve));
      const late = await desktop(center.url, 'demo', 'super1', undefined, (socket) => socket.on('queue:metrics', (m: Parameters<typeof heard>[0]) => m.kind === 'full' && heard(m)));
      const full = await snapshot;
      late.close();
      today = full.queues.general?.today;
      if (!(today && today.answered >= 1)) await new Promise((r) => setTimeout(r, 500));
    }
    expect(today).toMatchObject({ answered: 1 });
    expect(today!.offered).toBeGreaterThanOrEqual(1);
    const rows = await center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM interactions WHERE id = $1 AND tenant_id = 'demo'`, [callA]);
    expect(rows[0]?.n).toBe(1);
  });

  it('refuses call control Asterisk cannot do, with a clear message', async () => {
    const callA = await idOf(center, '1795453322.4');
    const r = await agent.call('call:control', { interactionId: callA, action: 'hold' });
    expect(r.ok).toBe(false);
    // The recorded call has ended: the center says so rather than sending Asterisk a useless action.
    expect(r.ok ? null : r.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already over/) });
  });

  it("pauses the agent's queue member in Asterisk when the desktop goes not ready, and unpauses on available", async () => {
    const conn = await until('the center logged in to the AMI peer', () => connections.at(-1));
    const member = (m: (typeof conn.actions)[number]) =>
      amiField(m, 'Action') === 'QueuePause' && amiField(m, 'Interface') === 'Local/agent1@agents/n' ? { paused: amiField(m, 'Paused'), reason: amiField(m, 'Reason') } : null;
    const from = conn.actions.length;
    const sent = () => conn.actions.slice(from).map(member).filter((m) => m !== null);
    expect((await agent.call('agent:setState', { state: 'not_ready', reason: 'training' })).ok).toBe(true);
    await until('QueuePause Paused=true reached Asterisk', () => sent().some((m) => m.paused === 'true' && m.reason === 'training'));
    expect((await agent.call('agent:setState', { state: 'available' })).ok).toBe(true);
    await until('QueuePause Paused=false reached Asterisk', () => sent().at(-1)?.paused === 'false');
    expect(sent()).toEqual([
      { paused: 'true', reason: 'training' },
      { paused: 'false', reason: undefined },
    ]);
  });
});

describe('the AMI command-line flags', () => {
  const run = async (args: string[]) => {
    const err: string[] = [];
    const code = await main(args, { stdin: Readable.from([]), stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, stopSignal: Promise.resolve('TEST') });
    return { code, err: err.join('') };
  };

  it('refuse an incomplete or malformed AMI configuration with what to give instead', async () => {
    expect(await run(['--ami', '127.0.0.1:5038'])).toMatchObject({ code: 64, err: expect.stringMatching(/--ami needs --ami-user, --ami-secret-file and --ami-tenant/) });
    const bad = await run(['--ami', 'pbx', '--ami-user', 'u', '--ami-secret-file', '/nonexistent', '--ami-tenant', 'demo']);
    expect(bad).toMatchObject({ code: 64, err: expect.stringMatching(/is not host:port/) });
    const missing = await run(['--ami', 'pbx:5038', '--ami-user', 'u', '--ami-secret-file', join(tmpdir(), 'no-such-ami-secret'), '--ami-tenant', 'demo']);
    expect(missing).toMatchObject({ code: 64, err: expect.stringMatching(/Cannot read the AMI secret file .*ENOENT/) });
  });
});
