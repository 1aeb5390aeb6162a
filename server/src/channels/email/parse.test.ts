// Every fixture under tests/fixtures/mail through parse → classify → fold → sanitise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from './parse';
import { findMailThread, replySubject, threadLookupIds } from './threading';
import type { InboundMail, MailEnvelope } from './types';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../tests/fixtures/mail');
const envelope: MailEnvelope = { tenant: 'acme', mailFrom: 'sender@example.net', rcptTo: ['acme@mail.earshot.test'], remoteAddress: '127.0.0.1' };

function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

async function parsed(name: string, env: MailEnvelope = envelope, limits = {}): Promise<InboundMail> {
  const outcome = await parseInboundMail(fixture(name), env, limits);
  if (!outcome.ok) throw new Error(`${name} did not parse: ${outcome.reason}`);
  return outcome.mail;
}

describe('inbound mail fixtures', () => {
  it('multipart/alternative: addresses, encoded words, both bodies, a personal message', async () => {
    const mail = await parsed('multipart-alternative.eml');
    expect(mail.from).toEqual({ address: 'minji.park@example.net', name: '박민지' });
    expect(mail.to).toEqual([{ address: 'support@acme-shop.example', name: 'ACME Support' }]);
    expect(mail.subject).toBe('Order A-10293 arrived damaged');
    expect(mail.messageId).toBe('CAF3k9xQ1mZ7@mail.example.net');
    expect(mail.messageIdGenerated).toBe(false);
    expect(mail.date).toBe('2026-11-30T00:13:58.000Z');
    expect(mail.text.reply).toContain('Could you send a replacement lid');
    expect(mail.text.reply).toContain('Minji Park');
    expect(mail.text.quoted).toBe('');
    expect(mail.html?.html).toContain('<b>A-10293</b>');
    expect(mail.classification).toEqual({ kind: 'personal', neverAnswerAutomatically: false, reasons: [], deliveryReport: null });
    expect(threadLookupIds(mail)).toEqual([]);
  });

  it('Gmail reply: "On … wrote:" and > quotes folded, the sign-off kept, thread ids and token found', async () => {
    const mail = await parsed('gmail-reply.eml');
    expect(mail.text.reply).toBe('A replacement lid is fine, thank you. I am home after 6 pm on weekdays.\n\nMinji');
    expect(mail.text.quoted).toMatch(/^On Mon, 30 Nov 2026 at 17:40, ACME Support <support@acme-shop.example> wrote:/);
    expect(mail.text.quoted).toContain('> Which would you prefer?');
    expect(mail.text.full).toContain(mail.text.reply);
    expect(mail.text.full).toContain('> Which would you prefer?');
    expect(mail.html?.html).toContain('<div class="earshot-quote">');
    expect(mail.subjectRef).toBe('ES-4F2A9C');
    expect(mail.inReplyTo).toEqual(['0b6f5c1e-2d7a-4c1b-9a53-8f0e1d2c3b4a@mail.earshot.test']);
    expect(threadLookupIds(mail)).toEqual(['0b6f5c1e-2d7a-4c1b-9a53-8f0e1d2c3b4a@mail.earshot.test', 'CAF3k9xQ1mZ7@mail.example.net']);
    const asked: [string[], string | null][] = [];
    const thread = await findMailThread(mail, async (ids, ref) => {
      asked.push([ids, ref]);
      return ids.includes('CAF3k9xQ1mZ7@mail.example.net') ? 'conversation-1' : null;
    });
    expect(thread).toBe('conversation-1');
    expect(asked[0]?.[1]).toBe('ES-4F2A9C');
    expect(mail.classification.kind).toBe('personal');
  });

  it('Outlook reply: the "From: … Sent: …" block folded, the signature stays in the reply', async () => {
    const mail = await parsed('outlook-reply.eml');
    expect(mail.text.reply).toMatch(/month-end closes on Friday\.\n\nBest regards,\nJaehyun Lee\nContoso Corp\. \| Purchasing$/);
    expect(mail.text.quoted).toMatch(/^_+\nFrom: ACME Support <support@acme-shop.example>\nSent: Tuesday, December 1, 2026 4:05 PM/);
    expect(mail.text.quoted).toContain('We have corrected the invoice');
    expect(mail.subjectRef).toBe('ES-7KQ3ZD');
    expect(mail.html?.html).toContain('class="earshot-quote-header"');
    expect(mail.html?.html).not.toMatch(/<style|<meta|xmlns/);
    expect(replySubject(mail.subject, 'ES-7KQ3ZD')).toBe('RE: Invoice 2026-1187 shows the wrong VAT number [#ES-7KQ3ZD]');
  });

  it('DSN bounce: failed recipient, status and the bounced Message-ID for threading', async () => {
    const mail = await parsed('dsn-bounce.eml', { ...envelope, mailFrom: null });
    expect(mail.classification.kind).toBe('bounce');
    expect(mail.classification.neverAnswerAutomatically).toBe(true);
    expect(mail.classification.reasons).toContain('multipart/report; report-type=delivery-status');
    expect(mail.classification.reasons).toContain('null envelope sender (MAIL FROM:<>)');
    expect(mail.classification.deliveryReport).toEqual({
      reportingMta: 'mx.acme-shop.example',
      envelopeId: null,
      recipients: [
        {
          recipient: 'h.choi@old-domain.example',
          action: 'failed',
          status: '5.1.1',
          permanent: true,
          diagnostic: '550 5.1.1 <h.choi@old-domain.example>: Recipient address rejected: User unknown in virtual mailbox table',
        },
      ],
      originalMessageId: '9e1f7a22-3b5c-4d8e-a0f1-2c3d4e5f6a7b@mail.earshot.test',
    });
    expect(threadLookupIds(mail)).toEqual(['9e1f7a22-3b5c-4d8e-a0f1-2c3d4e5f6a7b@mail.earshot.test']);
  });

  it('out-of-office: an auto-reply never answered automatically', async () => {
    const mail = await parsed('out-of-office.eml');
    expect(mail.classification.kind).toBe('auto-reply');
    expect(mail.classification.neverAnswerAutomatically).toBe(true);
    expect(mail.classification.reasons).toContain('Auto-Submitted: auto-generated');
    expect(mail.subjectRef).toBe('ES-7KQ3ZD');
  });

  it('list mail without a Message-ID: bulk, and a stable generated id for de-duplication', async () => {
    const mail = await parsed('newsletter-no-message-id.eml');
    expect(mail.classification.kind).toBe('bulk');
    expect(mail.classification.reasons).toEqual(['Precedence: bulk', 'mailing list (List-Id / List-Unsubscribe)', 'X-Loop header']);
    expect(mail.messageIdGenerated).toBe(true);
    expect(mail.messageId).toMatch(/^[0-9a-f]{32}@generated\.earshot\.invalid$/);
    // Relayed once more (another Received line on top): still the same message.
    const relayed = Buffer.concat([Buffer.from('Received: from relay.example by mx.example; Sat, 05 Dec 2026 07:00:05 +0900\r\n'), fixture('newsletter-no-message-id.eml')]);
    const again = await parseInboundMail(relayed, envelope);
    expect(again.ok && again.mail.messageId).toBe(mail.messageId);
  });

  it('HTML with scripts, handlers, javascript: links, forms and tracking images is sanitised', async () => {
    const mail = await parsed('html-scripts.eml');
    const html = mail.html?.html ?? '';
    for (const banned of [/<script/i, /onclick|onload|onmouseover/i, /javascript/i, /<iframe/i, /<form|<input|password/i, /<svg|<object/i, /<style|url\(/i, /tracker\.example/, /http-equiv/i, /document\.cookie/]) {
      expect(html).not.toMatch(banned);
    }
    expect(html).toContain('<a href="https://acme-shop.example/account" rel="noopener noreferrer nofollow" target="_blank">your account</a>');
    expect(html).toContain('href="tel:+82-2-555-0100"');
    expect(html).toContain('<h1 style="color:#c00;font-size:20px">');
    expect(html).toContain('<td style="text-align:center">Order</td>');
    expect(html).toContain('<blockquote class="earshot-quote">Earlier message</blockquote>');
    // The tracking pixel, the data: SVG and a cid: image with no attachment behind it.
    expect(mail.html?.imagesBlocked).toBe(3);
    expect(html).toContain('[ACME logo]');
  });

  it('attachments over the per-file limit are dropped with the reason; the rest are kept', async () => {
    const mail = await parsed('oversize-attachment.eml', envelope, { maxAttachmentBytes: 32 * 1024 });
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([['receipt-A-10293.pdf', 'application/pdf', 1819]]);
    expect(mail.attachments[0]?.content.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect(mail.attachments[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mail.droppedAttachments).toEqual([
      { filename: 'IMG_2041.jpg', contentType: 'image/jpeg', size: 49156, reason: 'larger than the 32 KB limit per file (48 KB)' },
    ]);
    const total = await parsed('oversize-attachment.eml', envelope, { maxAttachmentBytes: 64 * 1024, maxTotalAttachmentBytes: 40 * 1024 });
    expect(total.attachments.map((a) => a.filename)).toEqual(['receipt-A-10293.pdf']);
    expect(total.droppedAttachments[0]?.reason).toBe("the message's attachments passed the 40 KB total limit");
  });

  it('attachment names keep no directories', async () => {
    const raw = [
      'From: a@example.net', 'To: acme@mail.earshot.test', 'Subject: files', 'Message-ID: <files-1@example.net>', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'see attached', '--b',
      'Content-Type: text/plain; name="x"', 'Content-Disposition: attachment; filename="../../etc/passwd"', '', 'root:x:0:0', '--b--', '',
    ].join('\r\n');
    const outcome = await parseInboundMail(Buffer.from(raw), envelope);
    expect(outcome.ok && outcome.mail.attachments.map((a) => a.filename)).toEqual(['__.._etc_passwd']);
  });

  it('malformed MIME is refused with a reason a person can act on', async () => {
    const outcome = await parseInboundMail(fixture('malformed-mime.eml'), envelope);
    expect(outcome).toEqual({ ok: false, reason: 'malformed MIME: the message is multipart/mixed but names no boundary, so its parts cannot be told apart' });
    const noFrom = await parseInboundMail(Buffer.from('Subject: hi\r\nTo: acme@mail.earshot.test\r\n\r\nhello\r\n'), envelope);
    expect(noFrom).toEqual({ ok: false, reason: 'malformed message: the From header is missing or holds no address' });
  });
});
