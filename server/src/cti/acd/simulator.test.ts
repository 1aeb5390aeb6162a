import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPrng } from '../../base/random';
import { AgentStates, type AgentStateChange } from '../../floor/model/agent-state';
import { AcdSimulator } from './simulator';
import { CallControlError, type AcdQueueConfig, type AdoptedCall, type SimulatedAgentBehaviour } from './calls';
import { createVirtualClock } from './clock';
import { CtiEvent } from '../../floor/model/cti-events';

const START = Date.UTC(2026, 10, 25, 0, 0, 0);
const quietQueue = (id: string, patienceSec = 600): AcdQueueConfig => ({ id, arrivalsPerHour: 0, meanPatienceSec: patienceSec, meanTalkSec: 120, meanWrapUpSec: 20 });

function setup(opts: {
  queues: AcdQueueConfig[];
  agents: Array<[string, string[]]>;
  simulated?: SimulatedAgentBehaviour;
  seed?: number;
  wrapUp?: boolean;
}) {
  const clock = createVirtualClock(START);
  const agents = new AgentStates({ now: clock.now, queueSettings: () => ({ wrapUp: opts.wrapUp ?? true, wrapUpLimitSec: null }) });
  for (const [name, queues] of opts.agents) agents.register(name, queues);
  const events: CtiEvent[] = [];
  const changes: AgentStateChange[] = [];
  agents.onChange((c) => changes.push(c));
  const sim = new AcdSimulator({
    clock,
    random: createPrng(opts.seed ?? 7),
    agents,
    queues: opts.queues,
    dnis: '+8215880000',
    callerNumbers: ['+821012345678'],
    simulated: opts.simulated,
    onEvent: (e) => events.push(CtiEvent.parse(e)),
  });
  return { clock, agents, sim, events, changes };
}

const types = (events: CtiEvent[]) => events.map((e) => ('agent' in e && e.agent ? `${e.type}:${e.agent}` : e.type));

describe('ACD simulator: routing and call control', () => {
  it('rings the longest-idle available agent who serves the queue', () => {
    const { sim, agents, clock, events } = setup({ queues: [quietQueue('support'), quietQueue('sales')], agents: [['a', ['sales']], ['b', ['support']], ['c', ['support', 'sales']]] });
    agents.setByAgent('c', 'available');
    clock.set(START + 1000);
    agents.setByAgent('a', 'available');
    agents.setByAgent('b', 'available');
    sim.start();
    const id = sim.placeCall('support');
    expect(sim.callOf('c')).toEqual({ interactionId: id, queue: 'support', state: 'ringing' });
    sim.placeCall('sales');
    expect(sim.callOf('a')?.state).toBe('ringing');
    expect(types(events)).toEqual(['call_offered', 'call_ringing:c', 'call_offered', 'call_ringing:a']);
    expect(agents.get('b').state).toBe('available');
  });

  it('sends a call that rings out back to its place in the queue and makes the agent not ready (missed)', () => {
    const { sim, agents, events } = setup({ queues: [quietQueue('support')], agents: [['a', ['support']], ['b', ['support']]] });
    agents.setByAgent('a', 'available');
    sim.start();
    const first = sim.placeCall('support');
    sim.advanceBy(5_000);
    const second = sim.placeCall('support');
    expect(sim.waitingIn('support').map((c) => c.interactionId)).toEqual([second]);
    sim.advanceBy(10_000); // a's 15 s ring timeout
    expect(agents.get('a')).toMatchObject({ state: 'not_ready', reason: 'missed' });
    expect(sim.waitingIn('support').map((c) => c.interactionId)).toEqual([first, second]);
    agents.setByAgent('b', 'available');
    sim.advanceBy(0);
    expect(sim.callOf('b')?.interactionId).toBe(first);
    expect(sim.stats()).toMatchObject({ offered: 2, missed: 1, answered: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'call_ringing', interactionId: first, agent: 'b' });
  });

  it('answers, holds, resumes, transfers to an agent and to a queue, hangs up and finishes wrap-up', () => {
    const { sim, agents, events, changes } = setup({ queues: [quietQueue('support'), quietQueue('billing')], agents: [['a', ['support']], ['b', ['support']], ['c', ['billing']]] });
    for (const name of ['a', 'b', 'c']) agents.setByAgent(name, 'available');
    sim.start();
    const id = sim.placeCall('support');
    sim.advanceBy(4_000);
    sim.answer('a');
    expect(events.at(-1)).toMatchObject({ type: 'call_answered', agent: 'a', holdTimeSec: 4 });
    sim.hold('a');
    expect(() => sim.hold('a')).toThrow(/cannot hold: their call is held/);
    sim.resume('a');
    sim.advanceBy(30_000);
    sim.transfer('a', { agent: 'b' });
    expect(agents.get('a')).toMatchObject({ state: 'wrap_up', interactionId: id, queue: 'support' });
    expect(sim.callOf('b')?.state).toBe('ringing');
    sim.answer('b');
    expect(() => sim.transfer('b', { queue: 'support' })).toThrow(/already in queue support/);
    expect(() => sim.transfer('b', { agent: 'a' })).toThrow(/Agent a is wrap up, not available/);
    sim.transfer('b', { queue: 'billing' });
    expect(sim.callOf('c')).toEqual({ interactionId: id, queue: 'billing', state: 'ringing' });
    sim.advanceBy(2_000);
    sim.answer('c');
    sim.advanceBy(60_000);
    sim.hangUp('c');
    expect(() => sim.hangUp('c')).toThrow(CallControlError);
    sim.finishWrapUp('c', { notReady: 'break' });
    sim.finishWrapUp('a');
    expect(() => sim.finishWrapUp('a')).toThrow(/not in wrap-up/);
    expect(types(events)).toEqual([
      'call_offered', 'call_ringing:a', 'call_answered:a', 'call_held:a', 'call_resumed:a',
      'call_transferred:a', 'call_ringing:b', 'call_answered:b', 'call_transferred:b',
      'call_offered', 'call_ringing:c', 'call_answered:c', 'call_ended:c',
    ]);
    expect(events.filter((e) => e.type === 'call_transferred').map((e) => 'target' in e && e.target)).toEqual(['agent:b', 'queue:billing']);
    expect(events.at(-1)).toMatchObject({ type: 'call_ended', talkTimeSec: 60, endedBy: 'agent', queue: 'billing' });
    // The answer after the agent transfer is the same queue visit: only the queue entry is measured.
    expect(events.filter((e) => e.type === 'call_answered').map((e) => 'holdTimeSec' in e && e.holdTimeSec)).toEqual([4, 34, 2]);
    expect(changes.filter((c) => c.agent === 'c').map((c) => c.to)).toEqual(['available', 'ringing', 'on_call', 'wrap_up', 'not_ready']);
    expect(sim.stats()).toMatchObject({ offered: 2, answered: 2, transferred: 2, ended: 1, abandoned: 0 });
  });

  it('lets an impatient caller abandon, while waiting or while ringing', () => {
    const { sim, agents, events } = setup({ queues: [quietQueue('support', 20)], agents: [['a', ['support']]] });
    sim.start();
    sim.placeCall('support');
    sim.placeCall('support');
    sim.advanceBy(3_600_000);
    expect(events.filter((e) => e.type === 'call_abandoned')).toHaveLength(2);
    agents.setByAgent('a', 'available');
    sim.placeCall('support');
    expect(agents.get('a').state).toBe('ringing');
    sim.advanceBy(3_600_000);
    // Either the caller gave up while it rang, or the ring timed out and the caller gave up in the queue.
    expect(events.filter((e) => e.type === 'call_abandoned')).toHaveLength(3);
    const last = events.filter((e) => e.type === 'call_abandoned').at(-1);
    expect(last && last.type === 'call_abandoned' && last.holdTimeSec).toBeGreaterThanOrEqual(0);
    expect(sim.stats()).toMatchObject({ offered: 3, abandoned: 3 });
  });
});

