// "Because customers told us" on the floor: an agent's desk shows the done improvements the desktop
// kept this session when it signs in, and a new one the moment the desktop hears it, beside great
// service; each can be hidden; Korean.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImprovementShared } from '../../../shared/protocol/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { SUPERVISOR_USER } from '../../test-support/voc-fixtures';

afterEach(stopRenderedApps);

const done = (n: number, title: string): ImprovementShared => ({
  id: `0190f000-0000-7000-8000-00000000f00${n}`,
  title,
  change: 'What changed',
  departmentId: 'logistics',
  departmentName: 'Logistics',
  voices: n * 3,
  message: `Because customers told us: ${title} — Logistics.`,
  doneAt: '2026-11-25T10:00:00.000Z',
});

describe('improvements shared with the floor', () => {
  it("shows on an agent's desk what was kept and what arrives, newest first, each hideable", async () => {
    const api = new FakeDesktopApi();
    api.improvements.shared = [done(1, 'Evening delivery slots')];
    const { user } = renderApp({ api });
    const banner = await screen.findByTestId('improvements-shared');
    await waitFor(() => expect(banner.hidden).toBe(false));
    expect(within(banner).getByRole('heading').textContent).toBe('Because customers told us');
    expect(within(banner).getAllByTestId('improvements-shared-item').map((li) => li.querySelector('span')?.textContent)).toEqual([
      'Because customers told us: Evening delivery slots — Logistics (3 voice(s))',
    ]);
    act(() => api.emit('improvementsShared', { items: [done(2, 'Refund within 3 days'), done(1, 'Evening delivery slots')] }));
    await waitFor(() => expect(within(banner).getAllByTestId('improvements-shared-item')).toHaveLength(2));
    expect(within(banner).getAllByTestId('improvements-shared-item')[0]!.textContent).toContain('Refund within 3 days');
    await user.click(within(banner).getByRole('button', { name: 'Hide: Refund within 3 days' }));
    expect(within(banner).getAllByTestId('improvements-shared-item')).toHaveLength(1);
    await user.click(within(banner).getByRole('button', { name: 'Hide: Evening delivery slots' }));
    expect(banner.hidden).toBe(true);
    // An agent may not read improvements: the desktop never asks for them.
    expect(api.callsOf('listImprovements')).toEqual([]);
  });

  it("is on the supervisor's floor too, in Korean", async () => {
    const api = new FakeDesktopApi();
    api.session = { ...api.session, user: SUPERVISOR_USER };
    renderApp({ api, locale: 'ko' });
    await screen.findByTestId('floor-bar');
    const banner = screen.getByTestId('improvements-shared');
    expect(banner.hidden).toBe(true);
    await waitFor(() => expect(api.callsOf('getImprovementsShared')).toHaveLength(1));
    const asked = api.callsOf('listImprovements').length;
    act(() => api.emit('improvementsShared', { items: [done(1, '저녁 배송 시간대')] }));
    await waitFor(() => expect(banner.hidden).toBe(false));
    expect(banner.textContent).toContain('고객의 목소리로 바뀌었습니다: 저녁 배송 시간대 — Logistics (VOC 3건)');
    // What is open changed: the list is asked for again (a supervisor reads them).
    await waitFor(() => expect(api.callsOf('listImprovements').length).toBeGreaterThan(asked));
  });
});
