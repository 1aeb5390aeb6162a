// Improvements from the analysis view: a supervisor opens a cell, proposes an improvement for the
// whole cell or for the ticked items (one ticked item goes as `item`), the dialog refuses a proposal
// without a title or change and says the center's refusal; open improvements show as a count on
// their topic's row and in the list beside the matrix; an analyst sees no proposal controls; Korean.
import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisCellItem } from '../../../shared/api/analysis';
import type { Improvement } from '../../../shared/api/improvements';
import { VOC_TYPES } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { LOGISTICS, SUPERVISOR_USER } from '../../test-support/voc-fixtures';

afterEach(stopRenderedApps);

const item = (n: number): AnalysisCellItem => ({
  id: `0190f000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  number: `VOC-2026-${String(n).padStart(5, '0')}`,
  raisedAt: '2026-11-20T09:00:00.000Z',
  type: 'complaint',
  topicId: 'delivery.late',
  status: 'in_progress',
  departmentId: 'logistics',
  customerId: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b',
  interactionId: null,
});

export const OPEN_ONE: Improvement = {
  id: '0190f000-0000-7000-8000-00000000e0aa',
  title: 'Evening delivery slots',
  change: 'Offer 18–22 h slots in Seoul.',
  departmentId: 'logistics',
  topicId: 'delivery.late',
  targetDate: '2026-01-15',
  status: 'accepted',
  declinedReason: null,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  doneAt: null,
  linked: 4,
  told: 0,
};

function api(role: 'supervisor' | 'analyst' = 'supervisor'): FakeDesktopApi {
  const a = new FakeDesktopApi();
  a.session = { ...a.session, user: { ...SUPERVISOR_USER, role } };
  a.analysis = {
    matrix: {
      period: { from: '2026-09-07', to: '2026-12-05', days: 90 },
      previous: { from: '2026-06-09', to: '2026-09-06', days: 90 },
      split: null,
      topics: [
        { id: 'delivery.late', name: 'Delivery › Late delivery' },
        { id: 'billing.refund', name: 'Billing › Refund' },
      ],
      types: [...VOC_TYPES],
      cells: [
        { topicId: 'delivery.late', type: 'complaint', count: 3, previous: 1 },
        { topicId: 'billing.refund', type: 'inquiry', count: 2, previous: 2 },
      ],
    },
    figures: { raised: 5, wantSlipShare: null, reopenRate: null, satisfaction: { satisfied: 0, answered: 0, rate: null }, raisedToTold: { told: 0, medianMinutes: null, p90Minutes: null, beyondLastBucket: false }, compliance: [], weekly: [], rising: [], risingRule: { minCount: 5, limit: 10 }, byTier: [] },
  };
  a.analysisCells.set('delivery.late|complaint', [item(3), item(2), item(1)]);
  a.vocReference = {
    topics: [
      { id: 'delivery', parentId: null, name: 'Delivery', labels: { ko: '배송' }, active: true },
      { id: 'delivery.late', parentId: 'delivery', name: 'Late delivery', labels: { ko: '배송 지연' }, active: true },
    ],
    departments: [{ ...LOGISTICS, labels: { ko: '물류팀' } }, { ...LOGISTICS, id: 'product', name: 'Product' }],
    queues: [],
  };
  a.improvements.improvements = [OPEN_ONE, { ...OPEN_ONE, id: '0190f000-0000-7000-8000-00000000e0ab', title: 'Old one', status: 'done' }];
  return a;
}

async function openCell(fake: FakeDesktopApi, locale: 'en' | 'ko' = 'en') {
  const rendered = renderApp({ api: fake, locale });
  await screen.findByTestId(fake.session.user?.role === 'analyst' ? 'analysis-bar' : 'floor-bar');
  if (fake.session.user?.role !== 'analyst') await rendered.user.keyboard('{Alt>}4{/Alt}');
  await screen.findByTestId('analysis-matrix');
  await rendered.user.click(screen.getAllByTestId('analysis-cell').find((b) => b.dataset.topic === 'delivery.late' && b.dataset.type === 'complaint')!);
  await waitFor(() => expect(screen.getAllByTestId('analysis-item')).toHaveLength(3));
  return rendered;
}

describe('improvements in the analysis view', () => {
  it('counts open improvements on their topic row and lists them beside the matrix', async () => {
    await openCell(api());
    const badge = await screen.findByTestId('improvement-topic-badge');
    expect(badge.dataset.topic).toBe('delivery.late');
    expect(badge.textContent).toContain('1 open');
    expect(badge.textContent).toContain('Open improvements for Delivery › Late delivery: 1');
    const list = screen.getByTestId('improvements-open');
    expect(within(list).getAllByTestId('improvement-open-item').map((li) => li.querySelector('strong')?.textContent)).toEqual(['Evening delivery slots']);
    // Its target date passed without it being done.
    expect(within(list).getByTestId('improvement-overdue').textContent).toBe('Overdue');
  });

  it('proposes one for every item of the cell, with the department most of its items went to', async () => {
    const fake = api();
    const { user } = await openCell(fake);
    await user.click(screen.getByTestId('improvement-from-cell'));
    const dialog = await screen.findByTestId('improvement-dialog');
    expect(within(dialog).getByTestId('improvement-answers').textContent).toBe('It answers 3 VOC item(s): every item of the cell.');
    expect(within(dialog).getByTestId('improvement-topic').textContent).toBe('Delivery › Late delivery');
    expect((within(dialog).getByTestId('improvement-department') as HTMLSelectElement).value).toBe('logistics');
    expect(document.activeElement).toBe(within(dialog).getByTestId('improvement-title'));
    // Nothing is sent without a title and what should change.
    await user.click(within(dialog).getByTestId('improvement-submit'));
    expect(within(dialog).getByTestId('improvement-missing')).toBeTruthy();
    expect(fake.callsOf('createImprovement')).toEqual([]);
    await user.type(within(dialog).getByTestId('improvement-title'), 'Evening slots for late areas');
    await user.type(within(dialog).getByTestId('improvement-change'), 'Add evening delivery slots where parcels arrive late.');
    await user.selectOptions(within(dialog).getByTestId('improvement-department'), 'product');
    await user.type(within(dialog).getByTestId('improvement-target'), '2026-12-31');
    await user.click(within(dialog).getByTestId('improvement-submit'));
    await waitFor(() => expect(screen.queryByTestId('improvement-dialog')).toBeNull());
    expect(fake.callsOf('createImprovement')).toEqual([
      [
        {
          title: 'Evening slots for late areas',
          change: 'Add evening delivery slots where parcels arrive late.',
          departmentId: 'product',
          topicId: 'delivery.late',
          targetDate: '2026-12-31',
          from: { cell: { from: '2026-09-07', to: '2026-12-05', topic: 'delivery.late', type: 'complaint' } },
        },
      ],
    ]);
    expect(screen.getByTestId('improvement-created').textContent).toBe('Improvement “Evening slots for late areas” proposed to Product.');
    // Now two open improvements on that topic.
    await waitFor(() => expect(screen.getByTestId('improvement-topic-badge').textContent).toContain('2 open'));
  });

  it('proposes one from ticked items (one ticked item goes as that item), and says the refusal', async () => {
    const fake = api();
    const { user } = await openCell(fake);
    const boxes = screen.getAllByTestId('improvement-select');
    expect(boxes[0]!.getAttribute('aria-label')).toBe('Select VOC-2026-00003 for an improvement');
    expect((screen.getByTestId('improvement-from-selected') as HTMLButtonElement).disabled).toBe(true);
    await user.click(boxes[1]!);
    await user.click(screen.getByTestId('improvement-from-selected'));
    let dialog = await screen.findByTestId('improvement-dialog');
    expect(within(dialog).getByTestId('improvement-answers').textContent).toBe('It answers 1 VOC item(s): one item.');
    fake.failNext('createImprovement', { code: 'forbidden', message: 'Only supervisors, administrators and the lead of the owning department propose improvements.' });
    await user.type(within(dialog).getByTestId('improvement-title'), 'Call before delivery');
    await user.type(within(dialog).getByTestId('improvement-change'), 'Drivers call when late.');
    await user.click(within(dialog).getByTestId('improvement-submit'));
    expect((await within(dialog).findByTestId('improvement-error')).textContent).toContain('Not proposed: Only supervisors');
    await user.click(within(dialog).getByTestId('improvement-submit'));
    await waitFor(() => expect(screen.queryByTestId('improvement-dialog')).toBeNull());
    expect(fake.callsOf('createImprovement').at(-1)![0].from).toEqual({ item: item(2).id });

    await user.click(screen.getAllByTestId('improvement-select')[0]!);
    await user.click(screen.getAllByTestId('improvement-select')[2]!);
    await user.click(screen.getByTestId('improvement-from-selected'));
    dialog = await screen.findByTestId('improvement-dialog');
    expect(within(dialog).getByTestId('improvement-answers').textContent).toBe('It answers 2 VOC item(s): the selected items.');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('improvement-dialog')).toBeNull();
    // Another cell: nothing ticked there.
    await user.click(screen.getAllByTestId('analysis-cell').find((b) => b.dataset.topic === 'billing.refund' && b.dataset.type === 'inquiry')!);
    await waitFor(() => expect(screen.getByTestId('improvement-from-selected').textContent).toBe('Propose an improvement for 0 selected item(s)'));
  });

  it('shows an analyst the open improvements but nothing to propose with', async () => {
    await openCell(api('analyst'));
    expect(await screen.findByTestId('improvement-topic-badge')).toBeTruthy();
    expect(screen.queryByTestId('improvement-select')).toBeNull();
    expect(screen.queryByTestId('improvement-from-cell')).toBeNull();
  });

  it('speaks Korean and has no axe violations with the dialog open', async () => {
    const { user } = await openCell(api(), 'ko');
    expect(screen.getByTestId('improvement-topic-badge').textContent).toContain('진행 1건');
    await user.click(screen.getByTestId('improvement-from-cell'));
    const dialog = await screen.findByTestId('improvement-dialog');
    expect(within(dialog).getByRole('heading').textContent).toBe('개선 과제 제안');
    expect(within(dialog).getByTestId('improvement-topic').textContent).toBe('배송 › 배송 지연');
    expect(within(dialog).getByRole('option', { name: '물류팀' })).toBeTruthy();
    const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
