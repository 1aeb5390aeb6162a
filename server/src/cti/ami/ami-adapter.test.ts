import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CtiEvent } from '../../floor/model/cti-events';
import { AmiEventMapper, createAmiAdapter, interactionIdFor, type AmiAdapterConfig } from './ami-adapter';
import { AmiClient } from './ami-client';
import { AmiParser, amiField } from './ami-parser';
import { asteriskSession, startAmiPeer, type AmiPeer } from './testing/ami-peer';
import { fixtureEventsAfterLogin } from './testing/fixture';

const at = '2026-11-23T17:02:01.000Z';
const config: AmiAdapterConfig = {
  agentsByInterface: { 'Local/agent1@agents/n': 'agent1', 'Local/agent2@agents/n': 'agent2' },
  dnis: '+82234567890',
  systemName: 'pbx-test',
  callIdKey: 'tenant-key',
  now: () => new Date(at),
};
const quiet = { info: () => {}, warn: () => {} };

let peer: AmiPeer | undefined;
let client: AmiClient | undefined;
afterEach(async () => {
  await client?.stop();
  await peer?.close();
  client = undefined;
  peer = undefined;
});

async function connect(session: Parameters<typeof startAmiPeer>[0]): Promise<{ events: CtiEvent[]; adapter: ReturnType<typeof createAmiAdapter> }> {
  peer = await startAmiPeer(session);
  client = new AmiClient({ host: '127.0.0.1', port: peer.port, username: 'earshot', secret: 'earshot-secret', logger: quiet });
  const events: CtiEvent[] = [];
  const adapter = createAmiAdapter(client, config, (e) => events.push(e));
  const ready = new Promise<void>((resolve) => client?.once('connected', () => resolve()));
  client.start();
  await ready;
  return { events, adapter };
}

