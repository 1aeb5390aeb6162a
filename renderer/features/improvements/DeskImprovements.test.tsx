// The VOC desk's Improvements tab: department staff see their departments' improvements (status,
// target date, overdue said), move one on with only the buttons they are allowed (a member works it,
// the lead accepts or declines, and declining asks why), link more of the desk's items, and once done
// record each customer as told; what other desks do shows without reopening; Korean.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Improvement } from '../../../shared/api/improvements';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { BILLING, ITEM_ID, LOGISTICS, STAFF_USER, makeEntry } from '../../test-support/voc-fixtures';

afterEach(stopRenderedApps);

const LINKED = '0190f000-0000-7000-8000-0000000000c1';
const CUSTOMER = '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b';
const base: Improvement = {
  id: '0190f000-0000-7000-8000-00000000e0b1',
  title: 'Refund within 3 days',
  change: 'Approve refunds under 50,000 won without a second check.',
  departmentId: 'billing',
  topicId: 'billing',
  targetDate: '2099-12-31',
  status: 'accepted',
  declinedReason: null,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  doneAt: null,
  linked: 1,
  told: 0,
};

function desk(lead = false): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: STAFF_USER };
  api.vocReference = { queues: [], departments: [{ ...BILLING, leadUserId: lead ? STAFF_USER.id : null, labels: { ko: '요금팀' } }, LOGISTICS], topics: [] };
  api.vocQueue = { items: [makeEntry()], next: null, overdueCount: 0, asOf: '2026-11-25T05:07:00.000Z', offline: false };
  const f = api.improvements;
  f.improvements = [
    base,
    { ...base, id: '0190f000-0000-7000-8000-00000000e0b2', title: 'Clearer bill', status: 'proposed', targetDate: '2020-01-31' },
    { ...base, id: '0190f000-0000-7000-8000-00000000e0b3', title: 'Faster trucks', departmentId: 'logistics' },
  ];
  f.items.set(base.id, [{ id: LINKED, number: 'VOC-2026-000100', type: 'complaint', topicId: 'billing', status: 'closed', raisedAt: '2026-11-02T10:00:00.000Z', toldAt: null }]);
  f.customers.set(base.id, [{ customerId: CUSTOMER, name: 'Kim Minsu', phone: '+821012345678', email: 'minsu@example.com', items: [LINKED], numbers: ['VOC-2026-000100'], told: false }]);
  return api;
}

async function openTab(api: FakeDesktopApi, locale: 'en' | 'ko' = 'en') {
  const rendered = renderApp({ api, locale });
  await screen.findAllByTestId('desk-row');
  await rendered.user.click(screen.getByTestId('desk-tab-improvements'));
  await waitFor(() => expect(screen.getAllByTestId('improvement-row').length).toBeGreaterThan(0));
  return rendered;
}

const openOne = async (user: Awaited<ReturnType<typeof openTab>>['user'], title: string) => {
  await user.click(screen.getAllByTestId('improvement-open').find((b) => b.textContent === title)!);
  return screen.findByTestId('improvement-page');
};

