// "Email me this conversation" through a whole center (PGlite and PostgreSQL): a visitor on real
// socket.io asks for their chat's transcript; the tenant's own SMTP server (smtp-server on 127.0.0.1)
// receives it for that one address, with our Message-ID, Auto-Submitted: auto-generated, both sides'
// words with times, escaped in the HTML, in English or Korean. Refused with the reason: a tenant
// without outgoing mail, a conversation no agent answered yet, a visitor with no conversation (and no
// way to name another's), a bad address or several, a second request moments after one, a fourth
// for one conversation, and a relay that refuses; the widget is told whether to offer it; the log
// never holds the address.
import { randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ConversationOffered, EVENTS } from '../../../../shared/protocol';
import { ChatSessionResponse, VISITOR_EVENTS, VisitorCatchUpResult, type ChatSiteIdentity } from '../../../../shared/protocol/webchat';
import { forEachDriver } from '../../../../tests/support/postgres';
import { seedDemo } from '../../demo/seed';
import { startCenter, type RunningCenter } from '../../index';
import { desktop, ok, smallTenant, type Desktop } from '../../testing/center-client';
import { setMailSettings } from '../mail';
import { buildTranscript } from './transcript';
import { createChatIdentitySecret, signChatIdentity } from './visitors';

type Ack = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
const DOMAIN = 'mail.earshot.test';

it('builds the transcript in the widget’s language, times in the visitor’s zone, words escaped', () => {
  const lines = [
    { from: 'visitor' as const, author: 'Mina', text: 'Is <b>this</b> & that in stock?', at: new Date('2026-12-07T01:02:00Z') },
    { from: 'agent' as const, author: 'Jisoo', text: 'Yes,\nboth are.', at: new Date('2026-12-07T01:03:00Z') },
  ];
  const en = buildTranscript({ shop: 'Demo shop', lang: 'en', timeZone: 'Asia/Seoul', lines });
  expect(en.subject).toBe('Your chat with Demo shop');
  expect(en.text).toContain('10:02');
  expect(en.text).toContain('You:\n  Is <b>this</b> & that in stock?');
  expect(en.text).toContain('Jisoo:\n  Yes,\n  both are.');
  expect(en.html).toContain('Is &lt;b&gt;this&lt;/b&gt; &amp; that in stock?');
  expect(en.html).not.toContain('<b>this');
  const ko = buildTranscript({ shop: '데모 상점', lang: 'ko', timeZone: 'Not/AZone', lines });
  expect(ko.subject).toBe('데모 상점 채팅 상담 내용');
  expect(ko.text).toContain('나:');
  expect(ko.text).toContain('UTC');
});

