// The VOC analysis view: the matrix of the period with each cell's count and change, shaded by
// count; a cell (a button) opens its items below, more pages on demand; the figures beside it;
// CSV of the matrix and of the items shown; offline said plainly; English and Korean; no axe
// violations (colour contrast is left to Chromium, as in app/accessibility.test.tsx).
import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisCellItem, AnalysisView } from '../../../shared/api/analysis';
import { VOC_TYPES } from '../../../shared/domain/index';
import { captureDownloads } from '../../test-support/downloads';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { heatLevel } from './AnalysisView';
import { toCsv } from './csv';

afterEach(stopRenderedApps);

const outcome = (onTime: number, late: number, missed: number) => ({ onTime, late, missed, rate: onTime + late + missed ? onTime / (onTime + late + missed) : null });

const VIEW: AnalysisView = {
  matrix: {
    period: { from: '2026-09-07', to: '2026-12-05', days: 90 },
    previous: { from: '2026-06-09', to: '2026-09-06', days: 90 },
    split: null,
    topics: [
      { id: 'delivery.late', name: 'Delivery › Late delivery' },
      { id: null, name: 'Unclassified' },
    ],
    types: [...VOC_TYPES],
    cells: [
      { topicId: 'delivery.late', type: 'complaint', count: 12, previous: 9 },
      { topicId: 'delivery.late', type: 'praise', count: 2, previous: 4 },
      { topicId: null, type: 'inquiry', count: 5, previous: 5 },
    ],
  },
  figures: {
    raised: 19,
    wantSlipShare: 0.125,
    reopenRate: 0.05,
    satisfaction: { satisfied: 3, answered: 4, rate: 0.75 },
    raisedToTold: { told: 7, medianMinutes: 90, p90Minutes: 4320, beyondLastBucket: true },
    weekly: [
      { week: '2026-11-23', inquiry: 2, complaint: 5, praise: 1, suggestion: 0, want_slip: 0 },
      { week: '2026-11-30', inquiry: 3, complaint: 7, praise: 1, suggestion: 0, want_slip: 0 },
    ],
    rising: [{ topicId: 'delivery.late', count: 14, previous: 13, change: 1 }],
    risingRule: { minCount: 5, limit: 10 },
    compliance: [{ departmentId: 'logistics', acknowledge: outcome(9, 1, 0), resolve: outcome(3, 1, 0), notify: outcome(0, 0, 0) }],
    byTier: [
      { tier: 'regular', raised: 15, wantSlipShare: 0.1, reopenRate: 0, satisfaction: { satisfied: 2, answered: 3, rate: 2 / 3 }, raisedToTold: { told: 5, medianMinutes: 80, p90Minutes: 300, beyondLastBucket: false } },
      { tier: 'vip', raised: 4, wantSlipShare: 0.25, reopenRate: 0.25, satisfaction: { satisfied: 1, answered: 1, rate: 1 }, raisedToTold: { told: 2, medianMinutes: 120, p90Minutes: 4320, beyondLastBucket: true } },
    ],
  },
};

const item = (n: number): AnalysisCellItem => ({
  id: `0190f000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  number: `VOC-2026-${String(n).padStart(5, '0')}`,
  raisedAt: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00.000Z`,
  type: 'complaint',
  topicId: 'delivery.late',
  status: n % 2 ? 'in_progress' : 'closed',
  departmentId: 'logistics',
  customerId: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b',
  interactionId: null,
});

function supervisorApi(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
  api.analysis = VIEW;
  api.analysisCells.set('delivery.late|complaint', Array.from({ length: 60 }, (_, i) => item(60 - i)));
  api.vocReference = {
    topics: [
      { id: 'delivery', parentId: null, name: 'Delivery', labels: { ko: '배송' }, active: true },
      { id: 'delivery.late', parentId: 'delivery', name: 'Late delivery', labels: { ko: '배송 지연' }, active: true },
    ],
    departments: [{ id: 'logistics', name: 'Logistics', labels: { ko: '물류팀' }, leadUserId: null, requiresApproval: false, assignment: 'lead', active: true, members: [] }],
    queues: [{ id: 'billing-line', name: 'Billing line', labels: { ko: '요금 상담' }, dispositionCodes: [], dispositionRequired: false }],
  };
  return api;
}