const floor: SimulatedAgentBehaviour = {
  agents: Array.from({ length: 40 }, (_, i) => `agent${i + 1}`),
  answerAfterSec: [1, 6],
  missChance: 0.03,
  holdChance: 0.25,
  meanHoldSec: 40,
  transferToQueueChance: 0.05,
  transferToAgentChance: 0.04,
  callerHangsUpChance: 0.3,
  breakChance: 0.05,
  meanBreakSec: 300,
  backAfterMissSec: 20,
};

function runFloor(seed: number, hours: number) {
  const queues: AcdQueueConfig[] = [
    { id: 'support', arrivalsPerHour: 240, meanPatienceSec: 90, meanTalkSec: 240, meanWrapUpSec: 45 },
    { id: 'sales', arrivalsPerHour: 120, meanPatienceSec: 60, meanTalkSec: 180, meanWrapUpSec: 30 },
  ];
  const agents: Array<[string, string[]]> = floor.agents.map((a, i) => [a, i % 4 === 0 ? ['support', 'sales'] : i % 4 === 1 ? ['sales'] : ['support']]);
  const t = setup({ queues, agents, simulated: floor, seed });
  t.sim.start();
  for (let h = 0; h < hours * 60; h++) t.sim.advanceBy(60_000);
  return t;
}

