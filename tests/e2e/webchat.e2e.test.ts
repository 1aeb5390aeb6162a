// The web chat widget on a customer's page, in Chromium, against the built center (demo): the visitor
// opens the chat on the demo shop page and writes; an agent (a socket of agent1) is offered the chat,
// accepts, types and answers; the page shows the agent typing, then the answer once. A reload catches
// up from the tab's last message without duplicates, the widget sets no global of the page (`io`) and
// shows text as text; once answered, the visitor has the conversation emailed ("Email me this
// conversation") and the transcript reaches the demo mailbox. Screenshots in English and Korean. The same page mails the center as a customer
// (real SMTP to the center's receiver); the agent's answer lands in the demo mailbox the page lists.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ConversationOffered, EVENTS } from '../../shared/protocol/index';
import { artifacts, centerClient, launchChromium, removeDir, startCenter, tempDir } from './support';

let center: Awaited<ReturnType<typeof startCenter>>;
let browser: Browser;
let agent: Socket;
const offers: ConversationOffered[] = [];
const dir = tempDir('webchat');

const call = <T>(event: string, payload: unknown) => agent.timeout(10_000).emitWithAck(event, payload) as Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>;

beforeAll(async () => {
  center = await startCenter({ dataDir: dir, extraArgs: ['--mail-port', '0', '--mail-domain', 'mail.earshot.localhost'] });
  agent = await centerClient(center.url, 'demo', 'agent1', 'demo', (s) => s.on(EVENTS.conversationOffered, (m: unknown) => offers.push(ConversationOffered.parse(m))));
  browser = await launchChromium();
}, 200_000);
afterAll(async () => {
  agent?.close();
  await browser?.close();
  await center?.stop();
  removeDir(dir);
});

