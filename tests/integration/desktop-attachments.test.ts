// Mail attachments from the desk against a REAL center over loopback, with real SMTP: a customer's mail
// with a file reaches the center's receiver and is offered to agent1's desktop; once accepted, the
// desktop fetches the file with its session (DesktopApi getConversationAttachment) byte for byte;
// agent2's desktop, who never held the conversation, is refused, and so is an unknown ref.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOf, startCenter, type RunningCenter } from '../../server/src/index';
import type { DesktopServices } from '../../main/services/index';
import type { InboxView } from '../../shared/api/inbox';
import { twoAgentDesks, waitFor } from './desktop-harness';

const DOMAIN = 'mail.earshot.test';
const PDF = Buffer.from('%PDF-1.4\n% a quote for two kettles\n%%EOF\n');

describe('mail attachments from the desk against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-attachments-'));
  let center: RunningCenter;
  let desk: DesktopServices;
  let other: DesktopServices;
  let inbox: InboxView = { items: [], connected: false, unsent: [] };

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', dataDir: join(dir, 'center'), channels: { offerTimeoutMs: 60_000 }, mail: { port: 0, domain: DOMAIN } });
    // agent2 stays out of routing, so the mail goes to agent1.
    ({ desk, other } = await twoAgentDesks(center.url, dir, (v) => (inbox = v)));
  });
  afterAll(async () => {
    await desk?.stop();
    await other?.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches a kept attachment for the agent who holds the conversation, and for no one else', async () => {
    const subject = `Quote ${randomUUID().slice(0, 8)}`;
    const t = createTransport({ host: '127.0.0.1', port: mailOf(center)!.receiver.port, secure: false, ignoreTLS: true });
    try {
      await t.sendMail({
        envelope: { from: 'mina.kim@example.com', to: [`demo@${DOMAIN}`] },
        from: 'Mina Kim <mina.kim@example.com>',
        to: 'support@demo-shop.example',
        subject,
        text: 'The quote is attached.',
        attachments: [{ filename: 'quote.pdf', contentType: 'application/pdf', content: PDF }],
      });
    } finally {
      t.close();
    }
    const offered = await waitFor('the mail to be offered to agent1', () => inbox.items.find((i) => i.conversation.subject === subject));
    const conversationId = offered.conversation.id;
    const attachment = offered.messages[0]!.attachments[0]!;
    expect(attachment).toMatchObject({ name: 'quote.pdf', contentType: 'application/pdf', size: PDF.length, ref: expect.any(String) });
    const request = { ref: attachment.ref!, name: attachment.name };

    await desk.handlers.acceptConversation({ conversationId });
    const file = await desk.handlers.getConversationAttachment(request);
    expect(file.name).toBe('quote.pdf');
    expect(file.contentType).toBe('application/pdf');
    expect(Buffer.from(file.base64, 'base64').equals(PDF)).toBe(true);

    await expect(other.handlers.getConversationAttachment(request)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('No such attachment') });
    await expect(desk.handlers.getConversationAttachment({ ref: randomUUID(), name: 'x.pdf' })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
