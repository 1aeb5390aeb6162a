// The desk's inbox in Chromium against a real center (in this process, so the test can put customers'
// messages in through the center's own channels intake, as the email receiver and chat namespace do)
// and the built web-mode desktop: an email with a quoted part and a chat are offered; the agent accepts
// the email, replies with Ctrl+Enter and sees it sent, wraps up and closes it. Screenshots at 1366×768
// in English and Korean are kept in test-results/e2e. A mail with a file, sent over SMTP to the center's
// receiver, shows it with Download, which saves the same bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTransport } from 'nodemailer';
import { channelsOf, mailOf, startCenter, type RunningCenter } from '../../server/src/index';
import { artifacts, launchChromium, removeDir, seriousAxeViolations, startWebDesktop, tempDir, type Started } from './support';

let center: RunningCenter;
let desktop: Started & { url: string };
let browser: Browser;
let page: Page;
const dir = tempDir('inbox');

beforeAll(async () => {
  center = await startCenter({ port: 0, demo: true, logLevel: 'silent', dataDir: path.join(dir, 'center'), channels: { offerTimeoutMs: 600_000 }, mail: { port: 0, domain: 'mail.earshot.localhost' } });
  desktop = await startWebDesktop(center.url, path.join(dir, 'desktop'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(desktop.url);
  await page.getByTestId('agent-bar').waitFor({ timeout: 60_000 });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await desktop?.stop();
  await center?.stop();
  removeDir(dir);
});

describe('the inbox of chats and emails', () => {
  it('offers an email and a chat; the agent accepts, replies, wraps up and closes', async () => {
    const channels = channelsOf(center)!;
    const email = await channels.inbound({
      tenantId: 'demo',
      channel: 'email',
      identity: { email: 'min.ji.kim@example.com', displayName: 'Min-ji Kim' },
      subject: 'Order 1234 has not arrived',
      text: 'Hello,\nmy order 1234 has not arrived yet. Could you check where it is?\n\nOn Mon, 30 Nov 2026 at 09:00, Shop <shop@example.com> wrote:\n> Your order has shipped.\n> Thank you for shopping with us.',
      html: '<p>Hello,</p><script>alert(1)</script>',
      headers: { messageId: '<e2e-1@example.com>' },
    });
    const offer = page.getByTestId('offer-card');
    await offer.first().waitFor({ timeout: 30_000 });
    expect(await offer.first().textContent()).toContain('Order 1234 has not arrived');
    // The chat comes second: offered once the agent has room (chat capacity) — put it in now.
    await channels.inbound({ tenantId: 'demo', channel: 'chat', identity: { chatVisitorId: 'e2e-visitor-1', displayName: 'Visitor' }, text: 'Hi, is the store open on Sunday?' });
    await page.screenshot({ path: path.join(artifacts, 'inbox-offer-en.png') });

    await page.getByTestId('offer-card').filter({ hasText: 'Order 1234' }).getByRole('button', { name: 'Accept' }).click();
    const panel = page.getByRole('tabpanel');
    await panel.waitFor();
    await expect.poll(() => panel.getByText('Quoted text').count()).toBe(1);
    const composer = panel.getByTestId('reply-composer');
    await composer.fill('Hello Min-ji, your parcel left our warehouse today and should arrive tomorrow.');
    await composer.press('Control+Enter');
    await panel.getByTestId('reply-state').first().waitFor();
    await page.getByRole('heading', { name: 'Chats and emails' }).scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('inbox-heading')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(artifacts, 'inbox-active-en.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
    const [stored] = await center.db.query<{ n: string }>(`SELECT count(*) AS n FROM conversation_messages WHERE conversation_id = $1 AND direction = 'out'`, [email.conversationId]);
    expect(Number(stored?.n)).toBe(1);

    await page.getByTestId('language-switch').selectOption('ko');
    await page.getByRole('heading', { name: '채팅·이메일' }).waitFor();
    await page.evaluate(() => document.getElementById('inbox-heading')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(artifacts, 'inbox-active-ko.png') });
    await page.getByTestId('language-switch').selectOption('en');

    await panel.getByTestId('conversation-wrap-up').click();
    const wrap = page.getByTestId('conversation-wrap-up-panel');
    await wrap.waitFor();
    const select = wrap.getByTestId('conversation-disposition');
    if ((await select.count()) > 0) {
      const firstCode = await select.locator('option').nth(1).getAttribute('value');
      if (firstCode) await select.selectOption(firstCode);
    }
    await wrap.getByTestId('conversation-close').click();
    await expect
      .poll(async () => (await center.db.query<{ state: string }>(`SELECT state FROM conversations WHERE id = $1`, [email.conversationId]))[0]?.state, { timeout: 15_000 })
      .toBe('closed');
  });

  it('downloads a mail attachment the center kept', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% the receipt\n%%EOF\n');
    const t = createTransport({ host: '127.0.0.1', port: mailOf(center)!.receiver.port, secure: false, ignoreTLS: true });
    try {
      await t.sendMail({
        envelope: { from: 'min.ji.kim@example.com', to: ['demo@mail.earshot.localhost'] },
        from: 'Min-ji Kim <min.ji.kim@example.com>',
        to: 'support@demo-shop.example',
        subject: 'My receipt',
        text: 'The receipt is attached.',
        attachments: [{ filename: 'receipt.pdf', contentType: 'application/pdf', content: pdf }],
      });
    } finally {
      t.close();
    }
    const offer = page.getByTestId('offer-card').filter({ hasText: 'My receipt' });
    await offer.waitFor({ timeout: 30_000 });
    await offer.getByRole('button', { name: 'Accept' }).click();
    const button = page.getByRole('tabpanel').getByRole('button', { name: 'Download receipt.pdf' });
    await button.waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), button.click()]);
    expect(download.suggestedFilename()).toBe('receipt.pdf');
    const saved = path.join(dir, 'receipt.pdf');
    await download.saveAs(saved);
    expect(readFileSync(saved).equals(pdf)).toBe(true);
  });
});
