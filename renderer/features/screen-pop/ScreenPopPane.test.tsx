// The screen pop as the agent sees it: the caller's name, value, flags, open matters and history on
// `callOffered`; "New caller" for unknown numbers; the center's fresher pop replacing the local one.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Queue } from '../../../shared/domain/index';
import { desktopReconnected } from '../../app/actions';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { makeCall, makeCustomer, makeHistoryItem, makePop } from '../../test-support/fixtures';

afterEach(stopRenderedApps);

const BILLING: Queue = {
  id: 'billing',
  name: 'Billing and payments',
  labels: { ko: '요금·결제' },
  dispositionRequired: false,
  dispositionCodes: [{ code: 'resolved', label: 'Resolved', labels: { ko: '해결' } }],
};

describe('screen pop', () => {
  it('waits for a call, then pops the caller with value, flags, open VOC and history', async () => {
    const api = new FakeDesktopApi();
    api.vocReference = { topics: [], departments: [], queues: [BILLING] };
    renderApp({ api });
    expect(await screen.findByTestId('waiting-for-call')).toBeTruthy();

    api.emit('callOffered', { call: makeCall(), pop: makePop() });

    const pane = await screen.findByTestId('screen-pop');
    expect(within(pane).getByTestId('customer-name').textContent).toBe('Lee Minji');
    expect(screen.queryByTestId('waiting-for-call')).toBeNull();
    // Contact details with the phone written the Korean way.
    expect(within(pane).getByTestId('customer-identities').textContent).toContain('010-1234-5678');
    expect(within(pane).getByTestId('customer-identities').textContent).toContain('minji@example.com');
    // Tier with its R/F/M scores and lifetime value in plain sight; hovering says what each means.
    const tier = within(pane).getByTestId('customer-tier');
    expect(tier.textContent).toContain('VIP');
    expect(tier.getAttribute('title')).toMatch(/most valuable/);
    const scores = within(pane).getByTestId('customer-scores');
    expect(scores.textContent).toBe('R5/5F4/5M5/5Lifetime value1,250,000');
    expect(within(scores).getByText('R').getAttribute('title')).toMatch(/Recency, 1 to 5: how recently they bought/);
    // The language they speak and how to address them (Korean honorific for a Korean speaker).
    expect(within(pane).getByTestId('customer-address').textContent).toBe('Speaks KoreanAddress as Lee Minji 고객님');
    // Consents, customer since, the last contact before this call and its outcome by its label.
    expect(within(pane).getByTestId('customer-consents').textContent).toBe('Calls yesEmail yesSMS no');
    expect(within(pane).getByTestId('customer-since').textContent).toBe('Apr 15, 2019');
    expect(within(pane).getByTestId('customer-last-contact').textContent).toMatch(/^Nov 10, 2026, .*, Call: Resolved$/);
    // Flags with who set them and why, warnings before good news.
    const flags = within(pane).getAllByTestId('customer-flag');
    expect(flags.map((f) => f.textContent)).toEqual([
      expect.stringMatching(/Churn risk.*supervisor1.*Two complaints this month/),
      expect.stringMatching(/VIP.*supervisor1.*Top-decile spend/),
    ]);
    expect(within(pane).getByTestId('open-voc-item').textContent).toMatch(/Complaint.*Late delivery.*In progress/);
    // History, newest first, with channel, agent and outcome.
    const rows = within(pane).getAllByTestId('history-item');
    expect(rows).toHaveLength(3);
    expect(rows[0]?.textContent).toMatch(/Call.*by agent2.*Outcome: Resolved/);
    expect(rows[1]?.textContent).toMatch(/Email.*by agent3.*No outcome recorded.*Invoice copy/);
    expect(rows[2]?.textContent).toMatch(/Chat.*no agent/);
    // The summary sits in a live region so screen readers announce the pop.
    expect(within(pane).getByTestId('customer-name').closest('[aria-live="polite"]')).not.toBeNull();
    // The name is timed by the Element Timing API for ring-to-paint, per call and source.
    expect(within(pane).getByTestId('customer-name').getAttribute('elementtiming')).toBe(`pop:${makeCall().interactionId}:local`);
  });

  it('shows "New caller" and the formatted number when the caller is not known', async () => {
    const { api } = renderApp();
    await screen.findByTestId('waiting-for-call');
    api.emit('callOffered', { call: makeCall({ ani: '01098765432' }), pop: null });
    const name = await screen.findByTestId('customer-name');
    expect(name.textContent).toBe('New caller 010-9876-5432');
    expect(screen.queryAllByTestId('history-item')).toHaveLength(0);
  });

  it('keeps "New caller" with the number when the desktop makes a provisional profile for an unknown number', async () => {
    const { api } = renderApp();
    await screen.findByTestId('waiting-for-call');
    api.emit('callOffered', { call: makeCall({ ani: '+821098765432' }), pop: null });
    await screen.findByText(/New caller/);
    const provisional = makeCustomer({
      displayName: '010-9876-5432',
      identities: [{ kind: 'phone', value: '+821098765432' }],
      value: null,
      flags: [],
      segment: null,
      provisional: true,
    });
    api.emit('screenPopUpdated', { interactionId: makeCall().interactionId, pop: makePop({ customer: provisional, history: [], openVocItems: [] }) });
    await screen.findByTestId('customer-provisional');
    expect(screen.getByTestId('customer-name').textContent).toBe('New caller 010-9876-5432');
    expect(screen.getByTestId('customer-provisional').textContent).toMatch(/Provisional record.*not in the customer records/);
    // Notes can be written against the provisional profile at once.
    expect(screen.getByTestId('note-editor')).toBeTruthy();

    // Once someone has named the provisional customer, the name shows.
    api.emit('screenPopUpdated', {
      interactionId: makeCall().interactionId,
      pop: makePop({ customer: { ...provisional, displayName: 'Choi Yuna' }, history: [], openVocItems: [] }),
    });
    await waitFor(() => expect(screen.getByTestId('customer-name').textContent).toBe('Choi Yuna'));
    expect(screen.getByTestId('customer-provisional').textContent).toBe('Provisional record');
  });

  it("replaces the local pop with the center's answer for the same call only", async () => {
    const { api } = renderApp();
    await screen.findByTestId('waiting-for-call');
    api.emit('callOffered', { call: makeCall(), pop: null });
    await screen.findByText(/New caller/);

    // An update for some other call changes nothing.
    api.emit('screenPopUpdated', {
      interactionId: '00000000-0000-4000-8000-000000000001',
      pop: makePop({ customer: makeCustomer({ displayName: 'Somebody Else' }) }),
    });
    const centerPop = makePop({
      customer: makeCustomer({ displayName: 'Park Seojun', flags: [] }),
      history: [makeHistoryItem({ channel: 'sms', agent: 'agent9' })],
      source: 'center',
    });
    api.emit('screenPopUpdated', { interactionId: makeCall().interactionId, pop: centerPop });

    await waitFor(() => expect(screen.getByTestId('customer-name').textContent).toBe('Park Seojun'));
    const rows = screen.getAllByTestId('history-item');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toMatch(/SMS.*agent9/);
    expect(screen.getByText('Up to date from the center')).toBeTruthy();
  });

  it('restores the call in progress when the window opens mid-call', async () => {
    const api = new FakeDesktopApi();
    api.currentCall = { call: makeCall(), pop: makePop() };
    renderApp({ api });
    expect((await screen.findByTestId('customer-name')).textContent).toBe('Lee Minji');
  });
});

