// The floor's state keeps the very same object for every queue and agent a push did not change (the
// memoised rows rely on it), takes every change, and orders the agents grid.
import { describe, expect, it } from 'vitest';
import type { QueueMetricsSnapshot, SupervisedAgent } from '../../../shared/api/index';
import type { PeriodFigures, QueueMetrics } from '../../../shared/protocol/index';
import { agentsReceived, metricsReceived, selectAgentOrder, selectQueueAlerts, supervisorReducer, WAITING_SAMPLES, type AgentListView, type SupervisorState } from './supervisor-slice';

const AT = '2026-11-25T10:00:00.000Z';
const figures = (over: Partial<PeriodFigures> = {}): PeriodFigures => ({
  from: '2026-11-25T09:30:00.000Z', offered: 40, answered: 36, abandoned: 4, shortAbandoned: 1, abandonedAfterT: 3, answeredWithinT: 30,
  serviceLevel: 0.75, asaSec: 14, handled: 35, ahtSec: 290, avgTalkSec: 200, avgHoldSec: 20, avgWrapUpSec: 70, abandonRate: 0.1, occupancy: 0.8, ...over,
});
const queue = (id: string, at: string, over: Partial<QueueMetrics> = {}): QueueMetrics => ({
  queue: id, at, timeZone: 'Asia/Seoul',
  serviceLevel: { formula: 'abandons_count_against', expression: 'answered_within_T / (answered + abandoned)', thresholdSec: 20 },
  shortAbandonSec: 5, windowMin: 30, waitingNow: 3, longestWaitSec: 30, window: figures(), today: figures({ from: '2026-11-24T15:00:00.000Z' }),
  buckets: {}, agentsByState: {}, agents: {}, ...over,
});
const snapshot = (at: string, queues: QueueMetrics[]): QueueMetricsSnapshot => ({ at, queues: Object.fromEntries(queues.map((q) => [q.queue, q])) });
const agent = (name: string, over: Partial<SupervisedAgent> = {}): SupervisedAgent => ({
  agent: name, state: 'available', reason: null, since: AT, queue: 'sales', interactionId: null, forcedBy: null, ...over,
});
const start = (): SupervisorState => supervisorReducer(undefined, { type: 'init' });
const order = (state: SupervisorState, view: Partial<AgentListView> = {}) => selectAgentOrder({ supervisor: state }, { sort: 'agent', state: '', text: '', ...view });

