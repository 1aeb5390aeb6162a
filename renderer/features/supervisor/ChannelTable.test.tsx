// Chats and emails in the supervisor view: per queue and channel waiting now, the oldest wait, held and
// first response, chats coloured by the queue's thresholds; no table from a center without the figures;
// Korean; a push re-renders only the queue it changed; the capacity dialog reads, validates and saves,
// and hears another supervisor's change.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelQueueFigures, ChannelsOfQueue, PeriodFigures, QueueCapacitiesSet, QueueMetrics } from '../../../shared/protocol/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { AGENT_USER } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { renderProbe } from './render-probe';

afterEach(() => {
  renderProbe.onRow = null;
  stopRenderedApps();
});

const AT = '2026-11-25T10:00:00.000Z';
const figures = (over: Partial<PeriodFigures> = {}): PeriodFigures => ({
  from: '2026-11-25T09:30:00.000Z', offered: 40, answered: 38, abandoned: 2, shortAbandoned: 0, abandonedAfterT: 2, answeredWithinT: 34, serviceLevel: 0.85,
  asaSec: 14, handled: 35, ahtSec: 290, avgTalkSec: 200, avgHoldSec: 20, avgWrapUpSec: 70, abandonRate: 0.05, occupancy: 0.8, ...over,
});
const none: ChannelQueueFigures = { waitingNow: 0, longestWaitSec: 0, active: 0, firstResponseSec: null };
const queue = (id: string, channels?: ChannelsOfQueue): QueueMetrics => ({
  queue: id, at: AT, timeZone: 'UTC', serviceLevel: { formula: 'abandons_excluded', expression: 'answered_within_T / answered', thresholdSec: 20 },
  shortAbandonSec: 5, windowMin: 30, waitingNow: 0, longestWaitSec: 0, window: figures(), today: figures(), buckets: {}, agentsByState: {}, agents: {},
  ...(channels && { channels }),
});
const salesChannels: ChannelsOfQueue = {
  chat: { waitingNow: 12, longestWaitSec: 75, active: 5, firstResponseSec: 42 },
  email: { waitingNow: 30, longestWaitSec: 7_530, active: 2, firstResponseSec: null },
};
const defaults = { chat: { capacity: 3, interruptible: false, custom: false }, email: { capacity: 2, interruptible: true, custom: false } };
const capacities = (over: Partial<QueueCapacitiesSet['queues']> = {}): QueueCapacitiesSet => ({ defaults, queues: { sales: defaults, support: defaults, ...over } as QueueCapacitiesSet['queues'] });

function supervisorApi(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
  api.queueMetrics = { at: AT, queues: { sales: queue('sales', salesChannels), support: queue('support', { chat: none, email: none }) } };
  api.queueCapacities = capacities();
  return api;
}
const rowOf = async (q: string, channel: string) =>
  (await screen.findAllByTestId('channel-row')).find((r) => r.getAttribute('data-queue') === q && r.getAttribute('data-channel') === channel)!;
const cells = (row: HTMLElement) => ['channel-waiting', 'channel-oldest', 'channel-active', 'channel-first-response'].map((id) => within(row).getByTestId(id).textContent);