describe('web chat widget', () => {
  it('lets a visitor write, an agent answer, and a reload catch up without duplicates', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${center.url}/chat/demo`);
    await page.getByTestId('chat-launcher').click();
    await expect.poll(async () => (await page.getByTestId('chat-status').textContent()) ?? '', { timeout: 15_000 }).toMatch(/Connected/);
    const text = 'Hello, my order <b>#4411</b> has not arrived';
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-input').press('Enter');

    // agent1 is offered the chat with the visitor's message, and accepts.
    await expect.poll(() => offers.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const offer = offers[0]!;
    expect(offer.conversation.channel).toBe('chat');
    expect(offer.messages.map((m) => m.text)).toEqual([text]);
    const conversationId = offer.conversation.id;
    expect(await call(EVENTS.conversationAccept, { conversationId })).toMatchObject({ ok: true });
    // Nothing answered yet: no transcript to email.
    expect(await page.getByTestId('chat-transcript').isHidden()).toBe(true);

    // The agent types, then answers: the visitor sees both.
    expect(await call('conversation:typing', { conversationId, typing: true })).toMatchObject({ ok: true });
    await expect.poll(async () => (await page.getByTestId('chat-typing').textContent()) ?? '', { timeout: 10_000 }).toMatch(/typing/);
    const answer = 'Sorry! It left our warehouse this morning; here is the tracking link: https://track.example/4411';
    expect(await call(EVENTS.conversationReply, { conversationId, clientMutationId: randomUUID(), text: answer })).toMatchObject({ ok: true });
    const messages = page.getByTestId('chat-message');
    await expect.poll(() => messages.count(), { timeout: 10_000 }).toBe(2);
    expect(await messages.nth(1).textContent()).toContain(answer);
    // Text stays text: the visitor's <b> is shown, not rendered.
    expect(await messages.nth(0).textContent()).toContain('<b>#4411</b>');
    expect(await page.locator('[data-earshot-chat] >> b').count()).toBe(0);
    expect(await page.evaluate('typeof window.io')).toBe('undefined');
    await page.screenshot({ path: path.join(artifacts, 'webchat-en.png') });

    // Answered, and the demo tenant sends mail: "Email me this conversation" is offered; the transcript reaches the demo mailbox.
    await page.getByTestId('chat-transcript-open').click();
    await page.getByTestId('chat-transcript-email').fill('mina.kim@example.com');
    await page.getByTestId('chat-transcript-send').click();
    await expect.poll(async () => (await page.getByTestId('chat-transcript-status').textContent()) ?? '', { timeout: 20_000 }).toBe('Sent to mina.kim@example.com.');
    const mailbox = (await (await fetch(`${center.url}/chat/demo/mailbox`)).json()) as { mails: Array<{ to: string; subject: string; text: string }> };
    const transcript = mailbox.mails.find((m) => m.subject.startsWith('Your chat with'));
    expect(transcript?.to).toContain('mina.kim@example.com');
    expect(transcript?.text).toContain(text);
    expect(transcript?.text).toContain(answer);
    await page.screenshot({ path: path.join(artifacts, 'webchat-transcript-en.png') });

    // A reload: the chat opens again by itself and shows each message once.
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-message').count(), { timeout: 15_000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await page.getByTestId('chat-message').count()).toBe(2);
    await page.close();
  });

  it('speaks Korean on a Korean page', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'ko-KR' });
    await page.goto(`${center.url}/chat/demo?lang=ko`);
    expect(await page.getByTestId('chat-launcher').textContent()).toBe('채팅 상담');
    await page.getByTestId('chat-launcher').click();
    await expect.poll(async () => (await page.getByTestId('chat-status').textContent()) ?? '', { timeout: 15_000 }).toMatch(/연결되었습니다/);
    await page.getByTestId('chat-input').fill('배송이 늦어지고 있어요');
    await page.getByTestId('chat-send').click();
    await expect.poll(() => page.getByTestId('chat-message').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await page.getByTestId('chat-message').first().getAttribute('class')) ?? '', { timeout: 10_000 }).not.toContain('pending');
    // Not answered: the transcript control stays hidden (its words are Korean).
    expect(await page.getByTestId('chat-transcript').isHidden()).toBe(true);
    expect(await page.getByTestId('chat-transcript-open').textContent()).toBe('이 대화를 이메일로 받기');
    await page.screenshot({ path: path.join(artifacts, 'webchat-ko.png') });
    await page.close();
  });

  it('mails the center as a customer from the demo page, and shows the agent’s answer from the demo mailbox', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${center.url}/chat/demo`);
    const before = offers.length;
    const form = page.getByTestId('demo-mail-form');
    await form.locator('input[name=subject]').fill('Wrong size delivered');
    await form.locator('textarea[name=text]').fill('I ordered a medium and got a small.');
    await form.getByRole('button').click();
    await expect.poll(() => offers.length, { timeout: 20_000 }).toBe(before + 1);
    const offer = offers.at(-1)!;
    expect(offer.conversation).toMatchObject({ channel: 'email', subject: 'Wrong size delivered' });
    expect(offer.messages[0]!.text).toContain('I ordered a medium');
    const conversationId = offer.conversation.id;
    expect(await call(EVENTS.conversationAccept, { conversationId })).toMatchObject({ ok: true });
    expect(await call(EVENTS.conversationReply, { conversationId, clientMutationId: randomUUID(), text: 'We are sending a medium today.' })).toMatchObject({ ok: true });
    // (The mailbox also holds the chat transcript the first test asked for.)
    const reply = page.getByTestId('mailbox-mail').filter({ hasText: 'We are sending a medium today.' });
    await expect.poll(() => reply.count(), { timeout: 20_000 }).toBe(1);
    const shown = (await reply.first().textContent()) ?? '';
    expect(shown).toMatch(/Re: Wrong size delivered \[#ES-[0-9A-Z]{6}\]/);
    expect(shown).toContain('We are sending a medium today.');
    await page.screenshot({ path: path.join(artifacts, 'demo-mail-en.png'), fullPage: true });
    await page.close();
  });
});
