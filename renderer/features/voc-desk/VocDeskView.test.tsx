// The VOC desk as staff and supervisors use it: the list under its scope and filters (overdue first,
// a badge), live refresh on the center's pushes, offline "as of", the item page with its customer,
// contact and history, and steps sent as voc.act (one press, or a form that says what is missing).
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { BILLING, ITEM_ID, LOGISTICS, STAFF_USER, SUPERVISOR_USER, makeEntry, makePage, makeVocItem } from '../../test-support/voc-fixtures';

afterEach(stopRenderedApps);

const SECOND = 'c1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

function staffDesk(user = STAFF_USER) {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user };
  api.vocReference = { queues: [], departments: [{ ...BILLING, labels: { ko: '요금팀' } }, LOGISTICS], topics: [{ id: 'billing', parentId: null, name: 'Billing', active: true }, { id: 'billing/double-charge', parentId: 'billing', name: 'Charged twice', labels: { ko: '이중 청구' }, active: true }] };
  api.vocQueue = {
    items: [makeEntry(), makeEntry({ id: SECOND, number: 'VOC-2026-000124', topic: 'Late refund', topicId: null, status: 'in_progress', overdue: false, ownerName: 'Han Jisoo', nextDue: '2026-11-27T01:00:00.000Z', priority: 'normal' })],
    next: null,
    overdueCount: 1,
    asOf: '2026-11-25T05:07:00.000Z',
    offline: false,
  };
  api.vocPages.set(ITEM_ID, makePage());
  return api;
}

const lastQueueRequest = (api: FakeDesktopApi) => api.callsOf('getVocQueue').at(-1)![0];