/** VIEW split by value tier: the late-delivery complaints are mostly VIPs'. */
const SPLIT: AnalysisView = {
  matrix: {
    ...VIEW.matrix,
    split: 'tier',
    cells: [
      { topicId: 'delivery.late', type: 'complaint', tier: 'vip', count: 9, previous: 2 },
      { topicId: 'delivery.late', type: 'complaint', tier: 'regular', count: 3, previous: 7 },
      { topicId: 'delivery.late', type: 'praise', tier: 'regular', count: 2, previous: 4 },
      { topicId: null, type: 'inquiry', tier: null, count: 5, previous: 5 },
    ],
  },
  figures: VIEW.figures,
};

async function openAnalysis(locale: 'en' | 'ko' = 'en') {
  const rendered = renderApp({ api: supervisorApi(), locale });
  await screen.findByTestId('floor-bar');
  await rendered.user.keyboard('{Alt>}4{/Alt}');
  await screen.findByTestId('analysis-matrix');
  return rendered;
}

async function violations(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const cellOf = (topic: string, type: string) => screen.getAllByTestId('analysis-cell').find((b) => b.dataset.topic === topic && b.dataset.type === type)!;

describe('the analysis view', () => {
  it('asks for the default period once and shows every topic × type cell with its count and change, shaded by count', async () => {
    const { api } = await openAnalysis();
    expect(api.callsOf('getAnalysis')).toEqual([[{}]]);
    const matrix = screen.getByTestId('analysis-matrix');
    expect(within(matrix).getByText('Topics by VOC type, 2026-09-07 to 2026-12-05; change against 2026-06-09 to 2026-09-06')).toBeTruthy();
    // Topic names from the synced catalogue ("Category › Topic"); the unclassified row named here.
    expect(within(matrix).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['Delivery › Late delivery', 'Unclassified']);
    expect(within(matrix).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Topic', 'Inquiry', 'Complaint', 'Praise', 'Suggestion', 'Want-slip']);
    expect(screen.getAllByTestId('analysis-cell')).toHaveLength(10);

    const complaint = cellOf('delivery.late', 'complaint');
    expect(complaint.querySelector('.analysis-count')?.textContent).toBe('12');
    expect(complaint.querySelector('.analysis-change')?.textContent).toBe('+3');
    expect(complaint.parentElement?.className).toBe('heat-4');
    // The button says which cell it is and the change in words, not only by colour or sign.
    expect(complaint.textContent).toContain('Delivery › Late delivery, Complaint');
    expect(complaint.textContent).toContain('+3 against the previous period, 9 then');
    expect(cellOf('delivery.late', 'praise').querySelector('.analysis-change')?.textContent).toBe('−2');
    expect(cellOf('', 'inquiry').querySelector('.analysis-change')?.textContent).toBe('±0');
    expect(cellOf('delivery.late', 'suggestion').parentElement?.className).toBe('heat-0');
    expect(screen.getByTestId('analysis-from')).toHaveProperty('value', '2026-09-07');
  });

  it('shades by share of the largest count, an empty cell unshaded', () => {
    expect([0, 1, 3, 4, 6, 8, 11, 12].map((n) => heatLevel(n, 12))).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
    expect(heatLevel(3, 0)).toBe(0);
  });

  it('opens a cell by keyboard: its first page of items below, more on demand, for the period shown', async () => {
    const { api, user } = await openAnalysis();
    cellOf('delivery.late', 'complaint').focus();
    await user.keyboard('{Enter}');
    const items = await screen.findByTestId('analysis-items');
    expect(within(items).getByRole('heading').textContent).toBe('Delivery › Late delivery, Complaint');
    await waitFor(() => expect(within(items).getAllByTestId('analysis-item')).toHaveLength(50));
    expect(api.callsOf('getAnalysisCell')).toEqual([[{ from: '2026-09-07', to: '2026-12-05', topic: 'delivery.late', type: 'complaint', limit: 50 }]]);
    expect(cellOf('delivery.late', 'complaint').getAttribute('aria-pressed')).toBe('true');
    const first = within(items).getAllByTestId('analysis-item')[0]!;
    expect([...first.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['VOC-2026-00060', 'Complaint', 'Delivery › Late delivery', 'Closed', 'Nov 5, 2026', 'Item VOC-2026-00060Customer VOC-2026-00060']);

    await user.click(within(items).getByTestId('analysis-more'));
    await waitFor(() => expect(within(items).getAllByTestId('analysis-item')).toHaveLength(60));
    expect(api.callsOf('getAnalysisCell')[1]).toEqual([{ from: '2026-09-07', to: '2026-12-05', topic: 'delivery.late', type: 'complaint', limit: 50, after: '50' }]);
    expect(within(items).queryByTestId('analysis-more')).toBeNull();

    // An empty cell says so.
    await user.click(cellOf('', 'inquiry'));
    await waitFor(() => expect(screen.getByTestId('analysis-items').textContent).toContain('No items in this cell.'));
  });

  it('shows the figures beside the matrix, departments by their names', async () => {
    await openAnalysis();
    const figures = screen.getByTestId('analysis-figures');
    expect(within(figures).getByTestId('figure-raised').textContent).toBe('19');
    expect(within(figures).getByTestId('figure-want-slips').textContent).toBe('12.5%');
    expect(within(figures).getByTestId('figure-reopen').textContent).toBe('5%');
    expect(within(figures).getByTestId('figure-satisfaction').textContent).toBe('75% (4 answered)');
    expect(within(figures).getByTestId('figure-told-median').textContent).toBe('90 min');
    expect(within(figures).getByTestId('figure-told-p90').textContent).toBe('at least 3 days');
    const rows = within(screen.getByTestId('analysis-compliance')).getAllByRole('row');
    expect([...rows[1]!.children].map((c) => c.textContent)).toEqual(['Logistics', '90%', '75%', '—']);
  });

  it('asks again for the period chosen, and says plainly when the center cannot be reached', async () => {
    const { api, user } = await openAnalysis();
    api.failNext('getAnalysis', { code: 'offline', message: 'The Earshot center cannot be reached.' });
    await user.clear(screen.getByTestId('analysis-from'));
    await user.type(screen.getByTestId('analysis-from'), '2026-11-01');
    await user.click(screen.getByTestId('analysis-show'));
    expect((await screen.findByTestId('analysis-error')).textContent).toBe(
      'The center cannot be reached, so the analysis cannot be shown now. Try again when the connection is back.',
    );
    expect(api.callsOf('getAnalysis')[1]).toEqual([{ from: '2026-11-01', to: '2026-12-05' }]);
    await user.click(screen.getByTestId('analysis-show'));
    await waitFor(() => expect(screen.queryByTestId('analysis-error')).toBeNull());
    expect(api.callsOf('getAnalysis')).toHaveLength(3);
  });

  it('exports the matrix and the items shown as CSV, formulas made inert', async () => {
    const { user } = await openAnalysis();
    const { saved, restore } = captureDownloads();
    try {
      await user.click(screen.getByTestId('analysis-matrix-csv'));
      await waitFor(() => expect(saved).toHaveLength(1));
      expect(saved[0]!.name).toBe('voc-matrix-2026-09-07-2026-12-05.csv');
      const lines = saved[0]!.text.replace(/^\uFEFF/, '').trim().split('\n');
      expect(lines[0]).toBe('topic id,Topic,Inquiry,Inquiry (previous period),Complaint,Complaint (previous period),Praise,Praise (previous period),Suggestion,Suggestion (previous period),Want-slip,Want-slip (previous period)');
      expect(lines[1]).toBe('delivery.late,Delivery › Late delivery,0,0,12,9,2,4,0,0,0,0');
      expect(lines[2]).toBe(',Unclassified,5,5,0,0,0,0,0,0,0,0');

      await user.click(cellOf('delivery.late', 'complaint'));
      await waitFor(() => expect(screen.getAllByTestId('analysis-item')).toHaveLength(50));
      await user.click(screen.getByTestId('analysis-items-csv'));
      await waitFor(() => expect(saved).toHaveLength(2));
      expect(saved[1]!.name).toBe('voc-delivery_late-complaint-2026-09-07-2026-12-05.csv');
      const itemLines = saved[1]!.text.trim().split('\n');
      expect(itemLines).toHaveLength(51);
      expect(itemLines[1]).toBe('VOC-2026-00060,Complaint,Delivery › Late delivery,Closed,2026-11-05T09:00:00.000Z');
    } finally {
      restore();
    }
    expect((await toCsv(['a'], [['=1+1'], ['x,"y"']])).replace(/^\uFEFF/, '')).toBe(`a\n'=1+1\n"x,""y"""\n`);
  });

  it.each(['en', 'ko'] as const)('has no axe violations with a cell open (%s)', async (locale) => {
    const { user } = await openAnalysis(locale);
    await user.click(cellOf('delivery.late', 'complaint'));
    await waitFor(() => expect(screen.getAllByTestId('analysis-item')).toHaveLength(50));
    expect(await violations()).toEqual([]);
  });

  it('has no axe violations split by value tier, the trend table open (ko)', async () => {
    const { api, user } = await openAnalysis('ko');
    api.analysis = SPLIT;
    await user.click(screen.getByTestId('analysis-split'));
    await waitFor(() => expect(screen.getByTestId('analysis-matrix').dataset.split).toBe('tier'));
    await user.click(screen.getByText('표로 보기'));
    expect(screen.getAllByTestId('analysis-row-tier').map((h) => h.textContent)).toEqual(['VIP', '일반 고객', '등급 없음']);
    expect(await violations()).toEqual([]);
  });

  it('speaks Korean: topic and department names in Korean, figures and headings too', async () => {
    const { user } = await openAnalysis('ko');
    const matrix = screen.getByTestId('analysis-matrix');
    expect(within(matrix).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['배송 › 배송 지연', '미분류']);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('VOC 분석');
    expect(screen.getByTestId('figure-told-p90').textContent).toBe('3일 이상');
    const rows = within(screen.getByTestId('analysis-compliance')).getAllByRole('row');
    expect(rows[1]!.children[0]!.textContent).toBe('물류팀');
    await user.click(cellOf('delivery.late', 'complaint'));
    await waitFor(() => expect(screen.getAllByTestId('analysis-item')).toHaveLength(50));
    expect(screen.getByTestId('analysis-more').textContent).toBe('항목 더 보기');
  });

  it('asks for the scope chosen (department, queue, channel, value tier), and drills within it', async () => {
    const { api, user } = await openAnalysis();
    expect([...(screen.getByTestId('analysis-queue') as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['All', 'Billing line']);
    expect([...(screen.getByTestId('analysis-tier') as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['All', 'VIP', 'Loyal', 'Regular', 'At risk', 'New', 'No tier']);
    await user.selectOptions(screen.getByTestId('analysis-department'), 'logistics');
    await user.selectOptions(screen.getByTestId('analysis-queue'), 'billing-line');
    await user.selectOptions(screen.getByTestId('analysis-channel'), 'email');
    await user.selectOptions(screen.getByTestId('analysis-tier'), 'vip');
    await user.click(screen.getByTestId('analysis-show'));
    const scope = { department: 'logistics', queue: 'billing-line', channel: 'email', tier: 'vip' };
    await waitFor(() => expect(api.callsOf('getAnalysis')[1]).toEqual([{ from: '2026-09-07', to: '2026-12-05', ...scope }]));
    await waitFor(() => expect(screen.getByTestId('analysis-show')).toHaveProperty('disabled', false));
    await user.click(cellOf('delivery.late', 'complaint'));
    await waitFor(() => expect(api.callsOf('getAnalysisCell')).toHaveLength(1));
    expect(api.callsOf('getAnalysisCell')[0]).toEqual([{ from: '2026-09-07', to: '2026-12-05', ...scope, topic: 'delivery.late', type: 'complaint', limit: 50 }]);
    // Back to all: the scope leaves the request.
    await user.selectOptions(screen.getByTestId('analysis-tier'), '');
    await user.click(screen.getByTestId('analysis-show'));
    await waitFor(() => expect(api.callsOf('getAnalysis')[2]).toEqual([{ from: '2026-09-07', to: '2026-12-05', department: 'logistics', queue: 'billing-line', channel: 'email' }]));
  });

  it('splits the matrix and the figures by value tier: a row per topic and tier, a cell drills into its tier', async () => {
    const { api, user } = await openAnalysis();
    api.analysis = SPLIT;
    await user.click(screen.getByTestId('analysis-split'));
    await waitFor(() => expect(screen.getByTestId('analysis-matrix').dataset.split).toBe('tier'));
    expect(api.callsOf('getAnalysis')[1]).toEqual([{ from: '2026-09-07', to: '2026-12-05', split: 'tier' }]);
    const matrix = screen.getByTestId('analysis-matrix');
    expect(within(matrix).getAllByTestId('analysis-row-tier').map((h) => h.textContent)).toEqual(['VIP', 'Regular', 'No tier']);
    expect(within(matrix).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Topic', 'Value tier', 'Inquiry', 'Complaint', 'Praise', 'Suggestion', 'Want-slip']);
    const vip = screen.getAllByTestId('analysis-cell').find((b) => b.dataset.topic === 'delivery.late' && b.dataset.type === 'complaint' && b.dataset.tier === 'vip')!;
    expect(vip.querySelector('.analysis-count')?.textContent).toBe('9');
    expect(vip.querySelector('.analysis-change')?.textContent).toBe('+7');
    expect(vip.textContent).toContain('Delivery › Late delivery, VIP, Complaint');
    await user.click(vip);
    await waitFor(() => expect(api.callsOf('getAnalysisCell')).toHaveLength(1));
    expect(api.callsOf('getAnalysisCell')[0]).toEqual([{ from: '2026-09-07', to: '2026-12-05', tier: 'vip', topic: 'delivery.late', type: 'complaint', limit: 50 }]);
    expect(within(screen.getByTestId('analysis-items')).getByRole('heading').textContent).toBe('Delivery › Late delivery, VIP, Complaint');
    // The unknown-tier row drills with "none".
    await user.click(screen.getAllByTestId('analysis-cell').find((b) => b.dataset.topic === '' && b.dataset.type === 'inquiry')!);
    await waitFor(() => expect(api.callsOf('getAnalysisCell')).toHaveLength(2));
    expect(api.callsOf('getAnalysisCell')[1]![0]).toMatchObject({ tier: 'none', topic: '', type: 'inquiry' });
    // The figures: a column per tier beside the whole.
    expect(screen.getAllByTestId('analysis-tier-column').map((h) => h.textContent)).toEqual(['Regular', 'VIP']);
    expect(screen.getByTestId('figure-reopen-vip').textContent).toBe('25%');
    expect(screen.getByTestId('figure-reopen').textContent).toBe('5%');
    // Off again: one row per topic.
    api.analysis = VIEW;
    await user.click(screen.getByTestId('analysis-split'));
    await waitFor(() => expect(screen.getByTestId('analysis-matrix').dataset.split).toBe('none'));
    expect(screen.queryAllByTestId('analysis-tier-column')).toHaveLength(0);
  });

  it('shows each type per week as a chart with the same figures as a table, and the rising topics with their rule', async () => {
    await openAnalysis();
    const trend = screen.getByTestId('analysis-trend');
    // jsdom cannot draw: the chart stays undrawn, the table carries the figures.
    expect(within(trend).getByTestId('analysis-trend-chart').getAttribute('aria-label')).toContain('VOC raised per week and type, 2026-09-07 to 2026-12-05');
    const rows = within(within(trend).getByTestId('analysis-trend-table')).getAllByRole('row');
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Week of', 'Inquiry', 'Complaint', 'Praise', 'Suggestion', 'Want-slip'],
      ['2026-11-23', '2', '5', '1', '0', '0'],
      ['2026-11-30', '3', '7', '1', '0', '0'],
    ]);
    const rising = screen.getByTestId('analysis-rising');
    expect(within(rising).getByTestId('analysis-rising-rule').getAttribute('title')).toContain('only topics with at least 5 items in this period');
    expect(within(rising).getAllByTestId('analysis-rising-row').map((r) => [...r.children].map((c) => c.textContent))).toEqual([['Delivery › Late delivery', '14', '13', '+1']]);
  });

  it('opens a drilled item\'s contact on the VOC desk, and its customer in the customer view for those who take calls', async () => {
    const api = supervisorApi();
    api.session = { ...api.session, user: { ...api.session.user!, takesCalls: true } };
    const { user } = renderApp({ api });
    await screen.findByTestId('floor-bar');
    await user.keyboard('{Alt>}4{/Alt}');
    await screen.findByTestId('analysis-matrix');
    await user.click(cellOf('delivery.late', 'complaint'));
    await waitFor(() => expect(screen.getAllByTestId('analysis-item')).toHaveLength(50));
    const first = screen.getAllByTestId('analysis-item')[0]!;
    expect(within(first).getByRole('button', { name: 'Customer VOC-2026-00060' }).getAttribute('title')).toBe('Open the customer of VOC-2026-00060');
    await user.click(within(first).getByTestId('analysis-item-customer'));
    await waitFor(() => expect(api.callsOf('lookupCustomer')).toEqual([[{ customerId: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b' }]]));
    expect(screen.queryByTestId('analysis')).toBeNull();

    // Back to the analysis (the cell stays open): the contact opens the item's desk page.
    await user.keyboard('{Alt>}4{/Alt}');
    const again = (await screen.findAllByTestId('analysis-item'))[0]!;
    await user.click(within(again).getByTestId('analysis-item-contact'));
    await waitFor(() => expect(api.callsOf('getVocItem')).toEqual([[{ id: item(60).id }]]));
    expect(screen.queryByTestId('analysis')).toBeNull();
  });

  it('offers an analyst no link to a contact or a customer (no desk, no calls)', async () => {
    const api = supervisorApi();
    api.session = { ...api.session, user: { ...api.session.user!, role: 'analyst' } };
    const { user } = renderApp({ api });
    await screen.findByTestId('analysis-matrix');
    await user.click(cellOf('delivery.late', 'complaint'));
    await waitFor(() => expect(screen.getAllByTestId('analysis-item')).toHaveLength(50));
    expect(screen.queryByTestId('analysis-item-customer')).toBeNull();
    expect(screen.queryByTestId('analysis-item-contact')).toBeNull();
  });

  it('lets an analyst in to the analysis alone', async () => {
    const api = supervisorApi();
    api.session = { ...api.session, user: { ...api.session.user!, role: 'analyst' } };
    renderApp({ api });
    await screen.findByTestId('analysis-bar');
    await screen.findByTestId('analysis-matrix');
    expect(screen.queryByRole('navigation', { name: 'Views' })).toBeNull();
  });
});
