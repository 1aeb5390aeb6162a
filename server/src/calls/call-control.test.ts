// Call control over socket.io on a demo center whose simulator offers the calls: the agent answers,
// holds, resumes, hangs up and finishes wrap-up; the states follow; others cannot touch the call.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentStateUpdate, CallOffered } from '../../../shared/protocol';
import { startCenter, type RunningCenter } from '../index';
import { desktop, ok, type Desktop } from '../testing/center-client';

describe('call:control on simulated calls', () => {
  let center: RunningCenter;
  let agent: Desktop;
  const offers: CallOffered[] = [];
  const states: AgentStateUpdate[] = [];
  beforeAll(async () => {
    // A 10-minute handle time: the simulator's own script (answer after 30 s) never races the test.
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', simulate: { offerIntervalMs: [50, 100], handleTimeMs: [600_000, 600_000], unknownCallerShare: 0 } });
    agent = await desktop(center.url, 'demo', 'agent1');
    agent.socket.on('cti:callOffered', (m: unknown) => offers.push(CallOffered.parse(m)));
    agent.socket.on('agent:state', (m: unknown) => states.push(AgentStateUpdate.parse(m)));
  }, 120_000);
  afterAll(async () => {
    agent?.close();
    await center?.stop();
  });

  const control = (d: Desktop, action: string, extra: object = {}) => d.call('call:control', { interactionId: offers[0]!.interactionId, action, ...extra });
  const lastState = () => states.at(-1)?.state;

  it('answers, holds, resumes, hangs up and finishes wrap-up, each moving the agent state', async () => {
    await vi.waitFor(() => expect(offers.length).toBeGreaterThan(0), { timeout: 10_000 });
    ok(await control(agent, 'answer'));
    await vi.waitFor(() => expect(lastState()).toBe('on_call'));
    ok(await control(agent, 'hold'));
    await vi.waitFor(() => expect(lastState()).toBe('on_hold'));
    const twice = await control(agent, 'hold');
    expect(twice.ok ? null : twice.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/in conversation/) });
    ok(await control(agent, 'resume'));
    await vi.waitFor(() => expect(lastState()).toBe('on_call'));
    const noTarget = await control(agent, 'transfer');
    expect(noTarget.ok ? null : noTarget.error.code).toBe('bad_request');
    ok(await control(agent, 'hangup'));
    await vi.waitFor(() => expect(lastState()).toBe('wrap_up'));
    const after = await control(agent, 'resume');
    expect(after.ok ? null : after.error.code).toBe('conflict');
    ok(await control(agent, 'finishWrapUp'));
    await vi.waitFor(() => expect(lastState()).toBe('available'));
    const again = await control(agent, 'finishWrapUp');
    expect(again.ok ? null : again.error.code).toBe('conflict');
    expect(offers).toHaveLength(1); // no new call while this one was in hand
  });

  it("refuses another agent's call and call control from an admin who takes no calls", async () => {
    const other = await desktop(center.url, 'demo', 'agent2');
    const sup = await desktop(center.url, 'demo', 'admin');
    try {
      const r = await control(other, 'hangup');
      expect(r.ok ? null : r.error.code).toBe('not_found');
      const s = await control(sup, 'hangup');
      expect(s.ok ? null : s.error.code).toBe('forbidden');
    } finally {
      other.close();
      sup.close();
    }
  });
});
