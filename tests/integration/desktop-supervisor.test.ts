// The supervisor relay against a REAL center: a desktop signed in as a supervisor hears live queue
// metrics and agent states, forces an agent to not ready, and an agent's desktop is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { EventPayload } from '../../shared/api/index';
import { FAST, waitFor } from './desktop-harness';

describe('supervisor desktop against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-supervisor-'));
  let center: RunningCenter;
  let supervisor: DesktopServices;
  let agent2: DesktopServices;
  const metrics: Array<EventPayload<'queueMetrics'>> = [];
  const agentEvents: Array<EventPayload<'agentStates'>> = [];
  const ownStates: Array<EventPayload<'agentState'>> = [];

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent' });
    agent2 = createDesktopServices({ dataDir: join(dir, 'agent2'), centerUrl: center.url }, FAST);
    await agent2.start();
    await agent2.handlers.signIn({ tenant: 'demo', username: 'agent2', password: 'demo' });
    await waitFor('the center to report agent2', () => agent2.handlers.getAgentState());
    supervisor = createDesktopServices({ dataDir: join(dir, 'super1'), centerUrl: center.url }, FAST);
    supervisor.on('queueMetrics', (m) => metrics.push(m));
    supervisor.on('agentStates', (a) => agentEvents.push(a));
    supervisor.on('agentState', (a) => ownStates.push(a));
    await supervisor.start();
    await supervisor.handlers.signIn({ tenant: 'demo', username: 'super1', password: 'demo' });
  });
  afterAll(async () => {
    await supervisor?.stop();
    await agent2?.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hears the live queue metrics and keeps the current snapshot', async () => {
    const first = await waitFor('a queueMetrics event', () => metrics.find((m) => Object.keys(m.queues).length > 0));
    expect(first.at).not.toBeNull();
    const current = await supervisor.handlers.getQueueMetrics();
    expect(Object.keys(current.queues).sort()).toEqual(Object.keys(first.queues).sort());
    for (const q of Object.values(current.queues)) expect(q.serviceLevel.expression).toMatch(/answered_within_T/);
  });

  it('forces agent2 to not ready, and the floor reports it', async () => {
    const answer = await supervisor.handlers.forceAgentState({ agent: 'agent2', state: 'not_ready', reason: 'meeting' });
    expect(answer.applied || answer.pending).toBe(true);
    await waitFor('the supervisor desktop to see agent2 forced', () =>
      agentEvents.flatMap((e) => e.agents).find((a) => a.agent === 'agent2' && a.state === 'not_ready' && a.forcedBy === 'super1'),
    );
    expect((await supervisor.handlers.getSupervisedAgents()).find((a) => a.agent === 'agent2')).toMatchObject({ state: 'not_ready', forcedBy: 'super1' });
    await waitFor('agent2 to hear it', async () => ((await agent2.handlers.getAgentState())?.state === 'not_ready' ? true : undefined));
    // The supervisor's own state bar must not take agent2's state as the supervisor's.
    expect((await supervisor.handlers.getAgentState())?.forcedBy ?? null).not.toBe('super1');
    expect(ownStates.filter((s) => s.state === 'not_ready' && s.forcedBy === 'super1')).toEqual([]);
  });

  it('refuses an agent who tries to force another agent', async () => {
    await expect(agent2.handlers.forceAgentState({ agent: 'agent1', state: 'offline' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('gives the trends of today to the supervisor', async () => {
    const trends = await supervisor.handlers.getQueueTrends({});
    expect(Array.isArray(trends.buckets)).toBe(true);
  });
});
