// Mail attachments kept and served, through a whole center with real SMTP on 127.0.0.1 (PGlite and
// PostgreSQL): a customer's mail with files reaches the receiver; the kept ones are stored (once, also
// when the mail is delivered again), the one over the limit is listed as dropped; the agent who holds
// the conversation downloads each byte for byte, as an attachment, with its type only when safe and
// nosniff; after closing it they still may; another agent, another tenant's user, an unknown id and no
// sign-in are refused.
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ConversationOffered, EVENTS } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { seedDemo } from '../demo/seed';
import { mailOf, startCenter, type RunningCenter } from '../index';
import { desktop, login, ok, smallTenant, type Desktop } from '../testing/center-client';
import { attachmentRef, servedContentType } from './attachments';

const DOMAIN = 'mail.earshot.test';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script>Invoice</body></html>');
const NOTE = Buffer.from('견적서: 주전자 2개, 합계 58,000원\n', 'utf8');
const BIG = Buffer.alloc(3000, 7);

it('serves a stored type only when it is on the safe list', () => {
  expect(servedContentType('application/PDF; name="a.pdf"')).toBe('application/pdf');
  expect(servedContentType('text/html')).toBe('application/octet-stream');
  expect(servedContentType('image/svg+xml')).toBe('application/octet-stream');
  expect(servedContentType('')).toBe('application/octet-stream');
  expect(attachmentRef('demo', 'a@b', 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(attachmentRef('demo', 'a@b', 0)).not.toBe(attachmentRef('acme', 'a@b', 0));
});

forEachDriver('mail attachments kept and served', ({ freshDatabase }) => {
  let center: RunningCenter;
  let agent: Desktop;
  const offers: ConversationOffered[] = [];
  const data = smallTenant('demo', 1);
  const email = data.customers.flatMap((c) => c.customer.identities).find((i) => i.kind === 'email')!.value;

  const deliver = async (messageId: string) => {
    const t = createTransport({ host: '127.0.0.1', port: mailOf(center)!.receiver.port, secure: false, ignoreTLS: true });
    try {
      await t.sendMail({
        envelope: { from: email, to: [`demo@${DOMAIN}`] },
        from: email,
        to: 'support@demo.example',
        subject: 'The quote and my invoice',
        messageId: `<${messageId}>`,
        text: 'Both files attached.',
        attachments: [
          { filename: 'invoice.pdf', contentType: 'application/pdf', content: PDF },
          { filename: 'page.html', contentType: 'text/html', content: HTML },
          { filename: '견적서.txt', contentType: 'text/plain; charset=utf-8', content: NOTE },
          { filename: 'scan.bin', contentType: 'application/octet-stream', content: BIG },
        ],
      });
    } finally {
      t.close();
    }
  };
  const get = (ref: string, token?: string) => fetch(`${center.url}/api/attachments/${ref}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    center = await startCenter({
      ...(await freshDatabase()),
      port: 0,
      logLevel: 'silent',
      channels: { offerTimeoutMs: 60_000 },
      mail: { port: 0, domain: DOMAIN, attachmentLimits: { maxAttachmentBytes: 2000, maxTotalAttachmentBytes: 10_000 } },
    });
    await seedDemo(center.db, { data, now: new Date('2026-11-01T00:00:00Z') });
    await seedDemo(center.db, { data: smallTenant('acme', 2), now: new Date('2026-11-01T00:00:00Z') });
    agent = await desktop(center.url, 'demo', 'agent1', undefined, (s) => s.on(EVENTS.conversationOffered, (m: unknown) => offers.push(ConversationOffered.parse(m))));
  });
  afterAll(async () => {
    agent?.close();
    await center?.stop();
  });

  it('keeps the files within the limits, serves them to whoever holds or held the conversation, and to no one else', async () => {
    const messageId = `${randomUUID()}@customer.example`;
    await deliver(messageId);
    await vi.waitFor(() => expect(offers.length).toBe(1), { timeout: 15_000 });
    const conversationId = offers[0]!.conversation.id;
    const [message] = await center.db.query<{ attachments: unknown }>('SELECT attachments FROM conversation_messages WHERE conversation_id = $1 AND seq = 1', [conversationId]);
    const list = (typeof message!.attachments === 'string' ? JSON.parse(message!.attachments) : message!.attachments) as Array<{ name: string; ref?: string; dropped?: string; size: number }>;
    expect(list.map((a) => [a.name, Boolean(a.ref), Boolean(a.dropped)])).toEqual([
      ['invoice.pdf', true, false],
      ['page.html', true, false],
      ['견적서.txt', true, false],
      ['scan.bin', false, true],
    ]);
    expect(list[3]!.dropped).toContain('limit per file');
    const [pdf, html, note] = list.map((a) => a.ref!);

    // Offered, not yet accepted: not theirs yet.
    expect((await get(pdf!, agent.token)).status).toBe(404);
    ok(await agent.call(EVENTS.conversationAccept, { conversationId }));

    const r1 = await get(pdf!, agent.token);
    expect(r1.status).toBe(200);
    expect(r1.headers.get('content-type')).toBe('application/pdf');
    expect(r1.headers.get('content-disposition')).toBe('attachment; filename="invoice.pdf"');
    expect(r1.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await r1.arrayBuffer()).equals(PDF)).toBe(true);

    const r2 = await get(html!, agent.token);
    expect(r2.headers.get('content-type')).toBe('application/octet-stream');
    expect(r2.headers.get('content-disposition')).toBe('attachment; filename="page.html"');
    expect(Buffer.from(await r2.arrayBuffer()).equals(HTML)).toBe(true);

    const r3 = await get(note!, agent.token);
    expect(r3.headers.get('content-type')).toBe('text/plain');
    expect(r3.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('견적서.txt')}`);
    expect(Buffer.from(await r3.arrayBuffer()).toString('utf8')).toBe(NOTE.toString('utf8'));

    // The same mail delivered again stores nothing twice.
    await deliver(messageId);
    const [count] = await center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversation_attachments WHERE conversation_id = $1', [conversationId]);
    expect(count!.n).toBe(3);

    // Refused alike (404): another agent, another tenant's user, an unknown id, a malformed one; no sign-in is 401.
    const other = await login(center.url, 'demo', 'agent2');
    expect((await get(pdf!, other.token)).status).toBe(404);
    const stranger = await login(center.url, 'acme', 'super1');
    expect((await get(pdf!, stranger.token)).status).toBe(404);
    expect((await get(randomUUID(), agent.token)).status).toBe(404);
    expect((await get('not-a-uuid', agent.token)).status).toBe(404);
    expect((await get(pdf!)).status).toBe(401);
    // Their tenant's supervisor oversees the floor: theirs to read.
    const supervisor = await login(center.url, 'demo', 'super1');
    expect((await get(pdf!, supervisor.token)).status).toBe(200);

    // Closed: whoever held it still may.
    ok(await agent.call(EVENTS.conversationClose, { conversationId }));
    const after = await get(note!, agent.token);
    expect(after.status).toBe(200);
    expect(Buffer.from(await after.arrayBuffer()).equals(NOTE)).toBe(true);
  });
});
