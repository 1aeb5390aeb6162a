// Saved snippets in the inbox, with the FakeDesktopApi: the agent adds, changes and deletes their own
// snippets; a full list and a refusal are said in words; a snippet goes into the reply at the cursor
// from the menu (Alt+I, arrow keys, Enter) and the cursor lands after it; a chat visitor with no name
// is "Visitor" / "방문자" in the desk, not the center's stored word.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../../shared/api/inbox';
import { SNIPPETS_MAX, type Snippet } from '../../../shared/api/snippets';
import { CHAT_VISITOR_AUTHOR, CHAT_VISITOR_CUSTOMER_NAME } from '../../../shared/protocol/channels';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { makeCustomer, makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';
import { insertAt } from './Snippets';

afterEach(() => stopRenderedApps());

const CONV = '0190f000-0000-7000-8000-0000000000c1';
const snippet = (n: number, title: string, text: string): Snippet => ({ id: `0190f000-0000-7000-8000-${String(n).padStart(12, '0')}`, title, text, updatedAt: '2026-11-25T10:00:00.000Z' });

function chatItem(): InboxItem {
  const now = new Date().toISOString();
  const pop = makePop({ customer: { ...makeCustomer(), displayName: CHAT_VISITOR_CUSTOMER_NAME, provisional: true } });
  return {
    conversation: {
      id: CONV, channel: 'chat', customerId: pop.customer.id, interactionId: '0190f000-0000-7000-8000-0000000000c2', queue: 'sales', subject: null, state: 'active', agent: 'agent1',
      offerExpiresAt: null, createdAt: now, acceptedAt: now, lastCustomerMessageAt: now, firstResponseAt: null, lastSeq: 1,
    },
    messages: [{ conversationId: CONV, seq: 1, direction: 'in', author: CHAT_VISITOR_AUTHOR, text: 'Do you ship to Jeju?', html: null, messageId: null, inReplyTo: null, references: null, outboundState: null, outboundError: null, clientMutationId: null, attachments: [], createdAt: now }],
    kept: [],
    pop,
  };
}

describe('saved snippets', () => {
  it('adds, changes and deletes the agent’s own snippets', async () => {
    const api = new FakeDesktopApi();
    const { user } = renderApp({ api });
    const box = await screen.findByTestId('snippets');
    await user.click(within(box).getByText('My snippets (0 of 50)'));
    await user.click(within(box).getByRole('button', { name: 'Add a snippet' }));
    const save = within(box).getByRole('button', { name: 'Save snippet' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // a name and a text first
    await user.type(within(box).getByLabelText('Name'), 'Shipping');
    await user.type(within(box).getByLabelText('Text'), 'We ship everywhere in Korea, Jeju included.');
    expect(within(box).getByText('43 of 500 characters')).toBeTruthy();
    await user.click(save);
    expect(api.callsOf('saveSnippet')).toEqual([[{ title: 'Shipping', text: 'We ship everywhere in Korea, Jeju included.' }]]);
    await waitFor(() => expect(within(box).queryByTestId('snippet-form')).toBeNull());
    expect(within(box).getByTestId('snippet').textContent).toContain('We ship everywhere in Korea');
    expect(within(box).getByText('My snippets (1 of 50)')).toBeTruthy();

    await user.click(within(box).getByRole('button', { name: 'Edit snippet Shipping' }));
    const text = within(box).getByLabelText('Text');
    await user.clear(text);
    await user.type(text, 'Free shipping over 30,000 won.');
    await user.click(within(box).getByRole('button', { name: 'Save snippet' }));
    const id = api.snippets[0]!.id;
    expect(api.callsOf('saveSnippet').at(-1)).toEqual([{ id, title: 'Shipping', text: 'Free shipping over 30,000 won.' }]);
    await waitFor(() => expect(within(box).getByTestId('snippet').textContent).toContain('Free shipping over 30,000 won.'));

    await user.click(within(box).getByRole('button', { name: 'Delete snippet Shipping' }));
    expect(api.callsOf('deleteSnippet')).toEqual([[{ id }]]);
    await waitFor(() => expect(within(box).queryByTestId('snippet')).toBeNull());
  });

  it('says when the list is full, and keeps the form as typed when a save is refused', async () => {
    const api = new FakeDesktopApi();
    api.snippets = Array.from({ length: SNIPPETS_MAX - 1 }, (_, i) => snippet(i + 1, `S${String(i).padStart(2, '0')}`, `text ${i}`));
    const { user } = renderApp({ api });
    const box = await screen.findByTestId('snippets');
    await user.click(within(box).getByText(`My snippets (${SNIPPETS_MAX - 1} of 50)`));
    api.failNext('saveSnippet', { code: 'snippet_limit', message: 'full' });
    await user.click(within(box).getByRole('button', { name: 'Add a snippet' }));
    await user.type(within(box).getByLabelText('Name'), 'One more');
    await user.type(within(box).getByLabelText('Text'), 'Thanks for waiting.');
    await user.click(within(box).getByRole('button', { name: 'Save snippet' }));
    expect((await within(box).findByRole('alert')).textContent).toBe('You keep 50 snippets, the most there can be: delete one you no longer use to add another.');
    expect((within(box).getByLabelText('Name') as HTMLInputElement).value).toBe('One more');
    // Cancelled and opened again, the old refusal is not shown against the new form.
    await user.click(within(box).getByRole('button', { name: 'Cancel' }));
    expect(within(box).queryByRole('alert')).toBeNull();
    await user.click(within(box).getByRole('button', { name: 'Add a snippet' }));
    await user.type(within(box).getByLabelText('Name'), 'One more');
    await user.type(within(box).getByLabelText('Text'), 'Thanks for waiting.');
    // Saved on a second try; now the list is full and adding is off.
    await user.click(within(box).getByRole('button', { name: 'Save snippet' }));
    await waitFor(() => expect(within(box).queryByTestId('snippet-form')).toBeNull());
    expect(within(box).queryByRole('alert')).toBeNull();
    expect(within(box).getAllByTestId('snippet')).toHaveLength(SNIPPETS_MAX);
    expect((within(box).getByRole('button', { name: 'Add a snippet' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('inserts a snippet at the cursor from the menu (Alt+I, arrows, Enter), and the cursor follows it', async () => {
    const api = new FakeDesktopApi();
    api.snippets = [snippet(1, 'Greeting', 'Thank you for writing to us.'), snippet(2, 'Jeju', 'Yes, we ship to Jeju in 2–3 days.')];
    api.inbox = { items: [chatItem()], connected: true, unsent: [] };
    const { user } = renderApp({ api });
    const panel = await screen.findByRole('tabpanel');
    const composer = within(panel).getByLabelText('Your reply') as HTMLTextAreaElement;
    await user.type(composer, 'Hello! Anything else?');
    composer.setSelectionRange(7, 7);
    await user.keyboard('{Alt>}i{/Alt}');
    const menu = await within(panel).findByRole('menu');
    const items = within(menu).getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['GreetingThank you for writing to us.', 'JejuYes, we ship to Jeju in 2–3 days.']);
    await waitFor(() => expect(document.activeElement).toBe(items[0]));
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(composer.value).toBe('Hello! Yes, we ship to Jeju in 2–3 days.Anything else?'));
    expect(within(panel).queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(composer);
    expect(composer.selectionStart).toBe(7 + 'Yes, we ship to Jeju in 2–3 days.'.length);
    // From the button too, replacing a selection; Escape closes the menu and returns to the reply.
    composer.setSelectionRange(0, 6);
    await user.click(within(panel).getByRole('button', { name: 'Snippet' }));
    await user.click(await within(panel).findByRole('menuitem', { name: /Greeting/ }));
    await waitFor(() => expect(composer.value).toBe('Thank you for writing to us. Yes, we ship to Jeju in 2–3 days.Anything else?'));
    await user.click(within(panel).getByRole('button', { name: 'Snippet' }));
    await within(panel).findByRole('menu');
    await user.keyboard('{Escape}');
    expect(within(panel).queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(composer);
  });

  it('never lets a snippet push a reply past its limit', () => {
    expect(insertAt('abcdef', 'XYZ', 2, 2, 8)).toEqual({ value: 'abXYcdef', caret: 4 });
    expect(insertAt('abcdef', 'XYZ', 1, 4, 8)).toEqual({ value: 'aXYZef', caret: 4 });
    expect(insertAt('abcdefgh', 'XYZ', 8, 8, 8)).toEqual({ value: 'abcdefgh', caret: 8 });
  });

  it('shows a nameless chat visitor as Visitor, in Korean 방문자, with the snippet controls in Korean', async () => {
    const api = new FakeDesktopApi();
    api.inbox = { items: [chatItem()], connected: true, unsent: [] };
    renderApp({ api, locale: 'ko' });
    const panel = await screen.findByRole('tabpanel');
    expect(within(panel).getByTestId('thread-message').textContent).toMatch(/^방문자 · /);
    expect(screen.getByRole('tab').textContent).toContain('채팅 · 채팅 방문자');
    // The pop's card too: no stored English name on a Korean screen.
    expect(within(panel).getByTestId('customer-name').textContent).toBe('채팅 방문자');
    expect(panel.textContent).not.toContain(CHAT_VISITOR_CUSTOMER_NAME);
    expect(within(panel).getByRole('button', { name: '문구' })).toBeTruthy();
    expect(screen.getByText('내 문구 (0/50)')).toBeTruthy();
    expect(screen.queryByText(new RegExp(`^${CHAT_VISITOR_AUTHOR} · `))).toBeNull();
  });
});
