// The pop's open matters say where each item stands, so the agent can tell the caller without a
// transfer: number, step, department (by name, from the synced reference data), due date, overdue.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { VocItem } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { CUSTOMER_ID, makeCall, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

const item = (over: Record<string, unknown>) =>
  VocItem.parse({
    id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    customerId: CUSTOMER_ID,
    interactionId: null,
    type: 'complaint',
    topic: 'Charged twice',
    description: '',
    status: 'in_progress',
    createdBy: 'agent2',
    createdAt: '2026-11-10T02:05:00.000Z',
    ...over,
  });

const working = item({
  number: 'VOC-2026-000123',
  departmentId: 'billing',
  priority: 'urgent',
  deadlines: {
    acknowledge: { dueAt: '2026-11-10T03:00:00.000Z', metAt: '2026-11-10T02:30:00.000Z', overdue: false },
    resolve: { dueAt: '2026-11-11T02:00:00.000Z', metAt: null, overdue: true },
    notify: { dueAt: '2026-11-12T02:00:00.000Z', metAt: null, overdue: false },
  },
});
const justRaised = item({ id: '1d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', type: 'inquiry', topic: 'Opening hours', status: 'raised' });

async function pop(locale: 'en' | 'ko') {
  const api = new FakeDesktopApi();
  api.vocReference = {
    topics: [],
    queues: [],
    departments: [{ id: 'billing', name: locale === 'ko' ? '요금팀' : 'Billing team', leadUserId: null, requiresApproval: false, assignment: 'round_robin', active: true, members: [] }],
  };
  renderApp({ api, locale });
  await screen.findByTestId('waiting-for-call');
  act(() => api.emit('callOffered', { call: makeCall(), pop: makePop({ openVocItems: [working, justRaised] }) }));
  // The department's name arrives with the reference data.
  await screen.findByTestId('open-voc-department');
  return screen.getAllByTestId('open-voc-item');
}

describe('open matters on the pop', () => {
  it('shows the number, step, department, the nearest running deadline and overdue', async () => {
    const [first, second] = await pop('en');
    expect(within(first!).getByTestId('open-voc-number').textContent).toBe('VOC-2026-000123');
    expect(within(first!).getByTestId('open-voc-status').textContent).toBe('In progress');
    expect(within(first!).getByTestId('open-voc-department').textContent).toBe('Billing team');
    // The acknowledge clock was met; the resolve clock is the nearest running one.
    expect(within(first!).getByTestId('open-voc-due').textContent).toMatch(/^due Nov 11, 2026/);
    expect(within(first!).getByTestId('open-voc-overdue').textContent).toBe('Overdue');
    expect(first!.textContent).toMatch(/Urgent/);
    // An item not yet registered at the center has no number, department or deadline.
    expect(within(second!).getByTestId('open-voc-number').textContent).toBe('No number yet (not synced)');
    expect(within(second!).queryByTestId('open-voc-department')).toBeNull();
    expect(within(second!).queryByTestId('open-voc-overdue')).toBeNull();
    expect(second!.textContent).toMatch(/Raised.*raised Nov 10, 2026/);
  });

  it('reads in Korean', async () => {
    const [first] = await pop('ko');
    expect(within(first!).getByTestId('open-voc-status').textContent).toBe('처리 중');
    expect(within(first!).getByTestId('open-voc-department').textContent).toBe('요금팀');
    expect(within(first!).getByTestId('open-voc-due').textContent).toMatch(/^기한 2026\. 11\. 11\./);
    expect(within(first!).getByTestId('open-voc-overdue').textContent).toBe('기한 초과');
  });
});
