// The AMI source follows the center's agent states into Asterisk, over the wire to the AMI peer on
// 127.0.0.1: not ready pauses the agent's queue member (QueuePause), available unpauses it, a pause
// Asterisk made is not sent back, a failed send only logs, a new login re-sends, and stop detaches.
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { forEachDriver } from '../../../../tests/support/postgres';
import { addUser } from '../../auth/users';
import type { Db } from '../../db/db';
import { openDb } from '../../db/open';
import { AgentStates, type AgentStateChange } from '../../floor/model/agent-state';
import { applyCtiToAgentStates } from '../../floor/model/cti-agent-states';
import { amiField } from './ami-parser';
import { startAmiSource, type AgentStateFeed } from './ami-source';
import { asteriskSession, startAmiPeer, type AmiPeer, type PeerConnection } from './testing/ami-peer';

const TENANT = 'acme';
const SECRET = 'ami-source-secret';
const member = (agent: string) => `Local/${agent}@agents/n`;

/** The QueuePause actions a connection received, as the fields that matter. */
function pauses(conn: PeerConnection | undefined): Array<Record<string, string | undefined>> {
  return (conn?.actions ?? [])
    .filter((a) => amiField(a, 'Action') === 'QueuePause')
    .map((a) => ({ Interface: amiField(a, 'Interface'), Paused: amiField(a, 'Paused'), Reason: amiField(a, 'Reason'), Queue: amiField(a, 'Queue') }));
}

/** A QueueMemberPause event as Asterisk 13 sends it. */
function memberPause(agent: string, paused: boolean, reason = ''): string {
  return [
    'Event: QueueMemberPause',
    'Privilege: agent,all',
    'Queue: support',
    `MemberName: ${agent}`,
    `Interface: ${member(agent)}`,
    'Membership: static',
    'Penalty: 0',
    'Status: 1',
    `Paused: ${paused ? 1 : 0}`,
    `PausedReason: ${reason}`,
  ].join('\r\n') + '\r\n\r\n';
}

