// The history as the agent uses it: filter by channel and VOC type, expand a contact's notes, and
// a long history rendered a window at a time.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { raisedVocItem, type HistoryItem } from '../../../shared/domain/index';
import { CUSTOMER_ID, makeCall, makeHistoryItem, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

const complaint = raisedVocItem(
  { id: '11111111-2222-4333-8444-555555555555', customerId: CUSTOMER_ID, interactionId: null, type: 'complaint', topic: 'Billing', description: 'Charged twice' },
  'agent3',
  '2026-11-05T01:05:00.000Z',
);

async function popWith(history: HistoryItem[]) {
  const view = renderApp();
  await screen.findByTestId('waiting-for-call');
  act(() => view.api.emit('callOffered', { call: makeCall(), pop: makePop({ history }) }));
  await screen.findByTestId('screen-pop');
  return view;
}

describe('history', () => {
  it('filters by channel and by VOC type', async () => {
    const { user } = await popWith([
      makeHistoryItem({ channel: 'call', startedAt: '2026-11-10T00:00:00.000Z' }),
      makeHistoryItem({ channel: 'email', startedAt: '2026-11-05T00:00:00.000Z', vocItems: [complaint] }),
      makeHistoryItem({ channel: 'chat', startedAt: '2026-11-01T00:00:00.000Z' }),
    ]);
    expect(screen.getAllByTestId('history-item')).toHaveLength(3);

    await user.selectOptions(screen.getByTestId('history-filter-channel'), 'email');
    let rows = screen.getAllByTestId('history-item');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toMatch(/^Email/);

    await user.selectOptions(screen.getByTestId('history-filter-channel'), 'all');
    await user.selectOptions(screen.getByTestId('history-filter-voc'), 'complaint');
    rows = screen.getAllByTestId('history-item');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toMatch(/Complaint/);

    await user.selectOptions(screen.getByTestId('history-filter-voc'), 'praise');
    expect(screen.queryAllByTestId('history-item')).toHaveLength(0);
    expect(screen.getByText('No contacts match these filters.')).toBeTruthy();
  });

  it('shows a note excerpt that expands to the full notes', async () => {
    const long = 'The customer explained at length that the parcel was left outside in the rain and the contents were damaged beyond use.';
    const { user } = await popWith([
      makeHistoryItem({
        notes: [
          {
            id: '22222222-3333-4444-8555-666666666666',
            customerId: CUSTOMER_ID,
            interactionId: null,
            author: 'agent2',
            text: long,
            revision: 1,
            createdAt: '2026-11-10T02:01:00.000Z',
            updatedAt: '2026-11-10T02:01:00.000Z',
          },
        ],
      }),
    ]);
    const row = screen.getByTestId('history-item');
    expect(row.textContent).toContain('The customer explained at length');
    expect(row.textContent).not.toContain('damaged beyond use');

    const toggle = within(row).getByRole('button', { name: 'Notes (1)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(within(screen.getByTestId('history-item')).getByTestId('history-notes').textContent).toContain('damaged beyond use');
    expect(within(screen.getByTestId('history-item')).getByRole('button', { name: 'Notes (1)' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('renders a long history a window at a time', async () => {
    const history = Array.from({ length: 50 }, (_, i) =>
      makeHistoryItem({ startedAt: new Date(Date.UTC(2026, 10, 20) - i * 86_400_000).toISOString(), disposition: `code-${i}` }),
    );
    await popWith(history);
    const rows = screen.getAllByTestId('history-item');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(50);
    expect(rows[0]?.textContent).toContain('code-0');
    expect(screen.getByText('50 of 50 contacts')).toBeTruthy();
  });

  it('keeps rows in normal flow (never overlapping) and sizes the space above the window by the measured heights', async () => {
    // jsdom has no layout: rows get a height by their text length, as wrapping would in a browser,
    // and a ResizeObserver that reports each observed row once, as Chromium does after layout.
    const proto = HTMLElement.prototype;
    const original = Object.getOwnPropertyDescriptor(proto, 'offsetHeight')!;
    Object.defineProperty(proto, 'offsetHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.dataset.testid === 'history-item' ? 60 + 20 * Math.floor((this.textContent ?? '').length / 100) : 0;
      },
    });
    class ReportOnce {
      constructor(private readonly callback: () => void) {}
      observe() {
        queueMicrotask(() => act(() => this.callback()));
      }
      disconnect() {}
    }
    vi.stubGlobal('ResizeObserver', ReportOnce);
    try {
      const long = 'The caller went through every step of the failed delivery, and then through it again. '.repeat(3);
      const history = Array.from({ length: 50 }, (_, i) => makeHistoryItem(i === 0 ? { subject: long, disposition: 'code-0' } : { disposition: `code-${i}` }));
      await popWith(history);
      const rows = screen.getAllByTestId('history-item');
      const first = rows[0]!.offsetHeight;
      expect(first).toBeGreaterThan(60);
      // No row is placed by hand: each follows the one above, however tall it turns out.
      expect(rows.every((r) => r.style.position === '' && r.style.top === '')).toBe(true);
      expect(rows[0]!.style.height).toBe('');
      // Scrolled past the tall first row: the space kept above the window is its measured height
      // plus the other rows above, not 60 px each.
      const viewport = screen.getByRole('region', { name: 'Contacts, newest first' });
      await vi.waitFor(() => {
        viewport.scrollTop = 1200;
        act(() => viewport.dispatchEvent(new Event('scroll')));
        const shown = screen.getAllByTestId('history-item');
        const start = Number(shown[0]!.getAttribute('aria-posinset')) - 1;
        expect(start).toBeGreaterThan(1);
        expect(parseFloat(screen.getByTestId('history').style.paddingTop)).toBe(first + 60 * (start - 1));
      });
    } finally {
      vi.unstubAllGlobals();
      Object.defineProperty(proto, 'offsetHeight', original);
    }
  });
});
