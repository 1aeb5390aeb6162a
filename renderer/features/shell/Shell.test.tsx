// One shell for every role: the same top bar (who, views, sync, language, settings, shortcuts) on the
// agent's, the supervisor's and the staff's screens; supervisors who also take calls switch to the
// agent's view by the bar or Alt+2; the shortcut sheet lists what works on the view on screen.
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { viewsOf } from './shell-slice';

afterEach(stopRenderedApps);

function signedInAs(role: Role, takesCalls?: boolean) {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: `${role}1`, displayName: `${role} one`, role, ...(takesCalls === undefined ? {} : { takesCalls }) } };
  return renderApp({ api });
}

/** What every role's bar carries, whichever view is on screen. */
function expectCommonBar(bar: HTMLElement) {
  expect(within(bar).getByTestId('signed-in-as')).toBeTruthy();
  expect(within(bar).getByRole('button', { name: 'Sign out' })).toBeTruthy();
  expect(within(bar).getByTestId('sync-status')).toBeTruthy();
  expect(within(bar).getByTestId('language-switch')).toBeTruthy();
  expect(within(bar).getByRole('button', { name: 'Settings' })).toBeTruthy();
  expect(within(bar).getByRole('button', { name: /shortcuts/i })).toBeTruthy();
}

describe('the shell', () => {
  it('gives each role its views, home first', () => {
    expect(viewsOf({ role: 'agent' })).toEqual(['calls']);
    expect(viewsOf({ role: 'staff', takesCalls: true })).toEqual(['desk']);
    expect(viewsOf({ role: 'supervisor' })).toEqual(['floor', 'desk', 'analysis']);
    expect(viewsOf({ role: 'admin', takesCalls: true })).toEqual(['floor', 'calls', 'desk', 'analysis']);
    expect(viewsOf({ role: 'analyst' })).toEqual(['analysis']);
    expect(viewsOf({ role: 'staff' }, true)).toEqual(['desk', 'analysis']);
    expect(viewsOf(null)).toEqual(['calls']);
  });

  it('shows the same bar to an agent, without a way to views that are not theirs', async () => {
    const { user } = signedInAs('agent');
    const bar = await screen.findByTestId('agent-bar');
    expectCommonBar(bar);
    expect(within(bar).getByTestId('agent-state')).toBeTruthy();
    expect(within(bar).queryByRole('navigation')).toBeNull();
    // Alt+3 opens nothing for an agent.
    await user.keyboard('{Alt>}3{/Alt}');
    expect(screen.getByTestId('agent-bar')).toBeTruthy();
    expect(screen.queryByTestId('voc-desk')).toBeNull();
  });

  it('lets a supervisor who also takes calls move between the floor, calls and the desk, by the bar and by Alt+1/2/3', async () => {
    const { user } = signedInAs('supervisor', true);
    const floorBar = await screen.findByTestId('floor-bar');
    expectCommonBar(floorBar);
    expect(within(floorBar).getByTestId('signed-in-as').textContent).toContain('Supervisor · also takes calls');
    const views = within(floorBar).getByRole('navigation', { name: 'Views' });
    expect(within(views).getAllByRole('button').map((b) => b.textContent)).toEqual(['Floor', 'Calls', 'VOC desk', 'Analysis']);
    expect(within(views).getByTestId('show-floor').getAttribute('aria-current')).toBe('page');

    await user.click(within(views).getByTestId('show-calls'));
    const agentBar = await screen.findByTestId('agent-bar');
    expect(within(agentBar).getByTestId('agent-state')).toBeTruthy();
    expect(screen.getByTestId('waiting-for-call')).toBeTruthy();
    expect(within(agentBar).getByTestId('show-calls').getAttribute('aria-current')).toBe('page');

    await user.keyboard('{Alt>}3{/Alt}');
    expect(await screen.findByTestId('voc-desk')).toBeTruthy();
    expect(screen.getByTestId('desk-bar')).toBeTruthy();
    await user.keyboard('{Alt>}4{/Alt}');
    expect(await screen.findByTestId('analysis')).toBeTruthy();
    expect(screen.getByTestId('analysis-bar')).toBeTruthy();
    await user.keyboard('{Alt>}1{/Alt}');
    expect(await screen.findByTestId('supervisor-view')).toBeTruthy();
  });

  it('gives a supervisor who does not take calls the floor and the desk only', async () => {
    const { user } = signedInAs('supervisor');
    const bar = await screen.findByTestId('floor-bar');
    expect(within(bar).getAllByRole('button').some((b) => b.textContent === 'Calls')).toBe(false);
    await user.keyboard('{Alt>}2{/Alt}');
    expect(screen.getByTestId('supervisor-view')).toBeTruthy();
    expect(screen.queryByTestId('agent-state')).toBeNull();
  });

  it('shows an analyst the analysis only, with the same bar and no view switch', async () => {
    const { user } = signedInAs('analyst');
    const bar = await screen.findByTestId('analysis-bar');
    expectCommonBar(bar);
    expect(within(bar).queryByRole('navigation')).toBeNull();
    expect(screen.getByTestId('analysis')).toBeTruthy();
    await user.keyboard('{Alt>}3{/Alt}');
    expect(screen.queryByTestId('voc-desk')).toBeNull();
  });

  it('gives the staff member who leads a department the analysis beside the desk', async () => {
    const api = new FakeDesktopApi();
    api.session = { ...api.session, user: { ...AGENT_USER, username: 'staff1', displayName: 'staff one', role: 'staff' } };
    api.vocReference = {
      topics: [],
      departments: [{ id: 'logistics', name: 'Logistics', labels: {}, leadUserId: AGENT_USER.id, requiresApproval: false, assignment: 'lead', active: true, members: [] }],
      queues: [],
    };
    const { user } = renderApp({ api });
    const bar = await screen.findByTestId('desk-bar');
    const views = await within(bar).findByRole('navigation', { name: 'Views' });
    expect(within(views).getAllByRole('button').map((b) => b.textContent)).toEqual(['VOC desk', 'Analysis']);
    await user.keyboard('{Alt>}4{/Alt}');
    expect(await screen.findByTestId('analysis-bar')).toBeTruthy();
  });

  it("shows staff the desk with the same bar, and no other view", async () => {
    signedInAs('staff');
    const bar = await screen.findByTestId('desk-bar');
    expectCommonBar(bar);
    expect(within(bar).queryByRole('navigation')).toBeNull();
  });

  it("lists on the floor view's shortcut sheet only what works there", async () => {
    const { user } = signedInAs('supervisor', true);
    await screen.findByTestId('floor-bar');
    await user.keyboard('?');
    const sheet = await screen.findByTestId('shortcut-sheet');
    expect(within(sheet).getAllByRole('term').map((k) => k.textContent)).toEqual(['?', 'Esc', 'Alt+1', 'Alt+2', 'Alt+3', 'Alt+4']);
    await user.keyboard('{Escape}');
    await user.keyboard('{Alt>}2{/Alt}');
    await screen.findByTestId('agent-bar');
    await user.keyboard('?');
    const callsSheet = await screen.findByTestId('shortcut-sheet');
    expect(within(callsSheet).getAllByRole('term').map((k) => k.textContent)).toContain('Alt+A');
  });
});