describe('after the desktop connection comes back', () => {
  it('re-reads the call in progress and shows a call offered while disconnected', async () => {
    const { api, store } = renderApp();
    await screen.findByTestId('waiting-for-call');
    api.emit('callOffered', { call: makeCall(), pop: makePop() });
    await screen.findByTestId('screen-pop');

    // While the socket was down the desktop popped a newer call; the renderer never heard of it.
    const missed = makeCall({ interactionId: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a80', offeredAt: '2026-11-25T01:10:00.000Z' });
    api.currentCall = { call: missed, pop: makePop({ customer: makeCustomer({ displayName: 'Choi Yuna' }) }) };
    store.dispatch(desktopReconnected());

    await waitFor(() => expect(screen.getByTestId('customer-name').textContent).toBe('Choi Yuna'));
    expect(api.callsOf('getSession').length).toBe(2);
  });
});

describe('the customer card in the order an agent reads it', () => {
  it('puts an abusive-caller warning first, with who set it, when and why, and advice that protects the agent', async () => {
    const { api } = renderApp();
    await screen.findByTestId('waiting-for-call');
    const abusive = { flag: 'abusive' as const, setBy: 'super1', reason: 'Shouted at two agents', setAt: '2026-11-01T01:00:00.000Z' };
    api.emit('callOffered', { call: makeCall(), pop: makePop({ customer: makeCustomer({ flags: [...makeCustomer().flags, abusive] }) }) });
    const pane = await screen.findByTestId('screen-pop');
    const warning = within(pane).getByRole('note', { name: 'Warning about this caller' });
    expect(warning.textContent).toMatch(/^Abusive caller You do not have to take abuse.*Set by super1 on .*: Shouted at two agents$/);
    // Before the name: the first thing in the card.
    const card = pane.querySelector('.customer-card')!;
    expect(card.firstElementChild).toBe(warning);
    // The other flags stay in their list after the value line.
    expect(within(pane).getAllByTestId('customer-flag').map((f) => f.textContent?.split(' ')[0])).toEqual(['Abusive', 'Churn', 'VIP']);
  });

  it('shows queue and outcome labels in Korean, the date in the Korean way, and the code where no label is known', async () => {
    const api = new FakeDesktopApi();
    api.vocReference = { topics: [], departments: [], queues: [BILLING] };
    renderApp({ api, locale: 'ko' });
    await screen.findByTestId('waiting-for-call');
    api.emit('callOffered', { call: makeCall({ queue: 'billing' }), pop: makePop() });
    const pane = await screen.findByTestId('screen-pop');
    expect(pane.querySelector('.call-banner')?.textContent).toMatch(/^요금·결제 대기열/);
    expect(within(pane).getByTestId('customer-since').textContent).toBe('2019. 4. 15.');
    expect(within(pane).getByTestId('customer-last-contact').textContent).toMatch(/전화: 해결$/);
    expect(within(pane).getByTestId('customer-address').textContent).toBe('사용 언어: 한국어호칭 Lee Minji 고객님');
    expect(within(pane).getByTestId('customer-consents').textContent).toBe('전화 동의이메일 동의문자 거부');
    const rows = within(pane).getAllByTestId('history-item');
    expect(rows[0]?.textContent).toMatch(/처리 결과: 해결/);
    // The chat's code has no label in any synced queue: it shows as it is.
    expect(rows[2]?.textContent).toMatch(/처리 결과: info_given/);
  });

  it('addresses an English speaker by name, without a value score, and says when there was no earlier contact', async () => {
    const { api } = renderApp();
    await screen.findByTestId('waiting-for-call');
    api.emit('callOffered', {
      call: makeCall(),
      pop: makePop({ customer: makeCustomer({ displayName: 'Sam Carter', language: 'en', value: null, flags: [], since: null }), history: [] }),
    });
    const pane = await screen.findByTestId('screen-pop');
    expect(within(pane).getByTestId('customer-address').textContent).toBe('Speaks EnglishAddress as Sam Carter');
    expect(within(pane).getByText('No value score yet')).toBeTruthy();
    expect(within(pane).queryByTestId('customer-since')).toBeNull();
    expect(within(pane).getByTestId('customer-last-contact').textContent).toBe('None before this one');
  });
});
