import { describe, expect, it } from 'vitest';
import { AmiEventMapper } from '../../cti/ami/ami-adapter';
import { AmiParser } from '../../cti/ami/ami-parser';
import { fixtureEventsAfterLogin } from '../../cti/ami/testing/fixture';
import type { CtiEvent } from './cti-events';
import { createMemoryWebhookStore, handleCtiWebhook, signCtiWebhook } from '../../cti/webhook';
import { AgentStates, type AgentStateChange } from './agent-state';
import { applyCtiToAgentStates, reasonCodeFrom } from './cti-agent-states';
import { QueueMetricsEngine } from './metrics';

describe('agent states and metrics from a recorded Asterisk session', () => {
  it('moves the agents as the switch did and feeds the same metrics engine as the simulator', () => {
    let now = Date.parse('2026-11-25T01:00:00Z');
    const clock = () => now;
    const states = new AgentStates({ now: clock });
    states.register('agent1', ['support']);
    states.register('agent2', ['support']);
    states.setByAgent('agent1', 'available');
    states.setByAgent('agent2', 'available');
    const engine = new QueueMetricsEngine({ timeZone: 'Asia/Seoul' });
    const changes: AgentStateChange[] = [];
    states.onChange((c) => {
      changes.push(c);
      engine.ingestAgentChange(c);
    });
    const mapper = new AmiEventMapper({
      agentsByInterface: { 'Local/agent1@agents/n': 'agent1', 'Local/agent2@agents/n': 'agent2' },
      dnis: '+82234567890',
      systemName: 'pbx-test',
      callIdKey: 'tenant-key',
      now: () => new Date(now),
    });
    const ignored: string[] = [];
    const events: CtiEvent[] = [];
    for (const frame of new AmiParser().push(fixtureEventsAfterLogin())) {
      now += 200; // the session's messages a fifth of a second apart
      if (frame.kind !== 'message') continue;
      for (const event of mapper.map(frame.message)) {
        events.push(event);
        engine.ingestCti(event);
        const result = applyCtiToAgentStates(states, event);
        if (result.ignored) ignored.push(result.ignored);
      }
    }
    expect(ignored).toEqual([]);
    expect(changes.map((c) => `${c.agent}:${c.to}${c.reason ? `(${c.reason})` : ''}`)).toEqual([
      'agent2:not_ready(break)',
      'agent1:ringing',
      'agent1:on_call',
      'agent1:wrap_up',
      'agent1:not_ready(meal)',
      'agent1:available',
      'agent2:available',
    ]);
    const m = engine.queueSnapshot('support', now);
    expect(m.today).toMatchObject({ offered: 2, answered: 1, handled: 1 });
    expect(m.today.abandoned + m.today.shortAbandoned).toBe(1);
    const ended = events.find((e) => e.type === 'call_ended');
    const answered = events.find((e) => e.type === 'call_answered');
    expect(m.today.avgTalkSec).toBe((Date.parse(ended?.at ?? '') - Date.parse(answered?.at ?? '')) / 1000);
    expect(m.agents).toMatchObject({ agent1: { state: 'available' }, agent2: { state: 'available' } });
    // An agent registered later shows up in the live view before their first change.
    const joined = states.register('agent3', ['support']);
    engine.knowAgent(joined);
    expect(engine.queueSnapshot('support', now + 61_000).agents['agent3']).toEqual({ state: 'offline', reason: null, since: new Date(joined.since).toISOString(), timeInStateSec: 61 });
    expect(engine.queueSnapshot('support', now).agentsByState).toMatchObject({ available: 2, offline: 1 });
  });

  it('does the same for events fed through the webhook', async () => {
    const now = Date.parse('2026-11-25T01:10:00Z');
    const states = new AgentStates({ now: () => now, queueSettings: () => ({ wrapUp: false, wrapUpLimitSec: null }) });
    states.register('minji', ['support']);
    const engine = new QueueMetricsEngine({ timeZone: 'Asia/Seoul' });
    states.onChange((c) => engine.ingestAgentChange(c));
    states.setByAgent('minji', 'available');
    const deps = {
      secretsFor: async () => ['s3cret'],
      store: createMemoryWebhookStore(),
      now: () => now,
      callIdKey: async () => 'tenant-key',
      onEvent: (_tenant: string, e: CtiEvent) => {
        engine.ingestCti(e);
        applyCtiToAgentStates(states, e);
      },
    };
    const send = (body: object) => {
      const raw = Buffer.from(JSON.stringify(body));
      const ts = Math.floor(now / 1000);
      return handleCtiWebhook({ headers: { 'x-earshot-tenant': 'acme', 'x-earshot-timestamp': String(ts), 'x-earshot-signature': signCtiWebhook('s3cret', ts, raw) }, rawBody: raw }, deps);
    };
    const call = { externalCallId: 'c-1', queue: 'support', ani: '+821012345678', dnis: '+8215880000' };
    await send({ eventId: '1', type: 'call_offered', occurredAt: '2026-11-25T01:08:00Z', ...call });
    await send({ eventId: '2', type: 'call_ringing', occurredAt: '2026-11-25T01:08:04Z', agent: 'minji', ...call });
    await send({ eventId: '3', type: 'call_answered', occurredAt: '2026-11-25T01:08:09Z', agent: 'minji', ...call });
    await send({ eventId: '4', type: 'call_ended', occurredAt: '2026-11-25T01:09:39Z', ...call });
    expect(states.get('minji').state).toBe('available');
    const m = engine.queueSnapshot('support', now);
    expect(m.today).toMatchObject({ offered: 1, answered: 1, answeredWithinT: 1, asaSec: 9, handled: 1, ahtSec: 90, avgWrapUpSec: 0 });
  });

  it('reports, without throwing, an event for an agent it does not know or a state it disagrees with', () => {
    const states = new AgentStates({ now: () => 0 });
    states.register('agent1', ['support']);
    const base = { interactionId: '0b6f1a52-7d0e-4c44-9a5e-2f8c1d3b4a10', ani: '+821012345678', dnis: '+8215880000', queue: 'support', at: '2026-11-25T01:00:00.000Z' };
    expect(applyCtiToAgentStates(states, { type: 'call_ringing', ...base, agent: 'agent1' }).ignored).toMatch(/rang while offline/);
    expect(applyCtiToAgentStates(states, { type: 'call_ringing', ...base, agent: 'ghost' }).ignored).toMatch(/No agent ghost/);
    states.setByAgent('agent1', 'available');
    // The switch connected without a ring event: the agent still passes through ringing.
    expect(applyCtiToAgentStates(states, { type: 'call_answered', ...base, agent: 'agent1', holdTimeSec: 3 }).changes.map((c) => c.to)).toEqual(['ringing', 'on_call']);
  });

  it('turns a switch pause reason into a reason code', () => {
    expect(reasonCodeFrom('Lunch Break')).toBe('lunch_break');
    expect(reasonCodeFrom(null)).toBe('paused');
    expect(reasonCodeFrom('42')).toBe('paused');
  });
});
