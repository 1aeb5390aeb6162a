// Customer search from the agent bar: by name, number or email, through searchCustomers.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER_SEARCH_MAX_CHARS } from '../../../shared/domain/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { makeCall, makeCustomer, makeHistoryItem, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(stopRenderedApps);

function apiWithCustomers(): FakeDesktopApi {
  const api = new FakeDesktopApi();
  api.customers = [
    { id: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b', displayName: 'Lee Minji', phone: '+821012345678', email: 'minji@example.com' },
    { id: '6b2d3f4a-5c6e-4f7a-8b8c-0d1e2f3a4b5c', displayName: 'Park Seojun', phone: null, email: 'seojun@example.com' },
  ];
  return api;
}

describe('customer search', () => {
  it('finds customers and shows their formatted number', async () => {
    const { user, api } = renderApp({ api: apiWithCustomers() });
    const box = await screen.findByTestId('customer-search');
    expect((box as HTMLInputElement).maxLength).toBe(CUSTOMER_SEARCH_MAX_CHARS);
    await user.type(box, 'minji');
    const results = await screen.findAllByTestId('search-result');
    expect(results).toHaveLength(1);
    expect(results[0]?.textContent).toMatch(/Lee Minji.*010-1234-5678.*minji@example\.com/);
    // Debounced: the search runs for what was typed, not for every letter.
    expect(api.callsOf('searchCustomers').at(-1)).toEqual([{ query: 'minji' }]);
    expect(api.callsOf('searchCustomers').length).toBeLessThan('minji'.length);
  });

  it('says when nothing matches and when the search failed', async () => {
    const api = apiWithCustomers();
    const { user } = renderApp({ api });
    const box = await screen.findByTestId('customer-search');
    await user.type(box, 'nobody');
    expect(await screen.findByText('No customers found.')).toBeTruthy();

    api.failNext('searchCustomers', { code: 'internal', message: 'search index is rebuilding' });
    await user.clear(box);
    await user.type(box, 'park');
    expect((await screen.findByRole('alert')).textContent).toBe('Search failed: search index is rebuilding');
    await user.clear(box);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('opens a found customer with their history while no call is up, and gives way to a call', async () => {
    const api = apiWithCustomers();
    api.pops.set('+821012345678', makePop({ history: [makeHistoryItem({ channel: 'visit', agent: 'agent5' })] }));
    const { user } = renderApp({ api });
    await user.type(await screen.findByTestId('customer-search'), 'lee');
    await user.click((await screen.findAllByTestId('search-result'))[0]!);

    const view = await screen.findByTestId('customer-view');
    expect(within(view).getByTestId('customer-name').textContent).toBe('Lee Minji');
    expect(within(view).getByTestId('history-item').textContent).toMatch(/Visit.*agent5/);
    expect(api.callsOf('lookupCustomer')).toEqual([[{ customerId: '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b' }]]);
    expect(api.callsOf('lookupCaller')).toHaveLength(0);
    expect(screen.getByTestId('waiting-for-call')).toBeTruthy();

    // A call takes the pane; its own caller's history replaces the viewed one.
    act(() => api.emit('callOffered', { call: makeCall(), pop: makePop() }));
    const pane = await screen.findByTestId('screen-pop');
    expect(within(pane).getAllByTestId('history-item')).toHaveLength(3);
    expect(screen.queryByTestId('customer-view')).toBeNull();
  });

  it('opens a customer with no phone on record, by id', async () => {
    const api = apiWithCustomers();
    const park = makeCustomer({ id: '6b2d3f4a-5c6e-4f7a-8b8c-0d1e2f3a4b5c', displayName: 'Park Seojun', identities: [{ kind: 'email', value: 'seojun@example.com' }] });
    api.pops.set('by-id-only', makePop({ customer: park, history: [makeHistoryItem({ channel: 'email', agent: 'agent3' })] }));
    const { user } = renderApp({ api });
    await user.type(await screen.findByTestId('customer-search'), 'park');
    const result = (await screen.findAllByTestId('search-result'))[0]!;
    expect(result.getAttribute('aria-disabled')).toBeNull();
    await user.click(result);
    const view = await screen.findByTestId('customer-view');
    expect(within(view).getByTestId('customer-name').textContent).toBe('Park Seojun');
    expect(within(view).getByTestId('history-item').textContent).toMatch(/Email.*agent3/);
    expect(api.callsOf('lookupCustomer')).toEqual([[{ customerId: park.id }]]);
  });

  it('says so when neither this computer nor the center knows the customer any more', async () => {
    const { user, api } = renderApp({ api: apiWithCustomers() });
    await user.type(await screen.findByTestId('customer-search'), 'park');
    await user.click((await screen.findAllByTestId('search-result'))[0]!);
    expect(await screen.findByText(/no longer in the records/)).toBeTruthy();
    expect(api.callsOf('lookupCustomer')).toHaveLength(1);
  });
});