describe('Asterisk AMI adapter over the wire', () => {
  it('turns the recorded session into exactly our events, whatever the chunking', async () => {
    const { events, adapter } = await connect(asteriskSession((conn) => conn.sendChunked(fixtureEventsAfterLogin(), [1, 7, 300, 13, 2048])));
    await vi.waitFor(() => expect(events).toHaveLength(10), { timeout: 10_000 });
    const callA = interactionIdFor('tenant-key', 'pbx-test', '1795453322.4');
    const callB = interactionIdFor('tenant-key', 'pbx-test', '1795453328.8');
    const a = { interactionId: callA, ani: '+821012345678', dnis: '+82234567890', queue: 'support', at };
    const b = { interactionId: callB, ani: '+12025550123', dnis: '+82234567890', queue: 'support', at };
    expect(events).toEqual([
      { type: 'agent_paused', agent: 'agent2', queue: 'support', paused: true, reason: 'break', at },
      { type: 'call_offered', ...a },
      { type: 'call_ringing', ...a, agent: 'agent1' },
      { type: 'call_answered', ...a, agent: 'agent1', holdTimeSec: 0 },
      { type: 'call_ended', ...a, agent: 'agent1', talkTimeSec: 3, endedBy: 'agent' },
      { type: 'agent_paused', agent: 'agent1', queue: 'support', paused: true, reason: 'meal', at },
      { type: 'call_offered', ...b },
      { type: 'call_abandoned', ...b, holdTimeSec: 4, position: 1, originalPosition: 1 },
      { type: 'agent_paused', agent: 'agent1', queue: 'support', paused: false, reason: null, at },
      { type: 'agent_paused', agent: 'agent2', queue: 'support', paused: false, reason: null, at },
    ]);
    expect(callA).not.toBe(callB);
    expect(adapter.stats).toEqual({ unmappedMembers: 0, malformed: 0, consumerErrors: 0 });
  });

  it('pauses an agent through QueuePause with the mapped member interface and a reason', async () => {
    const { adapter } = await connect(asteriskSession());
    await adapter.pauseAgent('agent2', 'support', true, 'break');
    await adapter.pauseAgent('agent2', null, false);
    const actions = peer?.connections[0]?.actions.filter((m) => amiField(m, 'Action') === 'QueuePause') ?? [];
    expect(actions.map((m) => m.pairs.filter(([k]) => k !== 'ActionID'))).toEqual([
      [['Action', 'QueuePause'], ['Interface', 'Local/agent2@agents/n'], ['Paused', 'true'], ['Queue', 'support'], ['Reason', 'break']],
      [['Action', 'QueuePause'], ['Interface', 'Local/agent2@agents/n'], ['Paused', 'false']],
    ]);
    await expect(adapter.pauseAgent('agent99', 'support', true, 'break')).rejects.toThrow(/no Asterisk queue member interface/);
  });

  it('redirects and hangs up a live call by its interaction id, and refuses an unknown one', async () => {
    // Only the first call's queue entry: the call is live when the commands are sent.
    const joinA = fixtureEventsAfterLogin().split('\r\n\r\n').find((block) => block.startsWith('Event: QueueCallerJoin'));
    const { events, adapter } = await connect(asteriskSession((conn) => conn.send(`${joinA}\r\n\r\n`)));
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 5000 });
    const id = interactionIdFor('tenant-key', 'pbx-test', '1795453322.4');
    await adapter.redirect(id, { context: 'supervisors', exten: '200' });
    await adapter.hangup(id);
    const sent = (peer?.connections[0]?.actions ?? []).filter((m) => ['Redirect', 'Hangup'].includes(amiField(m, 'Action') ?? ''));
    expect(sent.map((m) => [amiField(m, 'Action'), amiField(m, 'Channel'), amiField(m, 'Context') ?? null, amiField(m, 'Exten') ?? null])).toEqual([
      ['Redirect', 'Local/s@incoming-00000002;2', 'supervisors', '200'],
      ['Hangup', 'Local/s@incoming-00000002;2', null, null],
    ]);
    await expect(adapter.hangup(interactionIdFor('tenant-key', 'pbx-test', 'nope'))).rejects.toThrow(/No live Asterisk call/);
  });

  it('places a follow-up call from the agent\'s phone with Originate, and refuses an agent or a number it cannot dial', async () => {
    const { adapter } = await connect(asteriskSession(() => undefined));
    const id = '6f3b6a1e-3c55-4cb2-9a4f-0a9b8c7d6e5f';
    await adapter.originate('agent2', '+821012345678', { context: 'from-internal', interactionId: id, callerId: '"Earshot" <+82234567890>' });
    const sent = (peer?.connections[0]?.actions ?? []).filter((m) => amiField(m, 'Action') === 'Originate');
    expect(sent.map((m) => ['Channel', 'Context', 'Exten', 'Priority', 'Async', 'Variable'].map((f) => amiField(m, f)))).toEqual([
      ['Local/agent2@agents/n', 'from-internal', '+821012345678', '1', 'true', `EARSHOT_INTERACTION=${id}`],
    ]);
    await expect(adapter.originate('agent9', '+821012345678', { context: 'from-internal', interactionId: id, callerId: 'x' })).rejects.toThrow(/no Asterisk queue member interface/);
    await expect(adapter.originate('agent1', '010; Hangup', { context: 'from-internal', interactionId: id, callerId: 'x' })).rejects.toThrow(/not one Asterisk can dial/);
  });

  it('counts unmapped members and consumer errors without stopping the feed', async () => {
    peer = await startAmiPeer(asteriskSession((conn) => conn.send(fixtureEventsAfterLogin())));
    client = new AmiClient({ host: '127.0.0.1', port: peer.port, username: 'earshot', secret: 'earshot-secret', logger: quiet });
    const seen: string[] = [];
    const adapter = createAmiAdapter(client, { ...config, agentsByInterface: { 'Local/agent1@agents/n': 'agent1' } }, (e) => {
      seen.push(e.type);
      if (e.type === 'call_offered') throw new Error('consumer bug');
    });
    client.start();
    await vi.waitFor(() => expect(seen.filter((t) => t === 'agent_paused')).toHaveLength(2), { timeout: 5000 });
    await vi.waitFor(() => expect(seen).toContain('call_abandoned'), { timeout: 5000 });
    expect(adapter.stats.consumerErrors).toBe(2);
    expect(adapter.stats.unmappedMembers).toBe(2);
  });
});

