// Great service, shared: an agent's desktop shows what supervisors marked (loaded on sign-in, then
// live), each hideable; a supervisor marks an agent's last call with a line of why.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { GREAT_SERVICE_WHY_MAX } from '../../../shared/domain/index';
import type { GreatService } from '../../../shared/protocol/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(() => stopRenderedApps());

const CALL = '0190f000-0000-7000-8000-0000000000c1';
const mark = (n: number, over: Partial<GreatService> = {}): GreatService => ({
  id: `0190f000-0000-7000-8000-00000000000${n}`, interactionId: CALL, agent: 'agent2', agentName: 'Park Jiwoo', queue: 'billing',
  markedBy: 'Sun Supervisor', why: `Kept calm and fixed it (${n})`, markedAt: '2026-11-25T10:00:00.000Z', ...over,
});

describe('great service on every desktop', () => {
  it('shows the marks loaded at sign-in and those shared later; each can be hidden', async () => {
    const api = new FakeDesktopApi();
    api.greatService = [mark(1)];
    const { user } = renderApp({ api });
    await screen.findByTestId('agent-bar');
    const banner = await screen.findByTestId('great-service');
    expect(await within(banner).findByText('Park Jiwoo — marked by Sun Supervisor: “Kept calm and fixed it (1)”')).toBeTruthy();
    act(() => api.emit('greatService', { items: [mark(2, { agentName: null, agent: 'agent7' }), mark(1)] }));
    const items = within(banner).getAllByTestId('great-service-item');
    expect(items.map((i) => i.textContent)).toEqual([expect.stringContaining('agent7 — marked by'), expect.stringContaining('Park Jiwoo')]);
    await user.click(within(items[1]!).getByRole('button', { name: 'Hide: Park Jiwoo' }));
    expect(within(banner).getAllByTestId('great-service-item')).toHaveLength(1);
  });

  it('stays out of the way when there is nothing to show', async () => {
    renderApp();
    await screen.findByTestId('agent-bar');
    expect(screen.getByTestId('great-service').hidden).toBe(true);
  });
});

describe('marking great service (supervisor)', () => {
  function supervisorApi(): FakeDesktopApi {
    const api = new FakeDesktopApi();
    api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
    const base = { reason: null, since: '2026-11-25T10:00:00.000Z', queue: 'billing', forcedBy: null };
    api.supervisedAgents = [
      { ...base, agent: 'agent1', state: 'available', interactionId: null },
      { ...base, agent: 'agent2', state: 'on_call', interactionId: CALL },
    ];
    return api;
  }
  const row = async (id: string) => (await screen.findAllByTestId('agent-row')).find((r) => r.getAttribute('data-agent') === id)!;

  it("marks an agent's last call with why; the agent without a call cannot be marked", async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    expect((within(await row('agent1')).getByTestId('mark-great-service') as HTMLButtonElement).disabled).toBe(true);
    // The call has ended: the last interaction can still be marked.
    act(() => api.emit('agentStates', { agents: [{ agent: 'agent2', state: 'available', reason: null, since: '2026-11-25T10:05:00.000Z', queue: null, interactionId: null, forcedBy: null }] }));
    await user.click(within(await row('agent2')).getByRole('button', { name: "Mark agent2's last call as great service" }));
    const dialog = screen.getByTestId('great-service-dialog');
    expect((within(dialog).getByTestId('share-great-service') as HTMLButtonElement).disabled).toBe(true);
    expect((within(dialog).getByTestId('great-service-why') as HTMLTextAreaElement).maxLength).toBe(GREAT_SERVICE_WHY_MAX);
    await user.type(within(dialog).getByTestId('great-service-why'), 'Turned a cancellation into a renewal, kindly.');
    await user.click(within(dialog).getByTestId('share-great-service'));
    expect((await screen.findByTestId('great-service-result')).textContent).toBe('Shared with every agent.');
    expect(api.callsOf('markGreatService')).toEqual([[{ interactionId: CALL, why: 'Turned a cancellation into a renewal, kindly.' }]]);
    expect(await within(screen.getByTestId('great-service')).findByText(/Turned a cancellation into a renewal/)).toBeTruthy();
  });

  it('says why a mark was refused', async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    api.failNext('markGreatService', { code: 'conflict', message: 'This call is already marked as great service.' });
    await user.click(within(await row('agent2')).getByTestId('mark-great-service'));
    await user.type(screen.getByTestId('great-service-why'), 'Again');
    await user.click(screen.getByTestId('share-great-service'));
    expect((await screen.findByText(/Not shared/)).textContent).toBe('Not shared: This call is already marked as great service.');
  });
});
