// Follow-up calls as an agent works them beside their calls: the preview card, Call (then the
// outcome, sent as voc.act and working offline), Reschedule and Skip — in English and Korean.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskFollowUp } from '../../../shared/api/voc';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { CUSTOMER_ID } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { ITEM_ID } from '../../test-support/voc-fixtures';

afterEach(stopRenderedApps);

const TASK: DeskFollowUp = {
  id: 'f1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  vocId: ITEM_ID,
  number: 'VOC-2026-000123',
  customerId: CUSTOMER_ID,
  customerName: 'Lee Minji',
  phone: '+821012345678',
  type: 'complaint',
  topic: 'Charged twice',
  result: 'The second charge was a duplicate; refunded.',
  remedy: 'Refund of 12,000 won',
  dueAt: '2026-11-25T01:00:00.000Z',
  attempts: 0,
  maxAttempts: 3,
  state: 'open',
  claimedBy: null,
  pendingOutcome: null,
};

function withTasks(tasks: DeskFollowUp[] = [TASK]) {
  const api = new FakeDesktopApi();
  api.followUps = { tasks, asOf: '2026-11-25T05:07:00.000Z', offline: false };
  return api;
}

describe('follow-up calls', () => {
  it('previews the call: customer, item, result and remedy, what to ask', async () => {
    renderApp({ api: withTasks() });
    const card = await screen.findByTestId('followup-card');
    expect(card.textContent).toMatch(/Lee Minji.*010-1234-5678.*Complaint.*VOC-2026-000123.*Charged twice/);
    expect(card.textContent).toMatch(/Result: The second charge was a duplicate; refunded\..*Remedy given to the customer: Refund of 12,000 won/);
    expect(within(card).getByTestId('followup-ask').textContent).toBe('Ask whether the answer settled the matter for them.');
    expect(card.textContent).toMatch(/attempt 1 of 3/);
  });

  it('calls, then records "dissatisfied" with what is still wrong, which reopens the item', async () => {
    const api = withTasks();
    const { user } = renderApp({ api });
    await user.click(await screen.findByTestId('followup-call'));
    await waitFor(() => expect(api.callsOf('callFollowUp')).toEqual([[{ id: TASK.id }]]));
    const form = await screen.findByTestId('followup-outcome-form');
    expect(document.activeElement).toBe(within(form).getByTestId('followup-outcome-satisfied'));
    await user.click(within(form).getByTestId('followup-outcome-dissatisfied'));
    await user.click(within(form).getByTestId('followup-save'));
    expect((await screen.findByTestId('followup-error')).textContent).toMatch(/Say what the customer is still unhappy about/);
    expect(api.callsOf('actOnVocItem')).toHaveLength(0);
    await user.type(within(form).getByTestId('followup-reason'), 'Still charged twice on the new statement');
    await user.click(within(form).getByTestId('followup-save'));
    await waitFor(() =>
      expect(api.callsOf('actOnVocItem')).toEqual([
        [{ id: ITEM_ID, expectedStatus: 'follow_up', action: 'followUpOutcome', outcome: 'dissatisfied', reason: 'Still charged twice on the new statement' }],
      ]),
    );
    await waitFor(() => expect(screen.queryByTestId('followup-outcome-form')).toBeNull());
    // The list is asked for again once the outcome is queued.
    await waitFor(() => expect(api.callsOf('getFollowUps').length).toBeGreaterThanOrEqual(2));
  });

  it('asks again when an item the agent raised reaches its happy call', async () => {
    const api = withTasks([]);
    renderApp({ api });
    await screen.findByText('No follow-up calls due.');
    const asked = api.callsOf('getFollowUps').length;
    api.followUps = { ...api.followUps, tasks: [TASK] };
    act(() => api.emit('vocChanged', { id: ITEM_ID, number: 'VOC-2026-000123', status: 'follow_up', departmentId: 'logistics', ownerUserId: null }));
    await screen.findByTestId('followup-card');
    expect(api.callsOf('getFollowUps').length).toBe(asked + 1);
    // Another change to an item not in the list asks nothing.
    act(() => api.emit('vocChanged', { id: 'd1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', number: null, status: 'in_progress', departmentId: 'logistics', ownerUserId: null }));
    await new Promise((r) => setTimeout(r, 300));
    expect(api.callsOf('getFollowUps').length).toBe(asked + 1);
  });

  it('says why a call was not placed', async () => {
    const api = withTasks();
    api.failNext('callFollowUp', { code: 'offline', message: 'You are offline: follow-up calls can be placed when the connection returns.' });
    const { user } = renderApp({ api });
    await user.click(await screen.findByTestId('followup-call'));
    expect((await screen.findByTestId('followup-call-error')).textContent).toBe(
      'The call was not placed: You are offline: follow-up calls can be placed when the connection returns.',
    );
    expect(screen.queryByTestId('followup-outcome-form')).toBeNull();
  });

  it('reschedules to a time and skips with a reason', async () => {
    const second = { ...TASK, id: 'f2b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', number: 'VOC-2026-000124' };
    const api = withTasks([TASK, second]);
    const { user } = renderApp({ api });
    const [first] = await screen.findAllByTestId('followup-card');
    await user.click(within(first!).getByTestId('followup-reschedule'));
    const at = screen.getByTestId('followup-reschedule-at') as HTMLInputElement;
    await user.clear(at);
    await user.type(at, '2026-11-26T10:30');
    await user.click(screen.getByTestId('followup-save'));
    await waitFor(() => expect(api.callsOf('rescheduleFollowUp')).toEqual([[{ id: TASK.id, at: new Date('2026-11-26T10:30').toISOString() }]]));
    await waitFor(() => expect(screen.getAllByTestId('followup-card')).toHaveLength(1));
    await user.click(screen.getByTestId('followup-skip'));
    await user.click(screen.getByTestId('followup-save'));
    expect((await screen.findByTestId('followup-error')).textContent).toBe('Not saved: Say why it is skipped.');
    await user.type(screen.getByTestId('followup-reason'), 'Customer asked to be called next week');
    await user.click(screen.getByTestId('followup-save'));
    await waitFor(() => expect(api.callsOf('skipFollowUp')).toEqual([[{ id: second.id, reason: 'Customer asked to be called next week' }]]));
    expect(await screen.findByText('No follow-up calls due.')).toBeTruthy();
  });

  it('shows an outcome recorded offline as waiting to sync, and reads in Korean', async () => {
    renderApp({ api: withTasks([{ ...TASK, pendingOutcome: 'satisfied' }]), locale: 'ko' });
    const card = await screen.findByTestId('followup-card');
    expect(within(card).getByTestId('followup-pending').textContent).toBe('결과 기록됨(만족), 동기화 대기 중.');
    expect(within(card).queryByTestId('followup-call')).toBeNull();
    expect(within(card).getByTestId('followup-ask').textContent).toBe('답변으로 문제가 해결되었는지 여쭤보세요.');
    expect(screen.getByRole('heading', { name: /해피콜/ })).toBeTruthy();
  });
});
