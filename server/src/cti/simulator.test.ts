import { describe, expect, it, vi } from 'vitest';
import { toE164 } from '../../../shared/domain/index';
import { createOfferSimulator, type OfferedCall, type SimulatorHooks } from './simulator';

const known = ['+821012345678', '+821098765432', '+12025550123'];
const agents = [
  { userId: 'u-7', username: 'agent7' },
  { userId: 'u-2', username: 'agent2' },
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingHooks(available = agents): SimulatorHooks & { calls: OfferedCall[] } {
  const calls: OfferedCall[] = [];
  return { calls, availableAgents: async () => available, offer: async (c) => void calls.push(c) };
}

describe('createOfferSimulator', () => {
  it('offers calls from known numbers to the longest-idle agent until stopped', async () => {
    const hooks = recordingHooks();
    const sim = createOfferSimulator({
      hooks, knownNumbers: known, queues: ['general', 'billing'], dnis: '+82234567890', offerIntervalMs: [10, 20], unknownCallerShare: 0, logger: { warn: () => {} },
    });
    sim.start();
    await vi.waitFor(() => expect(hooks.calls.length).toBeGreaterThanOrEqual(5), { timeout: 5000 });
    sim.stop();
    const offered = hooks.calls.length;
    await sleep(100);
    expect(hooks.calls.length).toBe(offered);
    expect(sim.stats().offered).toBe(offered);
    for (const call of hooks.calls) {
      expect(known).toContain(call.ani);
      expect(['general', 'billing']).toContain(call.queue);
      expect(call).toMatchObject({ dnis: '+82234567890', agentUserId: 'u-7', agentUsername: 'agent7' });
    }
  });

  it('makes up numbers no customer has when every caller should be unknown', async () => {
    const hooks = recordingHooks();
    const sim = createOfferSimulator({
      hooks, knownNumbers: known, queues: ['tech'], dnis: '+82234567890', offerIntervalMs: [10, 20], unknownCallerShare: 1, logger: { warn: () => {} },
    });
    sim.start();
    await vi.waitFor(() => expect(hooks.calls.length).toBeGreaterThanOrEqual(5), { timeout: 5000 });
    sim.stop();
    for (const call of hooks.calls) {
      expect(known).not.toContain(call.ani);
      expect(toE164(call.ani)).toBe(call.ani);
    }
  });

  it('mixes known and unknown callers by the configured share, drawn from the given random source', async () => {
    let state = 0;
    const sequence = [0.1, 0.9, 0.3, 0.7, 0.5];
    const hooks = recordingHooks();
    const sim = createOfferSimulator({
      hooks, knownNumbers: known, queues: ['tech'], dnis: '+82234567890', offerIntervalMs: [10, 10], unknownCallerShare: 0.5,
      random: () => sequence[state++ % sequence.length] ?? 0, logger: { warn: () => {} },
    });
    sim.start();
    await vi.waitFor(() => expect(hooks.calls.length).toBeGreaterThanOrEqual(20), { timeout: 5000 });
    sim.stop();
    const unknown = hooks.calls.filter((c) => !known.includes(c.ani)).length;
    expect(unknown).toBeGreaterThan(0);
    expect(unknown).toBeLessThan(hooks.calls.length);
  });

  it('counts failing hooks and absent agents without crashing, and logs no phone numbers', async () => {
    const warnings: Array<Record<string, unknown>> = [];
    let attempts = 0;
    const hooks: SimulatorHooks = {
      availableAgents: async () => {
        attempts += 1;
        if (attempts % 3 === 0) return [];
        if (attempts % 3 === 1) throw new Error('agent list unavailable');
        return agents;
      },
      offer: async (call) => {
        throw new Error(`socket gone while offering ${call.ani}`);
      },
    };
    const sim = createOfferSimulator({
      hooks, knownNumbers: known, queues: ['general'], dnis: '+82234567890', offerIntervalMs: [10, 20], unknownCallerShare: 0,
      logger: { warn: (fields) => void warnings.push(fields) },
    });
    sim.start();
    await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(9), { timeout: 5000 });
    sim.stop();
    const stats = sim.stats();
    expect(stats.offered).toBe(0);
    expect(stats.failed).toBeGreaterThanOrEqual(6);
    expect(stats.noAgent).toBeGreaterThanOrEqual(3);
    expect(warnings[0]).toMatchObject({ failed: 1, error: 'Error' });
    expect(JSON.stringify(warnings)).not.toMatch(/\+82|\+1/);
  });

  it('refuses a reversed interval or no queues', () => {
    const base = { hooks: recordingHooks(), knownNumbers: known, dnis: '+82234567890', unknownCallerShare: 0 };
    expect(() => createOfferSimulator({ ...base, queues: ['general'], offerIntervalMs: [20, 10] })).toThrow(/not a range/);
    expect(() => createOfferSimulator({ ...base, queues: [], offerIntervalMs: [10, 20] })).toThrow(/at least one queue/);
  });
});