describe('supervisor slice: pushes', () => {
  it('keeps unchanged queue rows and agents as the same objects and replaces the changed ones', () => {
    const one = supervisorReducer(start(), metricsReceived(snapshot(AT, [queue('sales', AT), queue('support', AT)])));
    const s1 = supervisorReducer(one, agentsReceived([agent('agent1'), agent('agent2'), agent('agent3', { customerName: undefined })]));
    const next = '2026-11-25T10:00:01.000Z';
    const s2 = supervisorReducer(s1, metricsReceived(snapshot(next, [queue('sales', next, { waitingNow: 4 }), queue('support', next)])));
    expect(s2.at).toBe(next);
    expect(s2.queues.support).toBe(s1.queues.support);
    expect(s2.queues.sales).not.toBe(s1.queues.sales);
    expect(s2.queues.sales!.waitingNow).toBe(4);
    expect(s2.queueIds).toBe(s1.queueIds);
    // The same agent as a new object (as every push delivers it), agent3 with its optional name left out.
    const s3 = supervisorReducer(s2, agentsReceived([agent('agent1'), agent('agent2', { state: 'on_call', interactionId: '0190f000-0000-7000-8000-000000000002' }), agent('agent3')]));
    expect(s3.agents.agent1).toBe(s2.agents.agent1);
    expect(s3.agents.agent3).toBe(s2.agents.agent3);
    expect(s3.agents.agent2!.state).toBe('on_call');
    expect(s3.lastInteraction.agent2).toBe('0190f000-0000-7000-8000-000000000002');
    // Nothing changed at all: the whole agents map stays, so nothing reading it re-renders.
    const s4 = supervisorReducer(s3, agentsReceived([agent('agent1')]));
    expect(s4.agents).toBe(s3.agents);
  });

  it('an agent named twice in one push ends as the last word, even when that is where it began', () => {
    const s1 = supervisorReducer(start(), agentsReceived([agent('agent1')]));
    const s2 = supervisorReducer(s1, agentsReceived([agent('agent1', { state: 'ringing' }), agent('agent1')]));
    expect(s2.agents.agent1).toBe(s1.agents.agent1);
    const s3 = supervisorReducer(s1, agentsReceived([agent('agent1'), agent('agent1', { state: 'on_call' })]));
    expect(s3.agents.agent1!.state).toBe('on_call');
  });

  it('keeps the last WAITING_SAMPLES waiting figures per queue, oldest first', () => {
    let state = start();
    for (let i = 0; i < WAITING_SAMPLES + 5; i++) {
      const at = new Date(Date.parse(AT) + i * 1000).toISOString();
      state = supervisorReducer(state, metricsReceived(snapshot(at, [queue('sales', at, { waitingNow: i })])));
    }
    expect(state.waiting.sales).toHaveLength(WAITING_SAMPLES);
    expect(state.waiting.sales![0]).toBe(5);
    expect(state.waiting.sales!.at(-1)).toBe(WAITING_SAMPLES + 4);
  });

  it('drops a queue the center no longer reports', () => {
    const s1 = supervisorReducer(start(), metricsReceived(snapshot(AT, [queue('sales', AT), queue('support', AT)])));
    const s2 = supervisorReducer(s1, metricsReceived(snapshot(AT, [queue('support', AT)])));
    expect(s2.queueIds).toEqual(['support']);
    expect(s2.queues.sales).toBeUndefined();
  });

  it('gives the same alerts list while no alert changed', () => {
    const s1 = supervisorReducer(start(), metricsReceived(snapshot(AT, [queue('sales', AT, { window: figures({ serviceLevel: 0.5 }) }), queue('support', AT)])));
    const a1 = selectQueueAlerts({ supervisor: s1 });
    expect(a1.map((a) => `${a.queue} ${a.figure} ${a.level}`)).toContain('sales serviceLevel red');
    const s2 = supervisorReducer(s1, metricsReceived(snapshot(AT, [queue('sales', AT, { window: figures({ serviceLevel: 0.5 }) }), queue('support', AT, { waitingNow: 2 })])));
    expect(s2.queues.support).not.toBe(s1.queues.support);
    expect(selectQueueAlerts({ supervisor: s2 })).toBe(a1);
  });
});

describe('supervisor slice: the agents grid order', () => {
  const floor = () =>
    supervisorReducer(start(), agentsReceived([
      agent('agent3', { state: 'on_call', since: '2026-11-25T09:58:00.000Z', customerName: 'Kim Minji' }),
      agent('agent1', { state: 'wrap_up', since: '2026-11-25T09:59:00.000Z', queue: 'support' }),
      agent('agent2', { state: 'available', since: '2026-11-25T09:50:00.000Z' }),
    ]));

  it('sorts by agent, by state then agent, or by how long in the state; filters by state and by text', () => {
    const state = floor();
    expect(order(state)).toEqual(['agent1', 'agent2', 'agent3']);
    expect(order(state, { sort: 'state' })).toEqual(['agent2', 'agent3', 'agent1']);
    expect(order(state, { sort: 'since' })).toEqual(['agent2', 'agent3', 'agent1']);
    expect(order(state, { state: 'on_call' })).toEqual(['agent3']);
    expect(order(state, { text: ' MINJI ' })).toEqual(['agent3']);
    expect(order(state, { text: 'support' })).toEqual(['agent1']);
  });

  it('follows a change of state, and is the same array while the order does not move', () => {
    const s1 = floor();
    const before = order(s1, { sort: 'state' });
    const s2 = supervisorReducer(s1, agentsReceived([agent('agent2', { state: 'available', since: '2026-11-25T10:00:00.000Z' })]));
    expect(s2.agents).not.toBe(s1.agents);
    expect(order(s2, { sort: 'state' })).toBe(before);
    const s3 = supervisorReducer(s2, agentsReceived([agent('agent2', { state: 'wrap_up', since: '2026-11-25T10:00:01.000Z' })]));
    expect(order(s3, { sort: 'state' })).toEqual(['agent3', 'agent1', 'agent2']);
  });
});
