// The inbox beside the call area, with the FakeDesktopApi: an offer accepted from its card, the item's
// tab with its times, the pop, the thread (mail quote folded, html never put into the page), a reply sent
// with Ctrl+Enter and its state from queued to sent, notes on the conversation's interaction, wrap-up
// then close with a disposition; a conversation someone else holds names them; Korean labels.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../../shared/api/inbox';
import type { ConversationMessage } from '../../../shared/protocol/channels';
import { captureDownloads } from '../../test-support/downloads';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { makePop } from '../../test-support/fixtures';
import { renderApp, stopRenderedApps } from '../../test-support/render-app';

afterEach(() => stopRenderedApps());

const CONV = '0190f000-0000-7000-8000-0000000000e1';
const INTERACTION = '0190f000-0000-7000-8000-0000000000e2';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const message = (seq: number, over: Partial<ConversationMessage> = {}): ConversationMessage => ({
  conversationId: CONV, seq, direction: 'in', author: 'min.ji@example.com', text: 'Where is my order?', html: null, messageId: null, inReplyTo: null,
  references: null, outboundState: null, outboundError: null, clientMutationId: null, attachments: [], createdAt: minutesAgo(3), ...over,
});
function emailItem(): InboxItem {
  const pop = makePop();
  return {
    conversation: {
      id: CONV, channel: 'email', customerId: pop.customer.id, interactionId: INTERACTION, queue: 'billing', subject: 'Order 1234', state: 'offered', agent: 'agent1',
      offerExpiresAt: new Date(Date.now() + 20_000).toISOString(), createdAt: minutesAgo(3), acceptedAt: null, lastCustomerMessageAt: minutesAgo(3), firstResponseAt: null, lastSeq: 1,
    },
    messages: [message(1, { text: 'Where is my order?\n\nOn Mon, 1 Dec 2026 at 09:00, Shop <shop@example.com> wrote:\n> Your order has shipped.', html: '<p>Where is my order?</p><img src=x onerror="alert(1)">' })],
    kept: [],
    pop,
  };
}

