// Issue #25's "Done when", end to end in web mode: a real center (in this process, with its SMTP
// receiver on 127.0.0.1), the built web-mode desktop and Chromium with two pages.
// (a) A visitor writes in the chat widget on the demo shop page; the agent accepts in the desk,
//     answers (the visitor's page shows it), raises a VOC item on the conversation, wraps up and
//     closes: at the center the VOC item is tied to the conversation's interaction and customer and
//     the conversation is closed.
// (b) A customer's email and two replies (In-Reply-To / References to the message before), sent over
//     real SMTP with nodemailer, stay one conversation; the desk's thread shows the three messages.
// (c) The agent's own saved snippet (the desktop's SQLite) goes into a chat reply with Alt+I; the desk
//     at 1920×1080, 1280×720 and 960×720, in English and Korean, scrolls no page sideways and no pane
//     hides content past its edge (screenshots in test-results/e2e/channels-desk-*.png).
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsOf, mailOf, startCenter, type RunningCenter } from '../../server/src/index';
import { artifacts, launchChromium, removeDir, startWebDesktop, tempDir, type Started } from './support';

const DOMAIN = 'mail.earshot.test';
let center: RunningCenter;
let desktop: Started & { url: string };
let browser: Browser;
let desk: Page;
const dir = tempDir('channels-desk');

interface ConversationRow {
  id: string;
  state: string;
  interaction_id: string;
  customer_id: string;
}
const conversations = (channel: 'chat' | 'email') =>
  center.db.query<ConversationRow>(`SELECT id::text AS id, state, interaction_id::text AS interaction_id, customer_id::text AS customer_id FROM conversations WHERE tenant_id = 'demo' AND channel = $1 ORDER BY created_at`, [
    channel,
  ]);

/** Closes the selected item from the desk: wrap-up, a disposition when the queue has codes, close. */
async function wrapUpAndClose(panel: ReturnType<Page['getByRole']>) {
  await panel.getByTestId('conversation-wrap-up').click();
  const wrap = desk.getByTestId('conversation-wrap-up-panel');
  await wrap.waitFor({ timeout: 15_000 });
  const select = wrap.getByTestId('conversation-disposition');
  // The queue's codes load once the item is in wrap-up; a required code must be picked before closing.
  await expect.poll(async () => (await select.count()) === 0 || (await select.locator('option').count()) > 1, { timeout: 15_000 }).toBe(true);
  if ((await select.count()) > 0) {
    const firstCode = await select.locator('option').nth(1).getAttribute('value');
    if (firstCode) await select.selectOption(firstCode);
  }
  await wrap.getByTestId('conversation-close').click();
}

beforeAll(async () => {
  center = await startCenter({
    port: 0,
    demo: true,
    logLevel: 'silent',
    dataDir: path.join(dir, 'center'),
    channels: { offerTimeoutMs: 600_000 },
    mail: { port: 0, domain: DOMAIN },
  });
  desktop = await startWebDesktop(center.url, path.join(dir, 'desktop'));
  browser = await launchChromium();
  desk = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await desk.goto(desktop.url);
  await desk.getByTestId('agent-bar').waitFor({ timeout: 60_000 });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await desktop?.stop();
  await center?.stop();
  removeDir(dir);
});

