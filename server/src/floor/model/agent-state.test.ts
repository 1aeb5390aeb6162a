import { describe, expect, it } from 'vitest';
import { AgentStateError, AgentStates, type AgentStateChange } from './agent-state';

function setup(opts: { limitSec?: number | null; wrapUp?: boolean } = {}) {
  let now = Date.UTC(2026, 10, 25, 9, 0, 0);
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  const states = new AgentStates({
    now: clock.now,
    queueSettings: () => ({ wrapUp: opts.wrapUp ?? true, wrapUpLimitSec: opts.limitSec ?? null }),
  });
  const changes: AgentStateChange[] = [];
  states.onChange((c) => changes.push(c));
  return { states, clock, changes };
}

const call = { interactionId: '0b6f1a52-7d0e-4c44-9a5e-2f8c1d3b4a10', queue: 'support' };

describe('agent state machine', () => {
  it('walks a whole call and stamps every change with the center clock and an audit record', () => {
    const { states, clock, changes } = setup();
    states.register('minji', ['support']);
    states.setByAgent('minji', 'available');
    clock.advance(1000);
    states.setBySystem('minji', { to: 'ringing', ...call }, 'call_ringing');
    clock.advance(3000);
    states.setBySystem('minji', { to: 'on_call' }, 'call_answered');
    states.setBySystem('minji', { to: 'on_hold' }, 'call_held');
    states.setBySystem('minji', { to: 'on_call' }, 'call_resumed');
    clock.advance(60_000);
    states.setBySystem('minji', { to: 'wrap_up' }, 'call_ended');
    clock.advance(20_000);
    states.setByAgent('minji', 'available');
    expect(changes.map((c) => [c.from, c.to, c.by, c.cause])).toEqual([
      ['offline', 'available', 'agent', 'agent'],
      ['available', 'ringing', 'system', 'call_ringing'],
      ['ringing', 'on_call', 'system', 'call_answered'],
      ['on_call', 'on_hold', 'system', 'call_held'],
      ['on_hold', 'on_call', 'system', 'call_resumed'],
      ['on_call', 'wrap_up', 'system', 'call_ended'],
      ['wrap_up', 'available', 'agent', 'agent'],
    ]);
    // The call's id and queue travel with every call state, and are dropped once the agent is free.
    expect(changes[5]).toMatchObject({ ...call, at: Date.UTC(2026, 10, 25, 9, 1, 4) });
    expect(changes[6]).toMatchObject({ interactionId: null, queue: null });
    expect(changes.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(states.get('minji').since).toBe(Date.UTC(2026, 10, 25, 9, 1, 24));
  });

  it('refuses illegal moves with an error that says what to do', () => {
    const { states, changes } = setup();
    states.register('minji', ['support']);
    expect(() => states.setByAgent('minji', 'on_call')).toThrow(/cannot go from offline to on_call. Sign in/);
    states.setByAgent('minji', 'available');
    // Only call control puts an agent on a call.
    expect(() => states.setByAgent('minji', 'ringing')).toThrow(AgentStateError);
    expect(() => states.setByAgent('minji', 'not_ready')).toThrow(/needs a reason code/);
    expect(() => states.setByAgent('minji', 'not_ready', 'Coffee Break!')).toThrow(/needs a reason code/);
    states.setBySystem('minji', { to: 'ringing', ...call }, 'call_ringing');
    expect(() => states.setByAgent('minji', 'available')).toThrow(/Answer the call/);
    expect(() => states.setByAgent('ghost', 'available')).toThrow(/No agent ghost/);
    expect(changes).toHaveLength(2);
    expect(states.get('minji').state).toBe('ringing');
  });

  it('records a supervisor force, and holds it until the call is over', () => {
    const { states, changes } = setup();
    states.register('minji', ['support']);
    states.setByAgent('minji', 'available');
    const now = states.force('minji', 'not_ready', 'sup.kim', 'meeting');
    expect(now.applied).toMatchObject({ to: 'not_ready', reason: 'meeting', by: 'supervisor', forcedBy: 'sup.kim' });
    states.setByAgent('minji', 'available');
    states.setBySystem('minji', { to: 'ringing', ...call }, 'call_ringing');
    states.setBySystem('minji', { to: 'on_call' }, 'call_answered');
    expect(states.force('minji', 'offline', 'sup.kim')).toEqual({ applied: null, pending: true });
    expect(states.get('minji').state).toBe('on_call');
    states.setBySystem('minji', { to: 'wrap_up' }, 'call_ended');
    const end = states.setByAgent('minji', 'available');
    expect(end).toMatchObject({ from: 'wrap_up', to: 'offline', by: 'supervisor', forcedBy: 'sup.kim' });
    expect(states.get('minji').pending).toBeNull();
    expect(changes.filter((c) => c.forcedBy !== null)).toHaveLength(2);
  });

  it('ends wrap-up at the queue limit', () => {
    const { states, clock } = setup({ limitSec: 30 });
    states.register('minji', ['support']);
    states.setByAgent('minji', 'available');
    states.setBySystem('minji', { to: 'ringing', ...call }, 'call_ringing');
    states.setBySystem('minji', { to: 'on_call' }, 'call_answered');
    states.setBySystem('minji', { to: 'wrap_up' }, 'call_ended');
    expect(states.nextDeadline()).toBe(clock.now() + 30_000);
    clock.advance(29_999);
    expect(states.tick()).toEqual([]);
    clock.advance(1);
    expect(states.tick()).toMatchObject([{ from: 'wrap_up', to: 'available', cause: 'wrap_up_limit' }]);
    expect(states.nextDeadline()).toBeNull();
  });

  it('keeps a disconnected desktop state for the grace period, then goes offline', () => {
    const { states, clock } = setup();
    states.register('minji', ['support']);
    states.register('joon', ['support']);
    states.setByAgent('minji', 'not_ready', 'break');
    states.setByAgent('joon', 'available');
    states.disconnected('minji');
    states.disconnected('joon');
    clock.advance(59_000);
    expect(states.reconnected('minji')).toMatchObject({ state: 'not_ready', reason: 'break', disconnectedAt: null });
    clock.advance(1_000);
    expect(states.tick()).toMatchObject([{ agent: 'joon', from: 'available', to: 'offline', cause: 'disconnect_grace' }]);
    expect(states.reconnected('joon').state).toBe('offline');
    clock.advance(120_000);
    expect(states.tick()).toEqual([]);
    expect(states.get('minji').state).toBe('not_ready');
  });

  it('lets a call in progress finish before a lost desktop goes offline', () => {
    const { states, clock } = setup({ wrapUp: false });
    states.register('minji', ['support']);
    states.setByAgent('minji', 'available');
    states.setBySystem('minji', { to: 'ringing', ...call }, 'call_ringing');
    states.setBySystem('minji', { to: 'on_call' }, 'call_answered');
    states.disconnected('minji');
    clock.advance(61_000);
    expect(states.tick()).toEqual([]);
    expect(states.get('minji').state).toBe('on_call');
    expect(states.setBySystem('minji', { to: 'available' }, 'call_ended')).toMatchObject({ to: 'offline', cause: 'disconnect_grace' });
  });

  it('dates a restored state when it began, never later than the clock, so its wrap-up limit counts from then', () => {
    const { states, clock, changes } = setup({ limitSec: 60 });
    const began = clock.now() - 50_000;
    states.register('minji', ['support']);
    states.register('jisoo', ['support']);
    for (const to of ['available', 'ringing', 'on_call', 'wrap_up'] as const) states.setBySystem('minji', { to, ...call }, 'takeover', began);
    // Another node's clock ahead of this one: the state cannot have begun in the future.
    states.setBySystem('jisoo', { to: 'available' }, 'takeover', clock.now() + 90_000);
    expect(states.get('minji')).toMatchObject({ state: 'wrap_up', since: began });
    expect(changes.filter((c) => c.agent === 'minji').map((c) => c.at)).toEqual([began, began, began, began]);
    expect(states.get('jisoo').since).toBe(clock.now());
    expect(states.nextDeadline()).toBe(began + 60_000);
    clock.advance(9_999);
    expect(states.tick()).toEqual([]);
    clock.advance(1);
    expect(states.tick().map((c) => [c.agent, c.to, c.cause])).toEqual([['minji', 'available', 'wrap_up_limit']]);
  });

  it('orders available agents of a queue by how long they have been idle', () => {
    const { states, clock } = setup();
    for (const [agent, queues] of [['a', ['support', 'sales']], ['b', ['support']], ['c', ['sales']], ['d', ['support']]] as const) {
      states.register(agent, queues);
    }
    states.setByAgent('b', 'available');
    clock.advance(10);
    states.setByAgent('a', 'available');
    states.setByAgent('d', 'available'); // same millisecond as a: the later change is less idle
    states.setByAgent('c', 'available');
    expect(states.longestIdle('support')).toEqual(['b', 'a', 'd']);
    expect(states.longestIdle('sales')).toEqual(['a', 'c']);
    clock.advance(10);
    states.setByAgent('b', 'not_ready', 'break');
    states.setByAgent('b', 'available');
    expect(states.longestIdle('support')).toEqual(['a', 'd', 'b']);
    states.register('d', ['sales']);
    expect(states.longestIdle('support')).toEqual(['a', 'b']);
  });

  it('finds the agent on an interaction, and an agent by name, without throwing for strangers', () => {
    const { states } = setup();
    states.register('a', ['support']);
    states.register('b', ['support']);
    states.setByAgent('a', 'available');
    states.setByAgent('b', 'available');
    states.setBySystem('b', { to: 'ringing', ...call }, 'call_ringing');
    expect(states.agentOnInteraction(call.interactionId, ['ringing'])).toBe('b');
    expect(states.agentOnInteraction(call.interactionId, ['on_call'])).toBeNull();
    states.setBySystem('b', { to: 'on_call', ...call }, 'call_answered');
    expect(states.agentOnInteraction(call.interactionId, ['on_call', 'on_hold'])).toBe('b');
    expect(states.find('b')).toMatchObject({ agent: 'b', state: 'on_call', interactionId: call.interactionId });
    expect(states.find('nobody')).toBeNull();
  });
});
