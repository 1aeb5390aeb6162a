// Email through a whole center, with real SMTP on 127.0.0.1 (PGlite and PostgreSQL): a customer's mail
// reaches the center's receiver, becomes a conversation offered to an agent with the customer's pop; the
// agent's reply leaves through the tenant's own SMTP server (a second SMTP server here) with our
// Message-ID and the thread's headers; the customer's answer, and one that lost its headers but kept the
// subject token, stay in the same conversation (one thread, three messages and more); a redelivered mail
// is stored once; a bounce marks the reply failed and makes no work; an out-of-office on a closed
// conversation is set aside; without mail settings a reply fails with what to do.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ConversationOffered, EVENTS } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { seedDemo } from '../demo/seed';
import { mailOf, startCenter, type RunningCenter } from '../index';
import { desktop, ok, smallTenant, type Desktop } from '../testing/center-client';
import { setMailSettings } from './mail';

const DOMAIN = 'mail.earshot.test';
const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../../tests/fixtures/mail', name), 'utf8');

forEachDriver('email through the center', ({ freshDatabase }) => {
  let center: RunningCenter;
  let agent: Desktop;
  let tenantSmtp: SMTPServer;
  let tenantPort = 0;
  const outbox: ParsedMail[] = [];
  const offers: ConversationOffered[] = [];
  const data = smallTenant('demo', 1);
  const customer = data.customers.find((c) => c.customer.identities.some((i) => i.kind === 'email'))!.customer;
  const email = customer.identities.find((i) => i.kind === 'email')!.value;

  const deliver = async (raw: string, from = email) => {
    const t = createTransport({ host: '127.0.0.1', port: mailOf(center)!.receiver.port, secure: false, ignoreTLS: true });
    try {
      return await t.sendMail({ envelope: { from, to: [`demo@${DOMAIN}`] }, raw });
    } finally {
      t.close();
    }
  };
  const mail = (o: { id: string; subject: string; text: string; inReplyTo?: string; from?: string }) =>
    [
      `From: ${o.from ?? `Customer <${email}>`}`,
      `To: support@demo.example`,
      `Subject: ${o.subject}`,
      `Message-ID: <${o.id}>`,
      ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`, `References: <${o.inReplyTo}>`] : []),
      'Date: Sun, 06 Dec 2026 10:00:00 +0900',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      o.text,
      '',
    ].join('\r\n');
  const messages = (conversationId: string) =>
    center.db.query<{ seq: number; direction: string; text: string; outbound_state: string | null; outbound_error: string | null; message_id: string | null }>(
      'SELECT seq, direction, text, outbound_state, outbound_error, message_id FROM conversation_messages WHERE conversation_id = $1 ORDER BY seq',
      [conversationId],
    );

  beforeAll(async () => {
    tenantSmtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        simpleParser(stream).then((m) => {
          outbox.push(m);
          done();
        }, done);
      },
    });
    await new Promise<void>((r) => tenantSmtp.listen(0, '127.0.0.1', r));
    tenantPort = (tenantSmtp.server.address() as { port: number }).port;
    center = await startCenter({ ...(await freshDatabase()), port: 0, logLevel: 'silent', channels: { offerTimeoutMs: 60_000 }, mail: { port: 0, domain: DOMAIN } });
    await seedDemo(center.db, { data, now: new Date('2026-11-01T00:00:00Z') });
    agent = await desktop(center.url, 'demo', 'agent1', undefined, (s) => s.on(EVENTS.conversationOffered, (m: unknown) => offers.push(ConversationOffered.parse(m))));
  });
  afterAll(async () => {
    agent?.close();
    await center?.stop();
    await new Promise<void>((r) => tenantSmtp?.close(() => r()));
  });

  it('keeps a thread in one conversation: the mail, our reply through the tenant’s server, and the answers to it', async () => {
    const first = `${randomUUID()}@customer.example`;
    await deliver(mail({ id: first, subject: 'Where is my refund?', text: 'I returned the kettle two weeks ago.' }));
    await vi.waitFor(() => expect(offers.length).toBeGreaterThan(0), { timeout: 15_000 });
    const offer = offers.at(-1)!;
    expect(offer.conversation).toMatchObject({ channel: 'email', subject: 'Where is my refund?', customerId: customer.id });
    expect(offer.customer?.pop?.customer.id).toBe(customer.id);
    const conversationId = offer.conversation.id;
    ok(await agent.call(EVENTS.conversationAccept, { conversationId }));

    // Without the tenant's mail server the reply fails with what to do.
    ok(await agent.call(EVENTS.conversationReply, { conversationId, clientMutationId: randomUUID(), text: 'One moment please.' }));
    await vi.waitFor(async () => expect((await messages(conversationId))[1]).toMatchObject({ outbound_state: 'failed', outbound_error: expect.stringContaining('tenant set-mail') }), { timeout: 10_000 });

    await setMailSettings(center.db, { tenantId: 'demo', host: '127.0.0.1', port: tenantPort, requireTls: false, fromAddress: 'support@demo.example', fromName: 'Demo support' });
    ok(await agent.call(EVENTS.conversationReply, { conversationId, clientMutationId: randomUUID(), text: 'Your refund left today.' }));
    await vi.waitFor(() => expect(outbox.length).toBe(1), { timeout: 10_000 });
    const sent = outbox[0]!;
    expect(sent.messageId).toBe(`<${conversationId}.3@${DOMAIN}>`);
    expect(sent.inReplyTo).toBe(`<${first}>`);
    expect(sent.subject).toMatch(/^Re: Where is my refund\? \[#ES-[0-9A-Z]{6}\]$/);
    expect(sent.headers.get('auto-submitted')).toBeUndefined();
    expect(sent.to).toMatchObject({ value: [{ address: email }] });
    expect(sent.text?.trim()).toBe('Your refund left today.');
    await vi.waitFor(async () => expect((await messages(conversationId))[2]).toMatchObject({ outbound_state: 'sent', message_id: `${conversationId}.3@${DOMAIN}` }), { timeout: 10_000 });

    // The customer answers our reply (Outlook-style, headers intact), then again from a client that kept only the subject.
    await deliver(mail({ id: `${randomUUID()}@customer.example`, subject: `RE: ${sent.subject}`, text: 'Thanks, got it.', inReplyTo: `${conversationId}.3@${DOMAIN}` }));
    const token = /\[#ES-[0-9A-Z]{6}\]/.exec(sent.subject!)![0];
    await deliver(mail({ id: `${randomUUID()}@customer.example`, subject: `Fwd: refund ${token}`, text: 'One more question.' }));
    await vi.waitFor(async () => expect((await messages(conversationId)).map((m) => m.direction)).toEqual(['in', 'out', 'out', 'in', 'in']), { timeout: 10_000 });
    // The same mail delivered again (a forwarding server's retry) is stored once.
    await deliver(mail({ id: first, subject: 'Where is my refund?', text: 'I returned the kettle two weeks ago.' }));
    const [count] = await center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE tenant_id = 'demo' AND channel = 'email'`);
    expect(count!.n).toBe(1);
    expect(await messages(conversationId)).toHaveLength(5);

    // A bounce of our reply marks it failed with the server's reason, and is never work.
    const bounce = fixture('dsn-bounce.eml').replace('<9e1f7a22-3b5c-4d8e-a0f1-2c3d4e5f6a7b@mail.earshot.test>', `<${conversationId}.3@${DOMAIN}>`);
    await deliver(bounce, '');
    await vi.waitFor(async () => expect((await messages(conversationId))[2]).toMatchObject({ outbound_state: 'failed', outbound_error: expect.stringContaining('5.1.1') }), { timeout: 10_000 });
    expect(await messages(conversationId)).toHaveLength(5);

    // Closed, then an out-of-office in the thread: set aside, nothing reopened.
    ok(await agent.call(EVENTS.conversationClose, { conversationId }));
    const ooo = fixture('out-of-office.eml').replace(/<77aa01c4-5e6f-4a8b-9c0d-1e2f3a4b5c6d@mail\.earshot\.test>/g, `<${conversationId}.3@${DOMAIN}>`);
    await deliver(ooo, 'j.lee@contoso-corp.example');
    await new Promise((r) => setTimeout(r, 500));
    expect(await messages(conversationId)).toHaveLength(5);
    const [state] = await center.db.query<{ state: string }>('SELECT state FROM conversations WHERE id = $1', [conversationId]);
    expect(state!.state).toBe('closed');
    expect(outbox).toHaveLength(1); // nothing was ever answered automatically
  });

  it('refuses mail for an unknown tenant and malformed mail with the reason, and keeps receiving', async () => {
    const t = createTransport({ host: '127.0.0.1', port: mailOf(center)!.receiver.port, secure: false, ignoreTLS: true });
    try {
      await expect(t.sendMail({ envelope: { from: email, to: [`nobody@${DOMAIN}`] }, raw: mail({ id: 'x1@c.example', subject: 'hi', text: 'hi' }) })).rejects.toMatchObject({ responseCode: 550 });
      await expect(t.sendMail({ envelope: { from: email, to: [`demo@${DOMAIN}`] }, raw: fixture('malformed-mime.eml') })).rejects.toMatchObject({ responseCode: 554 });
    } finally {
      t.close();
    }
    const before = offers.length;
    await deliver(mail({ id: `${randomUUID()}@customer.example`, subject: 'Still there?', text: 'Hello again.' }));
    await vi.waitFor(() => expect(offers.length).toBe(before + 1), { timeout: 15_000 });
  });
});