describe('the inbox of chats and emails', () => {
  it('accepts an offer, shows the thread and the pop, sends a reply with Ctrl+Enter and shows its state, then wraps up and closes', async () => {
    const api = new FakeDesktopApi();
    api.inbox = { items: [emailItem()], connected: true, unsent: [] };
    api.queues.set('billing', { id: 'billing', name: 'Billing', labels: {}, dispositionRequired: true, dispositionCodes: [{ code: 'resolved', label: 'Resolved', labels: {} }] });
    const { user, container } = renderApp({ api });
    const card = await screen.findByTestId('offer-card');
    expect(card.textContent).toContain('Email');
    expect(card.textContent).toContain('Where is my order?');
    expect(within(card).getByRole('timer').textContent).toMatch(/left to accept/);
    await user.click(within(card).getByRole('button', { name: 'Accept' }));
    expect(api.callsOf('acceptConversation')).toEqual([[{ conversationId: CONV }]]);

    const tab = await screen.findByRole('tab', { selected: true });
    expect(tab.textContent).toMatch(/arrived \d+:\d\d ago · customer wrote \d+:\d\d ago/);
    const panel = screen.getByRole('tabpanel');
    expect(within(panel).getByText(api.inbox.items[0]!.pop!.customer.displayName)).toBeTruthy();
    // The quoted part folded; the mail's html never reaches the page.
    expect(within(panel).getByText('Quoted text')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();

    const composer = within(panel).getByLabelText('Your reply');
    await user.type(composer, 'It left our warehouse today.');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(api.callsOf('replyToConversation')).toEqual([[{ conversationId: CONV, text: 'It left our warehouse today.' }]]);
    expect(await within(panel).findByText('Queued')).toBeTruthy();
    expect((composer as HTMLTextAreaElement).value).toBe('');
    // The center stores it and the channel sends it: the desktop reports the stored message.
    const kept = api.inbox.items[0]!.kept[0]!;
    act(() => api.emit('inbox', { connected: true, unsent: [], items: [{ ...api.inbox.items[0]!, kept: [], messages: [...api.inbox.items[0]!.messages, message(2, { direction: 'out', author: 'agent1', text: kept.text, outboundState: 'sent', clientMutationId: kept.clientMutationId })] }] }));
    expect(await within(panel).findByText('Sent')).toBeTruthy();

    // Notes are the conversation's interaction's, as for a call.
    const notes = within(panel).getByRole('textbox', { name: 'Notes for this contact' });
    await user.type(notes, 'Asked about order 1234');
    await within(panel).findByText(/Saved on this computer|Synced/, undefined, { timeout: 5000 });
    expect(api.savedNotes.at(-1)).toMatchObject({ text: 'Asked about order 1234' });
    expect(api.callsOf('saveNote').at(-1)?.[0]).toMatchObject({ interactionId: INTERACTION });

    await user.click(within(panel).getByRole('button', { name: 'Wrap up' }));
    const wrap = await screen.findByTestId('conversation-wrap-up-panel');
    const close = within(wrap).getByRole('button', { name: 'Close' }) as HTMLButtonElement;
    await within(wrap).findByRole('combobox');
    expect(close.disabled).toBe(true);
    await user.selectOptions(within(wrap).getByRole('combobox'), 'resolved');
    await user.click(close);
    expect(api.callsOf('finishConversation')).toEqual([[{ conversationId: CONV, to: 'wrap_up' }], [{ conversationId: CONV, to: 'closed', disposition: 'resolved' }]]);
    expect(await screen.findByText('No chats or emails for you right now.')).toBeTruthy();
  });

  it('downloads a kept mail attachment from the center, lists a dropped one with why, and says what went wrong', async () => {
    const api = new FakeDesktopApi();
    const ref = '1f2e3d4c-5b6a-8978-8a1b-2c3d4e5f6a7b';
    const item = emailItem();
    item.messages = [message(1, { attachments: [{ name: '견적서.pdf', contentType: 'application/pdf', size: 4, ref }, { name: 'scan.tiff', contentType: 'image/tiff', size: 30_000_000, dropped: 'larger than the 10 MB limit per file' }] })];
    api.inbox = { items: [item], connected: true, unsent: [] };
    api.handle('getConversationAttachment', async ({ name }) => ({ name, contentType: 'application/pdf', base64: Buffer.from('%PDF').toString('base64') }));
    const { user } = renderApp({ api });
    await user.click(within(await screen.findByTestId('offer-card')).getByRole('button', { name: 'Accept' }));
    const panel = await screen.findByRole('tabpanel');
    expect(within(panel).getByText(/scan\.tiff was not kept: larger than the 10 MB limit/)).toBeTruthy();
    expect(within(panel).getAllByTestId('attachment-download')).toHaveLength(1);

    const { saved, restore } = captureDownloads();
    try {
      await user.click(within(panel).getByRole('button', { name: 'Download 견적서.pdf' }));
      await waitFor(() => expect(saved).toEqual([{ name: '견적서.pdf', type: 'application/pdf', text: '%PDF' }]));
      expect(api.callsOf('getConversationAttachment')).toEqual([[{ ref, name: '견적서.pdf' }]]);
    } finally {
      restore();
    }
    api.failNext('getConversationAttachment', { code: 'offline', message: 'The Earshot center cannot be reached, so the attachment cannot be opened now.' });
    await user.click(within(panel).getByTestId('attachment-download'));
    expect((await screen.findByTestId('inbox-notice')).textContent).toContain('the attachment cannot be opened now');
  });

  it('names who holds a conversation taken by someone else', async () => {
    const api = new FakeDesktopApi();
    api.inbox = { items: [emailItem()], connected: true, unsent: [] };
    api.failNext('acceptConversation', { code: 'conflict', message: 'agent2 holds this conversation now; you cannot accept it.' });
    const { user } = renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Accept' }));
    expect((await screen.findByTestId('inbox-notice')).textContent).toBe('agent2 holds this conversation now; you cannot accept it.');
  });

  it("keeps the text of a reply the center refused after the conversation left the inbox, until discarded", async () => {
    const api = new FakeDesktopApi();
    const refused = { clientMutationId: '0190f000-0000-7000-8000-0000000000f1', conversationId: CONV, text: 'Sorry for the wait!', createdAt: minutesAgo(1), attempts: 1, lastError: 'agent2 holds this conversation now; you cannot reply to it.', refused: true };
    api.inbox = { items: [], connected: true, unsent: [refused] };
    const { user } = renderApp({ api });
    const unsent = await screen.findByTestId('inbox-unsent');
    expect(unsent.textContent).toContain('Sorry for the wait!');
    expect(unsent.textContent).toContain('Not sent: agent2 holds this conversation now');
    await user.click(within(unsent).getByRole('button', { name: 'Discard (copied)' }));
    expect(api.callsOf('discardReply')).toEqual([[{ clientMutationId: refused.clientMutationId }]]);
    await waitFor(() => expect(screen.queryByTestId('inbox-unsent')).toBeNull());
  });

  it('speaks Korean', async () => {
    const api = new FakeDesktopApi();
    api.inbox = { items: [emailItem()], connected: true, unsent: [] };
    renderApp({ api, locale: 'ko' });
    const card = await screen.findByTestId('offer-card');
    expect(within(card).getByRole('button', { name: '수락' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: '거절' })).toBeTruthy();
    expect(screen.getByText('채팅·이메일')).toBeTruthy();
  });
});