describe('every channel in one desk', () => {
  it('a visitor chats in the widget; the agent accepts, answers, raises a VOC item, wraps up and closes', async () => {
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await visitor.goto(`${center.url}/chat/demo`);
    await visitor.getByTestId('chat-launcher').click();
    await expect.poll(async () => (await visitor.getByTestId('chat-status').textContent()) ?? '', { timeout: 20_000 }).toMatch(/Connected/);
    const question = 'Hello, the blue jacket I ordered came in the wrong size. Can I swap it?';
    await visitor.getByTestId('chat-input').fill(question);
    await visitor.getByTestId('chat-input').press('Enter');

    // The desk is offered the chat, with the visitor's words.
    const offer = desk.getByTestId('offer-card').filter({ hasText: 'wrong size' });
    await offer.waitFor({ timeout: 30_000 });
    await offer.getByTestId('offer-accept').click();
    const panel = desk.getByRole('tabpanel');
    await panel.getByTestId('reply-composer').waitFor({ timeout: 15_000 });
    await expect.poll(() => panel.getByTestId('thread-message').first().textContent(), { timeout: 15_000 }).toContain(question);

    // The answer reaches the visitor's page.
    const answer = 'Of course: we will send a medium today and a courier collects the small one.';
    await panel.getByTestId('reply-composer').fill(answer);
    await panel.getByTestId('reply-composer').press('Control+Enter');
    await expect.poll(async () => (await visitor.getByTestId('chat-message').allTextContents()).some((t) => t.includes(answer)), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => (await panel.getByTestId('reply-state').allTextContents()).join(' '), { timeout: 20_000 }).toMatch(/Sent|Delivered/i);

    // A VOC item on the conversation, from the VOC panel of the inbox item.
    const said = 'Sizes on the product page run small; the customer wants the chart fixed.';
    await panel.getByTestId('voc-add').click();
    const form = panel.getByTestId('voc-form');
    await form.waitFor();
    await form.getByTestId('voc-type').selectOption('complaint');
    await form.getByTestId('voc-description').fill(said);
    await form.getByTestId('voc-submit').click();
    await expect.poll(() => panel.getByTestId('voc-item').count(), { timeout: 15_000 }).toBe(1);
    await desk.screenshot({ path: path.join(artifacts, 'channels-desk-chat-en.png'), fullPage: true });

    const [chat] = await conversations('chat');
    expect(chat).toBeDefined();
    await wrapUpAndClose(panel);
    await expect.poll(async () => (await conversations('chat'))[0]?.state, { timeout: 20_000 }).toBe('closed');
    // The VOC item reached the center through the desktop's outbox, tied to the chat's interaction and customer.
    await expect
      .poll(async () => (await center.db.query<{ interaction_id: string; customer_id: string; type: string }>(`SELECT interaction_id::text AS interaction_id, customer_id::text AS customer_id, type FROM voc_items WHERE description = $1`, [said])), { timeout: 30_000 })
      .toEqual([{ interaction_id: chat!.interaction_id, customer_id: chat!.customer_id, type: 'complaint' }]);
    await expect.poll(() => desk.getByTestId('inbox-item').count(), { timeout: 15_000 }).toBe(0);
    await visitor.close();
  });

  it('an email and two replies over SMTP stay one conversation, and the desk shows the three messages', async () => {
    const port = mailOf(center)!.receiver.port;
    const from = 'jisoo.park@example.net';
    const send = async (o: { id: string; subject: string; text: string; previous?: string[] }) => {
      const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      try {
        await transport.sendMail({
          envelope: { from, to: [`demo@${DOMAIN}`] },
          from: `Jisoo Park <${from}>`,
          to: 'support@demo.example',
          subject: o.subject,
          text: o.text,
          messageId: `<${o.id}>`,
          ...(o.previous && { inReplyTo: `<${o.previous.at(-1)}>`, references: o.previous.map((id) => `<${id}>`) }),
        });
      } finally {
        transport.close();
      }
    };
    const storedIn = async () => Number((await center.db.query<{ n: string }>(`SELECT count(*) AS n FROM conversation_messages WHERE tenant_id = 'demo' AND direction = 'in' AND author = $1`, [from]))[0]?.n);

    await send({ id: 'thread-1@example.net', subject: 'Invoice for order 5521 is missing', text: 'Hello, I did not get the invoice for order 5521. Could you send it?' });
    await expect.poll(storedIn, { timeout: 20_000 }).toBe(1);
    // The customer writes again before anyone answered, replying to their own mail, then once more.
    await send({ id: 'thread-2@example.net', subject: 'Re: Invoice for order 5521 is missing', text: 'I need it for my company’s accounts by Friday.', previous: ['thread-1@example.net'] });
    await expect.poll(storedIn, { timeout: 20_000 }).toBe(2);
    await send({
      id: 'thread-3@example.net',
      subject: 'Re: Invoice for order 5521 is missing',
      text: 'Please put the company name "Park Design" on it.\n\nOn Mon, Jisoo Park wrote:\n> I need it for my company’s accounts by Friday.',
      previous: ['thread-1@example.net', 'thread-2@example.net'],
    });
    await expect.poll(storedIn, { timeout: 20_000 }).toBe(3);

    const emails = await conversations('email');
    expect(emails).toHaveLength(1);
    const [stored] = await center.db.query<{ n: string }>(`SELECT count(*) AS n FROM conversation_messages WHERE conversation_id = $1 AND direction = 'in'`, [emails[0]!.id]);
    expect(Number(stored?.n)).toBe(3);

    const offer = desk.getByTestId('offer-card').filter({ hasText: 'Invoice for order 5521' });
    await offer.waitFor({ timeout: 30_000 });
    // One offer for the three mails (no second conversation split off).
    await expect(desk.getByTestId('offer-card').count()).resolves.toBe(1);
    await offer.getByTestId('offer-accept').click();
    const panel = desk.getByRole('tabpanel');
    await panel.getByTestId('reply-composer').waitFor({ timeout: 15_000 });
    const messages = panel.getByTestId('thread-message');
    await expect.poll(() => messages.count(), { timeout: 15_000 }).toBe(3);
    expect(await messages.nth(0).textContent()).toContain('did not get the invoice');
    expect(await messages.nth(1).textContent()).toContain('by Friday');
    expect(await messages.nth(2).textContent()).toContain('Park Design');
    // The third mail's quote of the second is folded, not repeated in the thread.
    expect(await messages.nth(2).locator('details.message-quoted').count()).toBe(1);
    await desk.screenshot({ path: path.join(artifacts, 'channels-desk-email-en.png'), fullPage: true });

    await wrapUpAndClose(panel);
    await expect.poll(async () => (await conversations('email'))[0]?.state, { timeout: 20_000 }).toBe('closed');
  });

  it('inserts a saved snippet into a chat reply, and lays out at 1920, 1280 and 960 wide in English and Korean', async () => {
    const channels = channelsOf(center)!;
    await channels.inbound({
      tenantId: 'demo',
      channel: 'chat',
      identity: { chatVisitorId: 'e2e-layout-visitor' },
      text: 'Hi! I would like to change the delivery address of my order 7781 to my office: Teheran-ro 427, Gangnam-gu, Seoul 06159, 10th floor, reception desk.',
    });
    const offer = desk.getByTestId('offer-card').filter({ hasText: 'order 7781' });
    await offer.waitFor({ timeout: 30_000 });
    await offer.getByTestId('offer-accept').click();
    const panel = desk.getByRole('tabpanel');
    const composer = panel.getByTestId('reply-composer');
    await composer.waitFor({ timeout: 15_000 });
    // A nameless visitor is "Visitor" in the desk, not the center's stored word.
    await expect.poll(() => panel.getByTestId('thread-message').first().textContent(), { timeout: 15_000 }).toMatch(/^Visitor · /);

    // The agent writes a snippet of their own, then drops it into the reply at the cursor.
    const snippets = desk.getByTestId('snippets');
    await snippets.locator('summary').click();
    await snippets.getByTestId('snippet-add').click();
    await snippets.getByTestId('snippet-title').fill('Address change');
    await snippets.getByTestId('snippet-text').fill('I have changed the delivery address; you will get a new confirmation by text message.');
    await snippets.getByTestId('snippet-save').click();
    await expect.poll(() => snippets.getByTestId('snippet').count(), { timeout: 15_000 }).toBe(1);
    await composer.fill('Done! ');
    await composer.press('End');
    await composer.press('Alt+I');
    await panel.getByTestId('snippet-menu-item').first().press('Enter');
    await expect.poll(() => composer.inputValue(), { timeout: 15_000 }).toBe('Done! I have changed the delivery address; you will get a new confirmation by text message.');
    await composer.press('Control+Enter');
    await expect.poll(async () => (await panel.getByTestId('reply-state').allTextContents()).join(' '), { timeout: 20_000 }).toMatch(/Sent|Delivered/i);

    const sizes = [
      { width: 1920, height: 1080 },
      { width: 1280, height: 720 },
      { width: 960, height: 720 },
    ];
    for (const locale of ['en', 'ko'] as const) {
      await desk.getByTestId('language-switch').selectOption(locale);
      await desk.getByRole('heading', { name: locale === 'ko' ? '채팅·이메일' : 'Chats and emails' }).waitFor();
      for (const size of sizes) {
        await desk.setViewportSize(size);
        await panel.getByTestId('snippet-menu-button').click();
        await panel.getByTestId('snippet-menu').waitFor();
        const overflow = await desk.evaluate(() => {
          const sideways = document.documentElement.scrollWidth - document.documentElement.clientWidth;
          // Anything in the inbox pane that sticks out past the pane's right edge (cut off or overlapping).
          const pane = document.querySelector('.pane-inbox')!.getBoundingClientRect();
          const past = [...document.querySelectorAll('.pane-inbox *')]
            .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > pane.right + 1)
            .map((el) => `${el.tagName.toLowerCase()}.${el.className || el.getAttribute('data-testid')}`);
          return { sideways, past: [...new Set(past)].slice(0, 5) };
        });
        await desk.screenshot({ path: path.join(artifacts, `channels-desk-${size.width}-${locale}.png`) });
        await desk.keyboard.press('Escape');
        expect(overflow, `${size.width}×${size.height} ${locale}`).toEqual({ sideways: 0, past: [] });
      }
    }
    await desk.getByTestId('language-switch').selectOption('en');
    await desk.setViewportSize({ width: 1366, height: 768 });
  });
});