describe('ACD simulator: a simulated floor', () => {
  it('is reproducible from its seed and accounts for every call', () => {
    const one = runFloor(42, 3);
    const two = runFloor(42, 3);
    expect(two.events).toEqual(one.events);
    expect(two.changes).toEqual(one.changes);
    expect(runFloor(43, 1).events.slice(0, 5)).not.toEqual(one.events.slice(0, 5));

    const s = one.sim.stats();
    // Poisson arrivals: 360 an hour for 3 hours, plus transfers into another queue (each offered again).
    const queueTransfers = one.events.filter((e) => e.type === 'call_transferred' && e.target.startsWith('queue:')).length;
    expect(s.offered - queueTransfers).toBeGreaterThan(1080 - 4 * Math.sqrt(1080));
    expect(s.offered - queueTransfers).toBeLessThan(1080 + 4 * Math.sqrt(1080));
    expect(s.abandoned).toBeGreaterThan(0);
    expect(s.missed).toBeGreaterThan(0);
    // Each queue visit is answered, abandoned, or still waiting/ringing at the end.
    const open = ['support', 'sales'].reduce((n, q) => n + one.sim.waitingIn(q).length, 0);
    const ringing = floor.agents.filter((a) => one.sim.callOf(a)?.state === 'ringing' && !one.events.some((e) => e.type === 'call_answered' && e.interactionId === one.sim.callOf(a)?.interactionId && e.queue === one.sim.callOf(a)?.queue)).length;
    expect(s.answered + s.abandoned + open + ringing).toBe(s.offered);
    // No agent is ever on two calls: between a ringing and the end of that call there is no other ringing.
    const busy = new Map<string, string>();
    for (const c of one.changes) {
      if (c.to === 'ringing') {
        expect(busy.has(c.agent)).toBe(false);
        busy.set(c.agent, c.interactionId as string);
      } else if (c.to !== 'on_call' && c.to !== 'on_hold') {
        busy.delete(c.agent);
      }
    }
  });
});

describe('ACD simulator: following the wall clock for the demo', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('advances its clock with real time until stopped', () => {
    vi.useFakeTimers({ now: START });
    const { sim, clock, events } = setup({ queues: [{ ...quietQueue('support'), arrivalsPerHour: 3600 }], agents: [['a', ['support']]] });
    sim.runRealtime(100);
    vi.advanceTimersByTime(60_000);
    expect(clock.now()).toBe(START + 60_000);
    const seen = events.length;
    expect(seen).toBeGreaterThan(10); // about one call a second
    sim.stop();
    vi.advanceTimersByTime(60_000);
    expect(clock.now()).toBe(START + 60_000);
    expect(events).toHaveLength(seen);
  });
});

describe('ACD simulator: adopting calls from a node that died (CTI takeover)', () => {
  const adopted = (over: Partial<AdoptedCall>): AdoptedCall => ({
    interactionId: '00000000-0000-4000-8000-0000000000a1',
    ani: '+821012345678',
    queue: 'support',
    enteredAt: START - 30_000,
    state: 'connected',
    agent: 'a',
    answered: true,
    legStartedAt: START - 10_000,
    ...over,
  });

  it('a simulated agent who was talking on the call finishes it on the new node', () => {
    const robot: SimulatedAgentBehaviour = { ...floor, agents: ['a'], transferToQueueChance: 0, transferToAgentChance: 0 };
    const { sim, agents, events } = setup({ queues: [quietQueue('support')], agents: [['a', ['support']]], simulated: robot });
    agents.setByAgent('a', 'available');
    agents.setBySystem('a', { to: 'ringing', interactionId: adopted({}).interactionId, queue: 'support' }, 'restored');
    agents.setBySystem('a', { to: 'on_call', interactionId: adopted({}).interactionId, queue: 'support' }, 'restored');
    expect(sim.adoptCall(adopted({}))).toBe('attached');
    expect(sim.callOf('a')).toEqual({ interactionId: adopted({}).interactionId, queue: 'support', state: 'connected' });
    expect(events).toEqual([]);
    sim.advanceBy(3_600_000);
    const end = events.find((e) => e.type === 'call_ended');
    expect(end).toMatchObject({ interactionId: adopted({}).interactionId, agent: 'a' });
    expect(end && 'talkTimeSec' in end ? end.talkTimeSec : -1).toBeGreaterThanOrEqual(10);
  });

  it('a call in talk whose agent is not on it here is ended as unknown; a queue this node lacks is refused', () => {
    const { sim, events } = setup({ queues: [quietQueue('support')], agents: [['a', ['support']]] });
    expect(sim.adoptCall(adopted({}))).toBe('ended');
    expect(events).toMatchObject([{ type: 'call_ended', agent: null, talkTimeSec: null, endedBy: 'unknown' }]);
    expect(() => sim.adoptCall(adopted({ queue: 'sales', state: 'waiting' }))).toThrow(CallControlError);
  });

  it('waiting calls line up by their original entry, before calls placed here later', () => {
    const { sim, agents, events } = setup({ queues: [quietQueue('support')], agents: [['a', ['support']]] });
    sim.start();
    const local = sim.placeCall('support');
    const older = adopted({ state: 'ringing', agent: 'x', answered: false, legStartedAt: null });
    expect(sim.adoptCall(older)).toBe('queued');
    expect(sim.waitingIn('support').map((c) => c.interactionId)).toEqual([older.interactionId, local]);
    agents.setByAgent('a', 'available');
    sim.advanceBy(0);
    expect(sim.callOf('a')?.interactionId).toBe(older.interactionId);
    expect(types(events)).toEqual(['call_offered', 'call_ringing:a']); // the adopted call is not offered again
  });
});
