// The agent's state and call controls against a REAL center: the desktop sets not_ready(break), a
// supervisor forces the agent and the desktop reports who did it; a simulated call is answered,
// held, resumed, hung up and wrapped up with a disposition that travels through the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { desktop as supervisorSocket, ok, type Desktop } from '../../server/src/testing/center-client';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { AgentStateView } from '../../shared/api/index';
import { EVENTS } from '../../shared/protocol/index';
import { FAST, waitFor } from './desktop-harness';

describe('agent state against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-agent-state-'));
  let center: RunningCenter;
  let desk: DesktopServices;
  let supervisor: Desktop | null = null;
  const seen: AgentStateView[] = [];

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', dataDir: join(dir, 'center') });
    desk = createDesktopServices({ dataDir: join(dir, 'agent1'), centerUrl: center.url }, FAST);
    desk.on('agentState', (s) => seen.push(s));
    await desk.start();
    await desk.handlers.signIn({ tenant: 'demo', username: 'agent1', password: 'demo' });
  });
  afterAll(async () => {
    supervisor?.close();
    await desk?.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets not_ready(break) at the center, and shows who forced the next state', async () => {
    await waitFor('the center to report agent1', () => desk.handlers.getAgentState());
    supervisor = await supervisorSocket(center.url, 'demo', 'super1');
    const reported: Array<{ agent: string; state: string; reason: string | null; forcedBy: string | null }> = [];
    supervisor.socket.on(EVENTS.agentState, (u: { agent: string; state: string; reason: string | null; forcedBy: string | null }) => reported.push(u));

    const set = await desk.handlers.setAgentState({ state: 'not_ready', reason: 'break' });
    expect(set).toMatchObject({ state: 'not_ready', reason: 'break', forcedBy: null, pending: null });
    await waitFor('the supervisor to see agent1 on break', () =>
      reported.find((u) => u.agent === 'agent1' && u.state === 'not_ready' && u.reason === 'break'),
    );

    ok(await supervisor.call(EVENTS.forceAgentState, { agent: 'agent1', state: 'offline' }));
    const forced = await waitFor('the desktop to hear the force', () => seen.find((s) => s.state === 'offline' && s.forcedBy === 'super1'));
    expect(forced.forcedBy).toBe('super1');
    expect(await desk.handlers.getAgentState()).toMatchObject({ state: 'offline', forcedBy: 'super1' });
  });

  it('refuses call control for a call the center does not hold, in words the agent can act on', async () => {
    await expect(desk.handlers.callControl({ interactionId: '0193a000-0000-7000-8000-000000000000', action: 'hold' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps a state chosen while the center is down and sets it when the connection returns', async () => {
    supervisor?.close();
    supervisor = null;
    const port = center.port;
    await center.stop();
    const offline = await waitFor('the desktop to notice the center is gone', async () => {
      const v = await desk.handlers.setAgentState({ state: 'not_ready', reason: 'training' });
      return v.pending ? v : null;
    });
    expect(offline.pending).toEqual({ state: 'not_ready', reason: 'training' });

    center = await startCenter({ port, demo: true, logLevel: 'silent', dataDir: join(dir, 'center') });
    const applied = await waitFor('the choice to reach the center', () =>
      seen.find((s) => s.state === 'not_ready' && s.reason === 'training' && s.pending === null),
    );
    expect(applied.forcedBy).toBeNull();
  });
});

describe('call control through the call simulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-call-control-'));
  let center: RunningCenter;
  let desk: DesktopServices;
  const offered: string[] = [];
  const seen: AgentStateView[] = [];

  beforeAll(async () => {
    // A long handle time: the script never moves the call on its own during the test; the agent does.
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', simulate: { offerIntervalMs: [100, 200], handleTimeMs: [600_000, 600_000] } });
    desk = createDesktopServices({ dataDir: join(dir, 'agent2'), centerUrl: center.url }, FAST);
    desk.on('callOffered', (e) => offered.push(e.call.interactionId));
    desk.on('agentState', (s) => seen.push(s));
    await desk.start();
    await desk.handlers.signIn({ tenant: 'demo', username: 'agent2', password: 'demo' });
  });
  afterAll(async () => {
    await desk?.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const stateOf = (interactionId: string, state: AgentStateView['state']) => () =>
    seen.find((s) => s.interactionId === interactionId && s.state === state);

  it('answers, holds, resumes, hangs up and finishes wrap-up with a disposition', async () => {
    const call = await waitFor('a call offered to agent2', () => offered[0]);
    const ringing = await waitFor('ringing', stateOf(call, 'ringing'));
    expect(ringing.queue).not.toBeNull();

    await desk.handlers.callControl({ interactionId: call, action: 'answer' });
    await waitFor('on_call', stateOf(call, 'on_call'));
    await desk.handlers.callControl({ interactionId: call, action: 'hold' });
    await waitFor('on_hold', stateOf(call, 'on_hold'));
    await desk.handlers.callControl({ interactionId: call, action: 'resume' });
    await waitFor('on_call again', () => seen.filter((s) => s.interactionId === call && s.state === 'on_call').length >= 2);
    await desk.handlers.callControl({ interactionId: call, action: 'hangup' });
    const wrapUp = await waitFor('wrap_up', stateOf(call, 'wrap_up'));

    // Queues are reference data synced into SQLite; the wrap-up panel reads the codes from there.
    const queue = await waitFor('the queue reference data to sync', () => desk.handlers.getQueue({ queueId: wrapUp.queue! }));
    const code = queue.dispositionCodes[0]!.code;
    await expect(desk.handlers.finishWrapUp({ interactionId: call, disposition: 'not-a-code' })).rejects.toMatchObject({ code: 'bad_request' });

    const done = await desk.handlers.finishWrapUp({ interactionId: call, disposition: code });
    expect(done).toEqual({ disposition: code, wrapUpFinished: true });
    await waitFor('available after wrap-up', () => seen.find((s) => s.state === 'available' && Date.parse(s.since) >= Date.parse(wrapUp.since)));
    await waitFor('the disposition at the center', async () => {
      const rows = await center.db.query<{ disposition: string | null }>('SELECT disposition FROM interactions WHERE id = $1', [call]);
      return rows[0]?.disposition === code;
    });
  });
});