describe('chats and emails in the supervisor view', () => {
  it('shows waiting now, the oldest wait, held and first response per queue and channel, chats coloured by the thresholds', async () => {
    renderApp({ api: supervisorApi() });
    const chat = await rowOf('sales', 'chat');
    expect(cells(chat)).toEqual(['12', '1:15', '5', '42 s']);
    // 12 chats waiting and 75 s: past the default red (10) and amber (60 s).
    expect(within(chat).getByTestId('channel-waiting').getAttribute('data-level')).toBe('red');
    expect(within(chat).getByTestId('channel-oldest').getAttribute('data-level')).toBe('amber');
    const email = await rowOf('sales', 'email');
    expect(cells(email)).toEqual(['30', '2:05:30', '2', '–']);
    // Emails are answered in hours: no call limits on them.
    expect(within(email).getByTestId('channel-waiting').getAttribute('data-level')).toBe('ok');
    expect(cells(await rowOf('support', 'chat'))).toEqual(['0', '–', '0', '–']);
    const table = screen.getByTestId('channel-table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Queue', 'Channel', 'Waiting now', 'Oldest', 'Held', 'First response', 'Capacity']);
  });

  it('shows no chat and email table for queues without the figures (an older center)', async () => {
    const api = supervisorApi();
    api.queueMetrics = { at: AT, queues: { sales: queue('sales'), support: queue('support') } };
    renderApp({ api });
    await screen.findAllByTestId('queue-row');
    expect(screen.queryByTestId('channel-table')).toBeNull();
    // One queue with figures: only its rows.
    act(() => api.emit('queueMetrics', { at: AT, queues: { sales: queue('sales', salesChannels), support: queue('support') } }));
    expect((await screen.findAllByTestId('channel-row')).map((r) => r.getAttribute('data-queue'))).toEqual(['sales', 'sales']);
  });

  it('speaks Korean', async () => {
    renderApp({ api: supervisorApi(), locale: 'ko' });
    const table = await screen.findByTestId('channel-table');
    expect(table.querySelector('caption')?.textContent).toBe('채팅과 이메일');
    expect(within(await rowOf('sales', 'chat')).getByRole('rowheader', { name: '채팅' })).toBeTruthy();
    expect(within(table).getByRole('button', { name: 'sales 대기열의 채팅·이메일 동시 처리량 설정' })).toBeTruthy();
  });

  it('re-renders only the queue whose chat or email figures changed', async () => {
    const api = supervisorApi();
    renderApp({ api });
    await rowOf('sales', 'chat');
    const renders: string[] = [];
    renderProbe.onRow = (kind, id) => kind === 'channels' && renders.push(id);
    act(() => api.emit('queueMetrics', { at: AT, queues: { sales: queue('sales', { ...salesChannels, chat: { ...salesChannels.chat, waitingNow: 13 } }), support: queue('support', { chat: none, email: none }) } }));
    expect(cells(await rowOf('sales', 'chat'))[0]).toBe('13');
    expect(renders).toEqual(['sales']);
  });
});

describe('chat and email capacity', () => {
  it('opens with the queue’s capacity, refuses what is out of range, saves only what changed', async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Set chat and email capacity for queue sales' }));
    const dialog = screen.getByTestId('capacity-dialog');
    const chat = within(dialog).getByTestId('capacity-chat') as HTMLInputElement;
    expect(chat.value).toBe('3');
    expect((within(dialog).getByTestId('capacity-email') as HTMLInputElement).value).toBe('2');
    expect((within(dialog).getByTestId('capacity-email-interruptible') as HTMLInputElement).checked).toBe(true);
    expect(within(dialog).getByText('default 3')).toBeTruthy();
    await user.clear(chat);
    await user.type(chat, '51');
    await user.click(within(dialog).getByTestId('save-capacity'));
    expect(within(dialog).getByRole('alert').textContent).toBe('Enter a whole number from 1 to 50 for chat and for email.');
    expect(api.callsOf('setQueueCapacity')).toEqual([]);
    await user.clear(chat);
    await user.type(chat, '5');
    await user.click(within(dialog).getByTestId('save-capacity'));
    await expect.poll(() => screen.queryByTestId('capacity-dialog')).toBeNull();
    expect(api.callsOf('setQueueCapacity')).toEqual([[{ queue: 'sales', channel: 'chat', capacity: 5, interruptible: false }]]);
    expect(screen.getByTestId('capacity-result').textContent).toBe('Capacity of queue sales saved.');
    expect(screen.getByRole('button', { name: 'Set chat and email capacity for queue sales' }).textContent).toBe('Capacity (custom)');
  });

  it('says why the center refused, and keeps the dialog open', async () => {
    const api = supervisorApi();
    api.failNext('setQueueCapacity', { code: 'forbidden', message: 'Only supervisors can do this. Sign in with a supervisor account.' });
    const { user } = renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Set chat and email capacity for queue support' }));
    const email = within(screen.getByTestId('capacity-dialog')).getByTestId('capacity-email-interruptible');
    await user.click(email);
    await user.click(screen.getByTestId('save-capacity'));
    await expect.poll(() => screen.getByTestId('capacity-result').textContent).toBe('Capacity not saved: Only supervisors can do this. Sign in with a supervisor account.');
    expect(screen.getByTestId('capacity-dialog')).toBeTruthy();
    expect(api.callsOf('setQueueCapacity')).toEqual([[{ queue: 'support', channel: 'email', capacity: 2, interruptible: false }]]);
  });

  it("hears another supervisor's change", async () => {
    const api = supervisorApi();
    const { user } = renderApp({ api });
    const button = await screen.findByRole('button', { name: 'Set chat and email capacity for queue support' });
    expect(button.textContent).toBe('Capacity');
    act(() => api.emit('queueCapacities', capacities({ support: { ...defaults, chat: { capacity: 6, interruptible: false, custom: true } } })));
    await expect.poll(() => button.textContent).toBe('Capacity (custom)');
    await user.click(button);
    expect((within(screen.getByTestId('capacity-dialog')).getByTestId('capacity-chat') as HTMLInputElement).value).toBe('6');
  });
});