forEachDriver('chat transcripts by email', ({ freshDatabase }) => {
  let center: RunningCenter;
  let agent: Desktop;
  let relay: SMTPServer;
  let relayPort = 0;
  const received: Array<{ mail: ParsedMail; rcptTo: string[] }> = [];
  const offers: ConversationOffered[] = [];
  const sockets: Socket[] = [];
  const logLines: string[] = [];

  const session = async (body: Record<string, unknown>) => {
    const res = await fetch(`${center.url}/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', ...body }) });
    return ChatSessionResponse.parse(await res.json());
  };
  const visitor = (token: string) =>
    new Promise<Socket>((resolve, reject) => {
      const s = io(`${center.url}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  const emit = (s: Socket, event: string, payload: unknown) => s.timeout(20_000).emitWithAck(event, payload) as Promise<Ack>;
  const offerOf = async (s: Socket) => VisitorCatchUpResult.parse(ok(await emit(s, VISITOR_EVENTS.catchUp, { afterSeq: 0 }) as never)).transcript;
  const ask = (s: Socket, email: string, extra: Record<string, unknown> = {}) => emit(s, VISITOR_EVENTS.transcript, { email, ...extra });
  /** As if the visitor's last request were a minute ago (the gap between requests is 30 s). */
  const aMinuteLater = () => center.db.query("UPDATE chat_transcript_sends SET created_at = created_at - interval '1 minute'");

  beforeAll(async () => {
    relay = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, done) {
        if (address.address.startsWith('refused')) return done(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
        done();
      },
      onData(stream, s, done) {
        simpleParser(stream).then((mail) => {
          received.push({ mail, rcptTo: s.envelope.rcptTo.map((r) => r.address) });
          done();
        }, done);
      },
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    relayPort = (relay.server.address() as { port: number }).port;
    center = await startCenter(
      { ...(await freshDatabase()), port: 0, logLevel: 'debug', channels: { offerTimeoutMs: 60_000 }, mail: { port: 0, domain: DOMAIN } },
      { logDestination: { write: (line: string) => void logLines.push(line) } },
    );
    await seedDemo(center.db, { data: smallTenant('demo', 1), now: new Date('2026-11-01T00:00:00Z') });
    agent = await desktop(center.url, 'demo', 'agent1', undefined, (s) => s.on(EVENTS.conversationOffered, (m: unknown) => offers.push(ConversationOffered.parse(m))));
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    agent?.close();
    await center?.stop();
    await new Promise<void>((r) => relay?.close(() => r()));
  });

  it('mails the visitor’s own conversation, once per request, within the limits, and refuses the rest with the reason', async () => {
    const mina = await visitor((await session({ name: 'Mina' })).token);
    const sent = ok(await emit(mina, VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text: 'Is the <b>blue</b> kettle back in stock?' }) as never) as { conversationId: string };
    const conversationId = sent.conversationId;

    // No outgoing mail server yet: not offered, and refused as not available.
    expect(await offerOf(mina)).toEqual({ available: false, email: null, remaining: 3 });
    expect(await ask(mina, 'mina@example.com')).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not available') } });

    await setMailSettings(center.db, { tenantId: 'demo', host: '127.0.0.1', port: relayPort, requireTls: false, fromAddress: 'support@demo.example', fromName: 'Demo shop' });
    // No agent has answered: nothing to send yet.
    expect((await offerOf(mina)).available).toBe(false);
    expect(await ask(mina, 'mina@example.com')).toMatchObject({ ok: false, error: { code: 'not_found' } });

    await vi.waitFor(() => expect(offers.map((o) => o.conversation.id)).toContain(conversationId), { timeout: 15_000 });
    ok(await agent.call(EVENTS.conversationAccept, { conversationId }));
    ok(await agent.call(EVENTS.conversationReply, { conversationId, clientMutationId: randomUUID(), text: 'Yes, since this morning.' }));
    await vi.waitFor(async () => expect(await offerOf(mina)).toEqual({ available: true, email: null, remaining: 3 }), { timeout: 10_000 });

    // Not an address, several, or a header smuggled in: refused, nothing sent, nothing counted.
    for (const bad of ['mina', 'mina@example.com, other@example.com', 'mina@example.com\r\nBcc: other@example.com', '<mina@example.com>', `${'a'.repeat(250)}@example.com`]) {
      expect(await ask(mina, bad)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    // Another conversation cannot be named: the request says only where to send.
    expect(await ask(mina, 'mina@example.com', { conversationId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    expect(await ask(mina, 'mina@example.com', { lang: 'en', timeZone: 'Asia/Seoul' })).toEqual({ ok: true, value: { sent: true, remaining: 2 } });
    expect(received).toHaveLength(1);
    const first = received[0]!;
    expect(first.rcptTo).toEqual(['mina@example.com']);
    expect(first.mail.to).toMatchObject({ value: [{ address: 'mina@example.com' }] });
    expect(first.mail.from).toMatchObject({ value: [{ address: 'support@demo.example', name: 'Demo shop' }] });
    expect(first.mail.messageId).toBe(`<transcript.${conversationId}.1@${DOMAIN}>`);
    expect(first.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(first.mail.subject).toBe('Your chat with Demo shop');
    expect(first.mail.text).toContain('You:\n  Is the <b>blue</b> kettle back in stock?');
    expect(first.mail.text).toMatch(new RegExp(`${agent.user.displayName.split(/\s+/)[0]}:\\n  Yes, since this morning\\.`));
    expect(first.mail.text).toMatch(/GMT\+9|KST/);
    expect(first.mail.html).toContain('Is the &lt;b&gt;blue&lt;/b&gt; kettle');

    // Again at once: wait first.
    expect(await ask(mina, 'mina@example.com')).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringContaining('30 seconds') } });
    await aMinuteLater();
    // A relay that refuses the address: the visitor is told; the attempt counts.
    expect(await ask(mina, 'refused@example.com')).toMatchObject({ ok: false, error: { code: 'internal' } });
    await aMinuteLater();
    expect(await ask(mina, 'mina@example.com', { lang: 'ko' })).toEqual({ ok: true, value: { sent: true, remaining: 0 } });
    expect(received).toHaveLength(2);
    expect(received[1]!.mail.subject).toBe('Demo shop 채팅 상담 내용');
    expect(received[1]!.mail.text).toContain('나:');
    expect(received[1]!.mail.messageId).toBe(`<transcript.${conversationId}.3@${DOMAIN}>`);
    await aMinuteLater();
    expect(await ask(mina, 'mina@example.com')).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringContaining('3 times') } });
    expect(await offerOf(mina)).toEqual({ available: false, email: null, remaining: 0 });
    const rows = await center.db.query<{ n: number; state: string }>('SELECT n, state FROM chat_transcript_sends WHERE conversation_id = $1 ORDER BY n', [conversationId]);
    expect(rows).toEqual([
      { n: 1, state: 'sent' },
      { n: 2, state: 'failed' },
      { n: 3, state: 'sent' },
    ]);
    expect(received).toHaveLength(2);
    // The log says what happened, never where it went.
    expect(logLines.filter((l) => l.includes('a chat transcript was emailed'))).toHaveLength(3);
    expect(logLines.filter((l) => /mina@|refused@/.test(l))).toEqual([]);
  });

  it('prefills the address the site signed, and never sends another visitor’s conversation', async () => {
    const secret = await createChatIdentitySecret(center.db, 'demo');
    const fields = { externalId: 'u-77', email: 'joon@example.com', name: 'Joon', ts: Math.floor(Date.now() / 1000) };
    const identity: ChatSiteIdentity = { ...fields, sig: signChatIdentity(secret, fields) };
    const joon = await visitor((await session({ identity })).token);
    // Joon has written nothing: Mina's answered conversation is not his to have mailed.
    expect(await offerOf(joon)).toEqual({ available: false, email: 'joon@example.com', remaining: 3 });
    expect(await ask(joon, 'joon@example.com')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(received.map((r) => r.rcptTo)).not.toContainEqual(['joon@example.com']);
  });
});