describe('interactionIdFor', () => {
  it("is a stable UUID per server and Linkedid, which only the tenant's key can compute", () => {
    const id = interactionIdFor('key-a', 'pbx-a', '1795453322.4');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(interactionIdFor('key-a', 'pbx-a', '1795453322.4')).toBe(id);
    expect(interactionIdFor('key-a', 'pbx-b', '1795453322.4')).not.toBe(id);
    expect(interactionIdFor('key-b', 'pbx-a', '1795453322.4')).not.toBe(id);
  });
});

describe('AmiEventMapper', () => {
  const blocks = fixtureEventsAfterLogin().split('\r\n\r\n');
  const first = (event: string) => `${blocks.find((b) => b.startsWith(`Event: ${event}`))}\r\n\r\n`;
  const feed = (mapper: AmiEventMapper, text: string) =>
    new AmiParser().push(text).flatMap((f) => (f.kind === 'message' ? mapper.map(f.message) : []));

  it('maps hold, resume and a blind transfer on a connected call, and ends it on the caller hangup when AgentComplete never came', () => {
    const mapper = new AmiEventMapper(config);
    const leg = 'Channel: Local/agent1@agents-00000003;1\r\nUniqueid: 1795453322.6\r\nLinkedid: 1795453322.4\r\n';
    const events = feed(
      mapper,
      first('QueueCallerJoin') +
        first('AgentConnect') +
        `Event: Hold\r\n${leg}MusicClass: default\r\n\r\n` +
        `Event: Unhold\r\n${leg}\r\n` +
        'Event: BlindTransfer\r\nResult: Success\r\nTransfereeLinkedid: 1795453322.4\r\nExtension: 200\r\nContext: supervisors\r\n\r\n' +
        'Event: Hangup\r\nChannel: Local/s@incoming-00000002;2\r\nUniqueid: 1795453322.5\r\nLinkedid: 1795453322.4\r\nCause: 16\r\n\r\n' +
        'Event: Hold\r\nUniqueid: 1795453322.6\r\nLinkedid: 1795453322.4\r\n\r\n',
    );
    expect(events.map((e) => [e.type, 'agent' in e ? e.agent : null])).toEqual([
      ['call_offered', null],
      ['call_answered', 'agent1'],
      ['call_held', 'agent1'],
      ['call_resumed', 'agent1'],
      ['call_transferred', 'agent1'],
      ['call_ended', 'agent1'],
    ]);
    expect(events[4]).toMatchObject({ target: '200@supervisors' });
    expect(events[5]).toMatchObject({ endedBy: 'unknown', talkTimeSec: null });
    expect(mapper.liveCall(interactionIdFor('tenant-key', 'pbx-test', '1795453322.4'))).toBeUndefined();
  });

  it('keeps a caller number it cannot normalise as given and drops events without a Uniqueid', () => {
    const mapper = new AmiEventMapper(config);
    const events = feed(
      mapper,
      'Event: QueueCallerJoin\r\nChannel: SIP/trunk-1\r\nCallerIDNum: anonymous\r\nUniqueid: 9.1\r\nLinkedid: 9.1\r\nQueue: support\r\nPosition: 1\r\n\r\n' +
        'Event: AgentCalled\r\nCallerIDNum: anonymous\r\nQueue: support\r\nInterface: Local/agent1@agents/n\r\n\r\n',
    );
    expect(events).toEqual([{ type: 'call_offered', interactionId: interactionIdFor('tenant-key', 'pbx-test', '9.1'), ani: 'anonymous', dnis: '+82234567890', queue: 'support', at }]);
    expect(mapper.stats.malformed).toBe(1);
  });
});