describe("the desk's improvements", () => {
  it("lists a member's departments' improvements with target date and overdue, and lets them work one to done and tell its customers", async () => {
    const api = desk();
    const { user } = await openTab(api);
    expect(screen.queryByTestId('desk-list')).toBeNull();
    const rows = screen.getAllByTestId('improvement-row');
    // Billing's only: the logistics one is another department's.
    expect(rows.map((r) => r.querySelector('button')?.textContent)).toEqual(['Refund within 3 days', 'Clearer bill']);
    expect(within(rows[0]!).getByTestId('improvement-due').textContent).toBe('Target Dec 31, 2099');
    expect(within(rows[0]!).queryByTestId('improvement-overdue')).toBeNull();
    expect(within(rows[1]!).getByTestId('improvement-overdue').textContent).toBe('Overdue');

    // Proposed: accepting and declining are the lead's; a member has no button.
    let page = await openOne(user, 'Clearer bill');
    // Loaded (a member may link items to it), yet no move offered.
    await within(page).findByTestId('improvement-link-more');
    expect(within(page).queryByTestId('improvement-move-accepted')).toBeNull();
    expect(within(page).queryByTestId('improvement-move-declined')).toBeNull();

    await openOne(user, 'Refund within 3 days');
    await waitFor(() => expect(within(screen.getByTestId('improvement-page')).getByRole('heading', { level: 2 }).textContent).toBe('Refund within 3 days'));
    page = screen.getByTestId('improvement-page');
    expect(within(page).getByTestId('improvement-page-change').textContent).toContain('50,000 won');
    expect(within(page).getAllByTestId('improvement-item').map((r) => r.querySelector('td')?.textContent)).toEqual(['VOC-2026-000100']);
    await user.click(within(page).getByTestId('improvement-move-in_progress'));
    await waitFor(() => expect(within(screen.getByTestId('improvement-page')).getByTestId('improvement-status').textContent).toBe('In progress'));
    expect(api.callsOf('setImprovementStatus')).toEqual([[{ id: base.id, status: 'in_progress' }]]);
    await user.click(screen.getByTestId('improvement-move-done'));
    const customers = await screen.findByTestId('improvement-customers');
    expect(within(customers).getByRole('heading', { level: 3 }).textContent).toContain('0 of 1 told');
    const card = await within(customers).findByTestId('improvement-customer');
    expect(card.textContent).toContain('Kim Minsu');
    expect(card.textContent).toContain('minsu@example.com');
    expect(card.textContent).toContain('VOC-2026-000100');
    await user.click(within(card).getByTestId('improvement-told-sms'));
    await waitFor(() => expect(within(screen.getByTestId('improvement-customer')).getByTestId('improvement-customer-told')).toBeTruthy());
    expect(api.callsOf('recordImprovementTold')).toEqual([[{ id: base.id, items: [LINKED], via: 'sms' }]]);
    expect(within(screen.getByTestId('improvement-customers')).getByRole('heading', { level: 3 }).textContent).toContain('1 of 1 told');
    // Done: no more moves.
    expect(screen.queryByTestId('improvement-move-declined')).toBeNull();
  });

  it("lets the lead accept, or decline only with a reason; the center's refusal is said", async () => {
    const api = desk(true);
    const { user } = await openTab(api);
    // A lead reads every department's improvements; the list starts at their own.
    expect(screen.getAllByTestId('improvement-row')).toHaveLength(2);
    await user.selectOptions(screen.getByTestId('improvement-filter-department'), 'all');
    expect(screen.getAllByTestId('improvement-row')).toHaveLength(3);
    let page = await openOne(user, 'Clearer bill');
    await within(page).findByTestId('improvement-move-accepted');
    await user.click(within(page).getByTestId('improvement-move-declined'));
    const send = screen.getByTestId('improvement-decline-send') as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    expect(screen.getByTestId('improvement-decline-form').textContent).toContain('Say why it is declined.');
    await user.type(screen.getByTestId('improvement-decline-reason'), 'Bills are set by law.');
    api.failNext('setImprovementStatus', { code: 'conflict', message: 'An improvement that is declined cannot become declined.' });
    await user.click(send);
    expect((await screen.findByTestId('improvement-act-error')).textContent).toBe('Not changed: An improvement that is declined cannot become declined.');
    await user.click(screen.getByTestId('improvement-decline-send'));
    await waitFor(() => expect(screen.getByTestId('improvement-declined-reason').textContent).toBe('Declined: Bills are set by law.'));
    expect(api.callsOf('setImprovementStatus').at(-1)).toEqual([{ id: '0190f000-0000-7000-8000-00000000e0b2', status: 'declined', reason: 'Bills are set by law.' }]);
    page = screen.getByTestId('improvement-page');
    expect(within(page).queryByTestId('improvement-link-more')).toBeNull();
  });

  it('follows what another desk did: a new proposal is listed and the open one shows its new step', async () => {
    const api = desk();
    const { user } = await openTab(api);
    await openOne(user, 'Refund within 3 days');
    await waitFor(() => expect(within(screen.getByTestId('improvement-page')).getByTestId('improvement-status').textContent).toBe('Accepted'));
    // At the center, someone else proposes one and moves this one on.
    const fresh = { ...base, id: '0190f000-0000-7000-8000-00000000e0b4', title: 'Refund date on the bill', status: 'proposed' as const };
    api.improvements.improvements = [{ ...base, status: 'in_progress' }, api.improvements.improvements[1]!, fresh, api.improvements.improvements[2]!];
    api.emit('improvementChanged', { id: fresh.id, status: 'proposed', departmentId: 'billing' });
    await waitFor(() => expect(screen.getAllByTestId('improvement-open').map((b) => b.textContent)).toContain('Refund date on the bill'));
    api.emit('improvementChanged', { id: base.id, status: 'in_progress', departmentId: 'billing' });
    await waitFor(() => expect(within(screen.getByTestId('improvement-page')).getByTestId('improvement-status').textContent).toBe('In progress'));
  });

  it("links more of the desk's items", async () => {
    const api = desk();
    const { user } = await openTab(api);
    const page = await openOne(user, 'Refund within 3 days');
    await user.click(await within(page).findByTestId('improvement-link-more'));
    const boxes = screen.getAllByTestId('improvement-link-item');
    expect(boxes).toHaveLength(1);
    expect((screen.getByTestId('improvement-link-send') as HTMLButtonElement).disabled).toBe(true);
    await user.click(boxes[0]!);
    await user.click(screen.getByTestId('improvement-link-send'));
    await waitFor(() => expect(screen.getAllByTestId('improvement-item')).toHaveLength(2));
    expect(api.callsOf('linkImprovementItems')).toEqual([[{ id: base.id, items: [ITEM_ID] }]]);
    expect(screen.queryByTestId('improvement-link-form')).toBeNull();
  });

  it('speaks Korean', async () => {
    const { user } = await openTab(desk(), 'ko');
    expect(screen.getByTestId('desk-tab-improvements').textContent).toBe('개선 과제');
    const page = await openOne(user, 'Refund within 3 days');
    expect((await within(page).findByTestId('improvement-move-in_progress')).textContent).toBe('작업 시작');
    expect(within(page).getByTestId('improvement-status').textContent).toBe('수락됨');
  });
});
