// A whole thread over real SMTP on 127.0.0.1: a customer writes (receiver), an agent answers
// (sender → a second smtp-server as the tenant's server), the customer answers that reply and then
// writes once more with only the subject token: one conversation, found through the FindThread port.
// The conversations store is not part of this library; a Map plays it here, behind the same ports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterEach, expect, it } from 'vitest';
import { createEmailSender } from './outbound';
import { startEmailReceiver, type EmailReceiver } from './receiver';
import { findMailThread, newSubjectReference } from './threading';
import type { FindThread, InboundMail, MailVerdict } from './types';

const DOMAIN = 'mail.earshot.test';
const FIXTURES = path.resolve(import.meta.dirname, '../../../../tests/fixtures/mail');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface Conversation {
  id: string;
  ref: string;
  messageIds: string[];
}

it('three customer mails and a reply stay one conversation; a redelivery is not a second message', async () => {
  const conversations: Conversation[] = [];
  const findThread: FindThread = async (ids, ref) =>
    conversations.find((c) => ids.some((id) => c.messageIds.includes(id)))?.id ?? conversations.find((c) => c.ref === ref)?.id ?? null;
  const inbox: { mail: InboundMail; conversation: string; duplicate: boolean }[] = [];
  const onMail = async (mail: InboundMail): Promise<MailVerdict> => {
    const known = conversations.find((c) => c.messageIds.includes(mail.messageId));
    if (known) {
      inbox.push({ mail, conversation: known.id, duplicate: true });
      return { accepted: true };
    }
    const id = await findMailThread(mail, findThread);
    let conversation = conversations.find((c) => c.id === id);
    if (!conversation) {
      conversation = { id: `conversation-${conversations.length + 1}`, ref: newSubjectReference(), messageIds: [] };
      conversations.push(conversation);
    }
    conversation.messageIds.push(mail.messageId);
    inbox.push({ mail, conversation: conversation.id, duplicate: false });
    return { accepted: true };
  };
  const receiver: EmailReceiver = await startEmailReceiver({ host: '127.0.0.1', port: 0, centerDomain: DOMAIN, onMail });
  closers.push(() => receiver.close());

  const delivered: ParsedMail[] = [];
  const tenantServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        delivered.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((done) => tenantServer.listen(0, '127.0.0.1', done));
  closers.push(() => new Promise<void>((done) => tenantServer.close(() => done())));
  const tenantAddress = tenantServer.server.address();
  const tenantPort = typeof tenantAddress === 'object' && tenantAddress ? tenantAddress.port : 0;

  const customer = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  closers.push(async () => customer.close());
  const toCenter = { from: 'mx@acme-shop.example', to: [`acme@${DOMAIN}`] };

  // 1. The customer writes.
  await customer.sendMail({ envelope: toCenter, raw: readFileSync(path.join(FIXTURES, 'multipart-alternative.eml')) });
  const first = inbox[0]!;
  const conversation = conversations[0]!;

  // 2. The agent answers through the tenant's server.
  const sender = createEmailSender({ centerDomain: DOMAIN });
  const sent = await sender.sendReply(
    { host: '127.0.0.1', port: tenantPort, from: { address: 'support@acme-shop.example', name: 'ACME Support' } },
    {
      idempotencyKey: 'outbox-1',
      to: [first.mail.from],
      subject: first.mail.subject,
      subjectRef: conversation.ref,
      text: 'Dear Minji Park,\n\nA new lid is on its way.\n\nSeo-yeon',
      inReplyTo: first.mail.messageId,
      references: first.mail.references,
    },
  );
  expect(sent.state).toBe('sent');
  conversation.messageIds.push(sent.messageId);
  const ourReply = delivered[0]!;

  // 3. The customer's mail program answers our reply, with our headers.
  await customer.sendMail({
    envelope: toCenter,
    from: 'Minji Park <minji.park@example.net>',
    to: 'support@acme-shop.example',
    subject: `Re: ${ourReply.subject}`,
    messageId: '<second@mail.example.net>',
    inReplyTo: ourReply.messageId,
    references: [...[ourReply.references ?? []].flat(), ourReply.messageId ?? ''],
    text: 'Thank you!\n\nOn Tue, Seo-yeon wrote:\n> A new lid is on its way.',
  });
  // 4. A new mail from another program: no thread headers, only the token in the subject.
  await customer.sendMail({
    envelope: toCenter,
    from: 'minji.park@example.net',
    to: 'support@acme-shop.example',
    subject: `The lid fits [#${conversation.ref}]`,
    messageId: '<third@phone.example.net>',
    text: 'The lid arrived and fits.',
  });
  // 5. The forwarding server delivers the first mail again (it timed out waiting for our 250).
  await customer.sendMail({ envelope: toCenter, raw: readFileSync(path.join(FIXTURES, 'multipart-alternative.eml')) });

  expect(ourReply.subject).toBe(`Re: Order A-10293 arrived damaged [#${conversation.ref}]`);
  expect(ourReply.inReplyTo).toBe('<CAF3k9xQ1mZ7@mail.example.net>');
  expect(inbox.map((m) => [m.mail.messageId, m.conversation, m.duplicate])).toEqual([
    ['CAF3k9xQ1mZ7@mail.example.net', 'conversation-1', false],
    ['second@mail.example.net', 'conversation-1', false],
    ['third@phone.example.net', 'conversation-1', false],
    ['CAF3k9xQ1mZ7@mail.example.net', 'conversation-1', true],
  ]);
  expect(inbox[1]?.mail.text.reply).toBe('Thank you!');
  expect(conversations).toHaveLength(1);
  expect(conversation.messageIds).toEqual(['CAF3k9xQ1mZ7@mail.example.net', sent.messageId, 'second@mail.example.net', 'third@phone.example.net']);
});
