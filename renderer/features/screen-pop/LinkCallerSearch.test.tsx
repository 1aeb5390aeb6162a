// An unknown caller linked to an existing customer from the screen pop (issue 6): search, "Link to
// this call", the desktop is asked with the ids, and the pane shows the customer.
import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, expect, it } from 'vitest';
import { CUSTOMER_SEARCH_MAX_CHARS } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { makeCall, makeCustomer, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

const SEOJUN = '6b2d3f4a-5c6e-4f7a-8b8c-0d1e2f3a4b5c';

function apiWithCustomers(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.customers = [
    { id: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b', displayName: 'Lee Minji', phone: '+821012345678', email: 'minji@example.com' },
    { id: SEOJUN, displayName: 'Park Seojun', phone: null, email: 'seojun@example.com' },
  ];
  api.pops.set('seojun', makePop({ customer: makeCustomer({ id: SEOJUN, displayName: 'Park Seojun', flags: [] }), source: 'local' }));
  return api;
}

it('links an unknown caller to the customer picked from a search, and shows that customer', async () => {
  const api = apiWithCustomers();
  const call = makeCall({ ani: '01098765432' });
  const { user } = renderApp({ api });
  await screen.findByTestId('waiting-for-call');
  api.currentCall = { call, pop: null };
  api.emit('callOffered', { call, pop: null });
  expect((await screen.findByTestId('customer-name')).textContent).toBe('New caller 010-9876-5432');

  const panel = screen.getByRole('region', { name: 'Is this an existing customer?' });
  // Keyboard: the labelled search box, then the result's button, reached with Tab.
  const box = within(panel).getByLabelText('Search for an existing customer to link to this call');
  expect((box as HTMLInputElement).maxLength).toBe(CUSTOMER_SEARCH_MAX_CHARS);
  await user.click(box);
  await user.keyboard('seojun');
  expect(await within(panel).findAllByTestId('link-caller-result')).toHaveLength(1);
  const audit = await axe.run(panel, { rules: { 'color-contrast': { enabled: false } } });
  expect(audit.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await user.tab();
  const button = within(panel).getByRole('button', { name: 'Link Park Seojun to this call' });
  expect(document.activeElement).toBe(button);
  expect(button.textContent).toBe('Link to this call');
  await user.keyboard('{Enter}');

  await waitFor(() => expect(screen.getByTestId('customer-name').textContent).toBe('Park Seojun'));
  expect(api.callsOf('linkCallerToCustomer')).toEqual([[{ interactionId: call.interactionId, customerId: SEOJUN, addPhone: true }]]);
  // A known customer now: the link search is gone.
  expect(screen.queryByTestId('link-caller')).toBeNull();
});

it('says why a link failed, in Korean too, and offers it again for a provisional profile', async () => {
  const api = apiWithCustomers();
  const call = makeCall();
  const { user } = renderApp({ api, locale: 'ko' });
  await screen.findByTestId('waiting-for-call');
  const provisional = makeCustomer({ displayName: '010-9876-5432', provisional: true, flags: [], value: null, segment: null });
  api.emit('callOffered', { call, pop: makePop({ customer: provisional, history: [], openVocItems: [] }) });
  const panel = await screen.findByRole('region', { name: '기존 고객인가요?' });
  api.failNext('linkCallerToCustomer', { code: 'not_ready', message: 'desktop is starting' });
  await user.click(within(panel).getByLabelText('이 번호를 고객 연락처에도 저장'));
  await user.type(within(panel).getByLabelText('이 통화에 연결할 기존 고객 검색'), 'Park');
  await user.click(await within(panel).findByRole('button', { name: 'Park Seojun 고객을 이 통화에 연결' }));
  expect((await within(panel).findByRole('alert')).textContent).toBe('연결하지 못했습니다: desktop is starting');
  expect(screen.getByTestId('customer-name').textContent).not.toBe('Park Seojun');
  expect(api.callsOf('linkCallerToCustomer')).toEqual([[{ interactionId: call.interactionId, customerId: SEOJUN, addPhone: false }]]);
});