forEachDriver('Asterisk AMI source: agent pauses', ({ freshDatabase }) => {
  let db: Db;
  let peer: AmiPeer;
  let states: AgentStates;
  let changes: AgentStateChange[];
  let listeners: number;
  let logLines: string[];
  let stop: (() => Promise<void>) | null;
  /** The peer answers a QueuePause that pauses with the QueueMemberPause event, as Asterisk does. */
  let confirmPauses: boolean;
  /** Connections after the first wait for this before greeting, so a test can act while AMI is down. */
  let greetAgain: Promise<void>;

  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Acme')`, [TENANT]);
    for (const username of ['agent1', 'agent2']) await addUser(db, { tenantId: TENANT, username, displayName: username, role: 'agent', password: 'a-long-secret' });
    await addUser(db, { tenantId: TENANT, username: 'super1', displayName: 'super1', role: 'supervisor', password: 'a-long-secret' });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  beforeEach(async () => {
    confirmPauses = false;
    greetAgain = Promise.resolve();
    const session = asteriskSession(
      (conn) =>
        conn.onAction((a) => {
          if (confirmPauses && amiField(a, 'Action') === 'QueuePause' && amiField(a, 'Paused') === 'true') {
            const agent = /^Local\/(.+)@agents\/n$/.exec(amiField(a, 'Interface') ?? '')?.[1];
            if (agent) conn.send(memberPause(agent, true, amiField(a, 'Reason')));
          }
        }),
      { secret: SECRET },
    );
    peer = await startAmiPeer((conn) => (conn.index === 0 ? session(conn) : void greetAgain.then(() => session(conn))));
    states = new AgentStates({ now: Date.now });
    changes = [];
    states.onChange((c) => changes.push(c));
    // visitor is registered with the floor but is no agent user of the tenant: not in the interface mapping.
    for (const agent of ['agent1', 'agent2', 'visitor']) states.register(agent, ['support']);
    listeners = 0;
    const feed: AgentStateFeed = {
      onChange: (listener) => {
        listeners += 1;
        const off = states.onChange(listener);
        return () => {
          listeners -= 1;
          return off();
        };
      },
      list: () => states.list(),
      find: (agent) => states.find(agent),
    };
    logLines = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    stop = await startAmiSource(
      db,
      { host: '127.0.0.1', port: peer.port, username: 'earshot', secret: SECRET, tenantId: TENANT, systemName: 'pbx-test', dnis: '+82234567890' },
      {
        callIdKey: async () => 'tenant-key',
        // What the floor does with a switch's event (floor.ingestCti), on this test's state machine.
        onEvent: async (_tenant, event) => void applyCtiToAgentStates(states, event),
        own: () => undefined,
        agentStates: async (tenantId) => {
          expect(tenantId).toBe(TENANT);
          return feed;
        },
        log,
      },
    );
    await vi.waitFor(() => expect(logLines.some((l) => l.includes('Asterisk AMI connected'))).toBe(true), { timeout: 10_000 });
  });
  afterEach(async () => {
    await stop?.();
    await peer?.close();
  });

  it('pauses a not ready agent in all queues with the reason, and unpauses when available; other agents are not sent', async () => {
    const conn = peer.connections[0];
    states.setByAgent('visitor', 'not_ready', 'break');
    states.setByAgent('agent1', 'available');
    states.setByAgent('agent1', 'not_ready', 'break');
    states.force('agent1', 'not_ready', 'super1', 'meeting');
    states.setByAgent('agent1', 'available');
    await vi.waitFor(() => expect(pauses(conn)).toHaveLength(4), { timeout: 5000 });
    expect(pauses(conn)).toEqual([
      { Interface: member('agent1'), Paused: 'false', Reason: undefined, Queue: undefined },
      { Interface: member('agent1'), Paused: 'true', Reason: 'break', Queue: undefined },
      { Interface: member('agent1'), Paused: 'true', Reason: 'meeting', Queue: undefined },
      { Interface: member('agent1'), Paused: 'false', Reason: undefined, Queue: undefined },
    ]);
    // visitor was not even tried (the adapter would have refused, and the refusal been logged).
    expect(logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 40)).toEqual([]);
  });

  it('follows a pause Asterisk made without sending it back', async () => {
    const conn = peer.connections[0]!;
    states.setByAgent('agent2', 'available');
    await vi.waitFor(() => expect(pauses(conn)).toHaveLength(1), { timeout: 5000 });
    conn.send(memberPause('agent2', true, 'Lunch Break'));
    await vi.waitFor(() => expect(states.get('agent2')).toMatchObject({ state: 'not_ready', reason: 'lunch_break' }), { timeout: 5000 });
    conn.send(memberPause('agent2', false));
    await vi.waitFor(() => expect(states.get('agent2').state).toBe('available'), { timeout: 5000 });
    // A later change of ours reaches the wire; an echo would have been sent before it.
    states.setByAgent('agent1', 'available');
    await vi.waitFor(() => expect(pauses(conn)).toHaveLength(2), { timeout: 5000 });
    expect(pauses(conn)[1]).toMatchObject({ Interface: member('agent1'), Paused: 'false' });
    expect(changes.filter((c) => c.agent === 'agent2').map((c) => `${c.to}:${c.cause}`)).toEqual(['available:agent', 'not_ready:switch_pause', 'available:switch_unpause']);
  });

  it("does not record Asterisk's confirmation of our own pause as a second change", async () => {
    confirmPauses = true;
    const conn = peer.connections[0]!;
    states.setByAgent('agent1', 'available');
    states.setByAgent('agent2', 'available');
    states.force('agent1', 'not_ready', 'super1', 'meeting');
    await vi.waitFor(() => expect(pauses(conn)).toHaveLength(3), { timeout: 5000 });
    // The confirmation came before this marker; once the marker moved agent2, it was handled.
    conn.send(memberPause('agent2', true, 'break'));
    await vi.waitFor(() => expect(states.get('agent2').state).toBe('not_ready'), { timeout: 5000 });
    expect(changes.filter((c) => c.agent === 'agent1').map((c) => `${c.to}:${c.cause}:${c.forcedBy ?? ''}`)).toEqual(['available:agent:', 'not_ready:supervisor:super1']);
  });

  it('logs a pause it could not send without names or throwing, and re-sends the pauses on the next login', async () => {
    let greet!: () => void;
    greetAgain = new Promise((resolve) => (greet = resolve));
    const first = peer.connections[0]!;
    states.setByAgent('agent1', 'available');
    states.setByAgent('agent2', 'available');
    await vi.waitFor(() => expect(pauses(first)).toHaveLength(2), { timeout: 5000 });
    first.destroy();
    // The client is back on TCP, waiting for a banner: not logged in.
    await vi.waitFor(() => expect(peer.connections).toHaveLength(2), { timeout: 10_000 });
    expect(() => states.setByAgent('agent1', 'not_ready', 'meal')).not.toThrow();
    await vi.waitFor(() => expect(logLines.some((l) => l.includes('was not sent to Asterisk'))).toBe(true), { timeout: 5000 });
    const warning = logLines.find((l) => l.includes('was not sent to Asterisk')) ?? '';
    expect(JSON.parse(warning)).toMatchObject({ paused: true, asteriskRefused: false, connected: false });
    expect(logLines.join('\n')).not.toMatch(/agent1|agent2|meal/);
    greet();
    const second = peer.connections[1];
    await vi.waitFor(() => expect(pauses(second)).toHaveLength(2), { timeout: 10_000 });
    expect(pauses(second)).toEqual(
      expect.arrayContaining([
        { Interface: member('agent1'), Paused: 'true', Reason: 'meal', Queue: undefined },
        { Interface: member('agent2'), Paused: 'false', Reason: undefined, Queue: undefined },
      ]),
    );
  });

  it('stops following agent states when stopped', async () => {
    const conn = peer.connections[0]!;
    expect(listeners).toBe(1);
    await stop?.();
    stop = null;
    expect(listeners).toBe(0);
    const before = conn.actions.length;
    states.setByAgent('agent1', 'not_ready', 'break');
    await new Promise((r) => setTimeout(r, 200));
    expect(conn.actions.length).toBe(before);
    expect(peer.connections).toHaveLength(1);
    expect(peer.connections.flatMap((c) => pauses(c))).toEqual([]);
  });
});
