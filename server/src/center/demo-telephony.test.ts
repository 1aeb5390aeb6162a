// The demo's offer-interval contract on simulated hours (virtual clock, seeded): the agent at the
// desktop is offered a call about every offer interval (`--offer-interval 20-40`: every 20–40 s on
// average) alone on the floor, and still with 19 colleagues, with some of them on a break, while the
// callers stay sane (few abandon, few hear busy).
import { describe, expect, it } from 'vitest';
import { createPrng } from '../base/random';
import { createVirtualClock } from '../cti/acd/clock';
import { AcdSimulator } from '../cti/acd/simulator';
import { AgentStates } from '../floor/model/agent-state';
import type { CtiEvent } from '../floor/model/cti-events';
import { demoScript } from './demo-telephony';

const START = Date.UTC(2026, 11, 7, 0, 0, 0);
const QUEUES = ['billing', 'general', 'tech'];
const HOURS = 3;

/** Runs the demo floor for HOURS with `staffed` of 20 agents signed in (`onBreak` of them not ready); agent1's offers and the callers' fate. */
function run(staffed: number, colleagues: boolean, onBreak = 0) {
  const clock = createVirtualClock(START);
  const agents = new AgentStates({ now: clock.now, queueSettings: () => ({ wrapUp: true, wrapUpLimitSec: null }) });
  const players = Array.from({ length: 20 }, (_, i) => `agent${i + 1}`);
  for (const a of players) agents.register(a, QUEUES);
  for (const a of players.slice(0, staffed)) agents.setByAgent(a, 'available');
  for (const a of players.slice(staffed - onBreak, staffed)) agents.setByAgent(a, 'not_ready', 'break');
  const events: CtiEvent[] = [];
  const sim = new AcdSimulator({
    clock,
    random: createPrng(11),
    agents,
    ...demoScript({ agents, queues: QUEUES, players, handleTimeMs: [15_000, 25_000], meanGapMs: 30_000, colleagues }),
    dnis: '+8215880000',
    onEvent: (e) => events.push(e),
  });
  sim.start();
  sim.advanceBy(HOURS * 3_600_000);
  const rings = events.filter((e) => e.type === 'call_ringing' && e.agent === 'agent1').map((e) => Date.parse(e.at));
  const gaps = rings.slice(1).map((t, i) => (t - rings[i]!) / 1000);
  const offered = events.filter((e) => e.type === 'call_offered').length;
  return {
    meanGapSec: gaps.reduce((a, b) => a + b, 0) / gaps.length,
    abandoned: events.filter((e) => e.type === 'call_abandoned').length / offered,
    perAgentHour: events.filter((e) => e.type === 'call_ringing').length / (staffed - onBreak) / HOURS,
  };
}

describe('the demo telephony: a call every offer interval', () => {
  it('offers the agent at the desktop a call every 20–40 s on average, alone as before', () => {
    const alone = run(1, false);
    expect(alone.meanGapSec).toBeGreaterThanOrEqual(20);
    expect(alone.meanGapSec).toBeLessThanOrEqual(40);
  });

  it('keeps that with 19 colleagues on the floor, and with some of them on a break: callers follow the agents staffed', () => {
    for (const [staffed, onBreak] of [
      [20, 0],
      [20, 5],
    ] as const) {
      const floor = run(staffed, true, onBreak);
      expect(floor.meanGapSec).toBeGreaterThanOrEqual(20);
      expect(floor.meanGapSec).toBeLessThanOrEqual(40);
      // Every staffed agent works about as much as the one at the desktop (a call per 30 s ≈ 120 an hour), and callers seldom give up.
      expect(floor.perAgentHour).toBeGreaterThan(90);
      expect(floor.perAgentHour).toBeLessThan(150);
      expect(floor.abandoned).toBeLessThan(0.05);
    }
  });

  it('would flood the desktop agent without the scaling: the colleagues then take most calls', () => {
    // The unscaled rate (one caller per 30 s for the whole floor) leaves agent1 waiting minutes: what the scaling fixes.
    const unscaled = run(20, false);
    expect(unscaled.meanGapSec).toBeGreaterThan(200);
  });
});