describe('the VOC desk', () => {
  it('is what staff see: their items, overdue first, with a badge', async () => {
    const api = staffDesk();
    renderApp({ api });
    const rows = await screen.findAllByTestId('desk-row');
    expect(screen.queryByTestId('waiting-for-call')).toBeNull();
    expect(lastQueueRequest(api)).toEqual({ scope: 'mine', limit: 50 });
    expect(rows[0]!.textContent).toMatch(/VOC-2026-000123.*Complaint.*Charged twice.*Urgent.*Lee Minji.*Routed to a department.*Billing.*Overdue/);
    expect(rows[1]!.textContent).toMatch(/VOC-2026-000124.*Late refund \(unclassified\).*In progress.*Han Jisoo/);
    expect(screen.getByTestId('desk-overdue-badge').textContent).toBe('1');
    expect(screen.getByTestId('desk-overdue-badge').getAttribute('aria-label')).toBe('Overdue: 1');
    // Staff have no "all departments" list.
    expect(screen.queryByTestId('desk-scope-all')).toBeNull();
  });

  it('asks for the department queue under the filters chosen', async () => {
    const api = staffDesk();
    const { user } = renderApp({ api });
    await screen.findAllByTestId('desk-row');
    await user.click(screen.getByTestId('desk-scope-department'));
    await user.selectOptions(screen.getByTestId('desk-filter-department'), 'billing');
    await user.selectOptions(screen.getByTestId('desk-filter-type'), 'complaint');
    await user.selectOptions(screen.getByTestId('desk-filter-priority'), 'urgent');
    await user.selectOptions(screen.getByTestId('desk-filter-topic'), 'billing');
    await user.selectOptions(screen.getByTestId('desk-filter-step'), 'routed');
    await user.selectOptions(screen.getByTestId('desk-filter-due'), 'overdue');
    await waitFor(() =>
      expect(lastQueueRequest(api)).toEqual({ scope: 'department', departmentId: 'billing', types: ['complaint'], priorities: ['urgent'], topicId: 'billing', statuses: ['routed'], overdueOnly: true, limit: 50 }),
    );
    await user.selectOptions(screen.getByTestId('desk-filter-topic'), '__unclassified');
    await waitFor(() => expect(lastQueueRequest(api)).toMatchObject({ unclassified: true }));
    expect(lastQueueRequest(api)).not.toHaveProperty('topicId');
    await user.click(screen.getByTestId('desk-filter-clear'));
    await waitFor(() => expect(lastQueueRequest(api)).toEqual({ scope: 'department', departmentId: 'billing', limit: 50 }));
  });

  it("refreshes when the center says an item changed or passed a deadline, and shows who to tell", async () => {
    const api = staffDesk();
    renderApp({ api });
    await screen.findAllByTestId('desk-row');
    const before = api.callsOf('getVocQueue').length;
    act(() => api.emit('vocChanged', { id: ITEM_ID, number: 'VOC-2026-000123', status: 'assigned', departmentId: 'billing', ownerUserId: STAFF_USER.id }));
    await waitFor(() => expect(api.callsOf('getVocQueue').length).toBe(before + 1));
    act(() =>
      api.emit('vocOverdue', { id: SECOND, number: 'VOC-2026-000124', deadline: 'resolve', priority: 'normal', safety: false, departmentId: 'billing', dueAt: '2026-11-25T05:00:00.000Z' }),
    );
    expect((await screen.findByTestId('desk-overdue-alert')).textContent).toMatch(/VOC-2026-000124 passed its deadline \(Resolve by, Billing\)/);
    await waitFor(() => expect(api.callsOf('getVocQueue').length).toBe(before + 2));
  });

  it('says when it shows what it last saw, offline', async () => {
    const api = staffDesk();
    api.vocQueue = { ...api.vocQueue, offline: true, asOf: '2026-11-25T05:07:00.000Z' };
    renderApp({ api });
    const note = await screen.findByTestId('desk-offline');
    expect(note.textContent).toMatch(/^Offline: showing what this desk last saw, as of \d{1,2}:07/);
  });

  it('opens an item: customer, contact, deadlines, history; "take it" is one press and waits to sync', async () => {
    const api = staffDesk();
    const { user } = renderApp({ api });
    await user.click((await screen.findAllByTestId('desk-open'))[0]!);
    const page = await screen.findByTestId('desk-item');
    expect(within(page).getByTestId('desk-item-number').textContent).toBe('VOC-2026-000123');
    expect(within(page).getByTestId('desk-item-status').textContent).toBe('Routed to a department');
    expect(within(page).getByTestId('desk-item-department').textContent).toBe('Billing');
    expect(within(page).getByTestId('customer-name').textContent).toBe('Lee Minji');
    expect(within(page).getByTestId('desk-item-contact').textContent).toMatch(/^Call · .*by agent1 · billing/);
    expect(within(page).getAllByTestId('desk-item-deadline').map((d) => d.textContent)).toEqual([expect.stringMatching(/^Acknowledge by.*Overdue/), expect.stringMatching(/^Resolve by/)]);
    const history = within(page).getAllByTestId('desk-history-entry');
    expect(history[0]!.textContent).toMatch(/agent1 Raised$/);
    expect(history[1]!.textContent).toMatch(/Earshot center Routed: Raised → Routed to a department.*Billing complaints go to billing\./);
    expect(screen.getAllByTestId('desk-row')[0]!.getAttribute('aria-current')).toBe('true');

    await user.click(within(page).getByTestId('desk-step-take'));
    await waitFor(() => expect(api.callsOf('actOnVocItem')).toEqual([[{ id: ITEM_ID, expectedStatus: 'routed', action: 'take' }]]));
    expect((await screen.findByTestId('desk-item-pending')).textContent).toMatch(/^Waiting to sync/);
    expect(screen.getByTestId('desk-step-queued').textContent).toBe('Take it: saved on this computer, waiting to sync.');
    expect(screen.getByTestId('desk-item-status').textContent).toBe('Owner assigned');
  });

  it('records a result: says what is missing, sends result and remedy, and closes on Escape', async () => {
    const api = staffDesk();
    api.vocPages.set(ITEM_ID, makePage(makeVocItem({ status: 'in_progress', ownerUserId: STAFF_USER.id, ownerName: STAFF_USER.displayName }), ['handOver', 'waitForCustomer', 'recordResult', 'reclassify']));
    const { user } = renderApp({ api });
    await user.click((await screen.findAllByTestId('desk-open'))[0]!);
    await user.click(await screen.findByTestId('desk-step-recordResult'));
    const result = screen.getByTestId('desk-step-result');
    expect(document.activeElement).toBe(result);
    await user.click(screen.getByTestId('desk-step-send'));
    expect((await screen.findByTestId('desk-step-error')).textContent).toBe('Not done: Write what was found and done first.');
    expect(api.callsOf('actOnVocItem')).toHaveLength(0);
    await user.type(result, 'The second charge was a duplicate; refunded.');
    await user.type(screen.getByTestId('desk-step-remedy'), 'Refund of 12,000 won');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() =>
      expect(api.callsOf('actOnVocItem')[0]).toEqual([
        { id: ITEM_ID, expectedStatus: 'in_progress', action: 'recordResult', result: 'The second charge was a duplicate; refunded.', remedy: 'Refund of 12,000 won' },
      ]),
    );
    // Handing over asks for a department and why; Escape leaves without sending.
    api.vocPages.set(ITEM_ID, makePage(makeVocItem({ status: 'in_progress', ownerUserId: STAFF_USER.id }), ['handOver']));
    act(() => api.emit('vocChanged', { id: ITEM_ID, number: null, status: 'in_progress', departmentId: 'billing', ownerUserId: STAFF_USER.id }));
    await user.click(await screen.findByTestId('desk-step-handOver'));
    expect(within(screen.getByTestId('desk-step-department')).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose…', 'Logistics']);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('desk-step-form')).toBeNull();
    expect(api.callsOf('actOnVocItem')).toHaveLength(1);
  });

  it('reclassifies with the classification fields only, the topic from the catalogue', async () => {
    const api = staffDesk();
    api.vocPages.set(ITEM_ID, makePage(makeVocItem({ status: 'in_progress', topic: 'late refund?', topicId: null, ownerUserId: STAFF_USER.id }), ['reclassify']));
    const { user } = renderApp({ api });
    await user.click((await screen.findAllByTestId('desk-open'))[0]!);
    await user.click(await screen.findByTestId('desk-step-reclassify'));
    const form = screen.getByTestId('desk-step-form');
    expect(within(form).queryByTestId('desk-step-description')).toBeNull();
    expect(within(form).queryByTestId('desk-step-resolved')).toBeNull();
    await user.clear(within(form).getByTestId('desk-step-topic'));
    await user.type(within(form).getByTestId('desk-step-topic'), 'twice');
    await user.keyboard('{ArrowDown}{Enter}');
    await user.selectOptions(within(form).getByTestId('desk-step-priority'), 'high');
    await user.click(within(form).getByTestId('desk-step-safety'));
    await user.click(within(form).getByTestId('desk-step-send'));
    await waitFor(() =>
      expect(api.callsOf('actOnVocItem')).toEqual([
        [{ id: ITEM_ID, expectedStatus: 'in_progress', action: 'reclassify', type: 'complaint', topicId: 'billing/double-charge', priority: 'high', safety: true, wants: 'refund' }],
      ]),
    );
  });

  it("shows the desktop's refusal of a step where it was taken", async () => {
    const api = staffDesk();
    api.failNext('actOnVocItem', { code: 'conflict', message: 'This item is now assigned to an owner; someone acted on it first. Open it again to see what changed.' });
    const { user } = renderApp({ api });
    await user.click((await screen.findAllByTestId('desk-open'))[0]!);
    await user.click(await screen.findByTestId('desk-step-take'));
    expect((await screen.findByTestId('desk-step-error')).textContent).toMatch(/^Not done: This item is now assigned to an owner; someone acted on it first/);
  });

  it('says so on the item when the center later refuses the step, and where to discard it', async () => {
    const api = staffDesk();
    const MUTATION = '0190f000-0000-7000-8000-0000000000aa';
    api.handle('actOnVocItem', () => ({ mutationId: MUTATION, status: 'assigned' }));
    const { user } = renderApp({ api });
    await user.click((await screen.findAllByTestId('desk-open'))[0]!);
    await user.click(await screen.findByTestId('desk-step-take'));
    await waitFor(() => expect(api.callsOf('actOnVocItem')).toHaveLength(1));
    const reason = 'VOC-2026-000123 is now assigned to an owner; someone acted on it first. Open it again to see what changed.';
    api.syncStatus = { ...api.syncStatus, rejected: [{ mutationId: MUTATION, seq: 7, name: 'voc.act', reason, rejectedAt: '2026-11-25T05:08:00.000Z' }] };
    act(() => api.emit('syncStatus', api.syncStatus));
    expect((await screen.findByTestId('desk-step-refused')).textContent).toBe(`The center refused "Take it": ${reason} It is listed under the sync status, where you can discard it.`);
    expect(screen.queryByTestId('desk-step-queued')).toBeNull();
  });

  it('reads in Korean', async () => {
    const api = staffDesk();
    const { user } = renderApp({ api, locale: 'ko' });
    const rows = await screen.findAllByTestId('desk-row');
    // The catalogue's topic and the department by their Korean names.
    expect(rows[0]!.textContent).toMatch(/VOC-2026-000123.*불만.*이중 청구.*긴급.*부서 배정.*기한 초과/);
    expect(rows[0]!.textContent).toContain('요금팀');
    expect(screen.getByTestId('desk-scope-mine').textContent).toMatch(/^내 VOC/);
    await user.click(screen.getAllByTestId('desk-open')[0]!);
    const page = await screen.findByTestId('desk-item');
    expect(within(page).getByTestId('desk-item-status').textContent).toBe('부서 배정');
    expect(within(page).getByTestId('desk-step-take').textContent).toBe('내가 맡기');
    expect(within(page).getAllByTestId('desk-item-deadline')[0]!.textContent).toMatch(/^접수 확인 기한.*기한 초과/);
  });

  it('lets a supervisor switch between the floor view and the desk, every department included', async () => {
    const api = staffDesk(SUPERVISOR_USER);
    const { user } = renderApp({ api });
    // On the floor view, an urgent item's passed deadline shows on the way to the desk.
    await screen.findByTestId('show-desk');
    act(() => api.emit('vocOverdue', { id: ITEM_ID, number: 'VOC-2026-000123', deadline: 'acknowledge', priority: 'urgent', safety: false, departmentId: 'billing', dueAt: '2026-11-24T03:00:00.000Z' }));
    expect((await screen.findByTestId('show-desk-alerts')).getAttribute('aria-label')).toBe('Overdue alerts: 1');
    await user.click(screen.getByTestId('show-desk'));
    expect((await screen.findByTestId('desk-overdue-alert')).textContent).toMatch(/VOC-2026-000123 passed its deadline \(Acknowledge by, Billing\)/);
    await screen.findAllByTestId('desk-row');
    expect(lastQueueRequest(api)).toEqual({ scope: 'all', limit: 50 });
    expect(screen.getByTestId('desk-scope-all').getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByTestId('show-floor'));
    expect(await screen.findByTestId('supervisor-view')).toBeTruthy();
  });
});
