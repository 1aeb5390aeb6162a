// Replies through a tenant's SMTP server: a second smtp-server on 127.0.0.1 plays that server and
// keeps what it is given, so the headers are read from the message as it arrived.
import { createServer } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { composeReply, createEmailSender, threadReferences, type OutboundReply, type TenantSmtpSettings } from './outbound';

const DOMAIN = 'mail.earshot.test';
const servers: SMTPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((done) => s.close(() => done()))));
});

/** The tenant's mail server: AUTH required, refuses `refused@…` recipients, keeps every message. */
async function tenantServer() {
  const received: { envelopeTo: string[]; mail: ParsedMail; envid: string | null; notify: string[] }[] = [];
  const server = new SMTPServer({
    hideDSN: false,
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'support@acme-shop.example' && auth.password === 'smtp-secret') return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused@')) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const notify = session.envelope.rcptTo[0]?.dsn?.notify ?? [];
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail, envid: session.envelope.dsn?.envid ?? null, notify });
          callback();
        })
        .catch(callback);
    },
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const settings: TenantSmtpSettings = {
    host: '127.0.0.1',
    port,
    auth: { user: 'support@acme-shop.example', pass: 'smtp-secret' },
    from: { address: 'support@acme-shop.example', name: 'ACME Support' },
  };
  return { settings, received };
}

const reply = (key: string, extra: Partial<OutboundReply> = {}): OutboundReply => ({
  idempotencyKey: key,
  to: [{ address: 'minji.park@example.net', name: 'Minji Park' }],
  subject: 'Order A-10293 arrived damaged',
  subjectRef: 'ES-4F2A9C',
  text: 'Dear Minji Park,\n\nThe replacement lid leaves our warehouse today.\n\nSeo-yeon\nACME Support',
  inReplyTo: 'CAF3k9xR8pQ2w+Vt=4hLs0gN@mail.example.net',
  references: ['CAF3k9xQ1mZ7@mail.example.net', '0b6f5c1e-2d7a-4c1b-9a53-8f0e1d2c3b4a@mail.earshot.test'],
  ...extra,
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('replies through the tenant SMTP server', () => {
  it("an agent's reply carries our Message-ID, the thread and the token, and no Auto-Submitted", async () => {
    const { settings, received } = await tenantServer();
    const sender = createEmailSender({ centerDomain: DOMAIN });
    const result = await sender.sendReply(settings, reply('outbox-1'));
    expect(result.state).toBe('sent');
    expect(result.messageId).toMatch(/^[0-9a-f-]{36}@mail\.earshot\.test$/);
    expect(result.state === 'sent' && result.accepted).toEqual(['minji.park@example.net']);
    expect(received).toHaveLength(1);
    const { mail, envelopeTo } = received[0]!;
    expect(envelopeTo).toEqual(['minji.park@example.net']);
    expect(mail.messageId).toBe(`<${result.messageId}>`);
    expect(mail.inReplyTo).toBe('<CAF3k9xR8pQ2w+Vt=4hLs0gN@mail.example.net>');
    expect(mail.references).toEqual(['<CAF3k9xQ1mZ7@mail.example.net>', '<0b6f5c1e-2d7a-4c1b-9a53-8f0e1d2c3b4a@mail.earshot.test>', '<CAF3k9xR8pQ2w+Vt=4hLs0gN@mail.example.net>']);
    expect(mail.subject).toBe('Re: Order A-10293 arrived damaged [#ES-4F2A9C]');
    expect(mail.from?.value[0]).toEqual({ address: 'support@acme-shop.example', name: 'ACME Support' });
    expect(mail.headers.has('auto-submitted')).toBe(false);
    expect(mail.text).toContain('The replacement lid leaves our warehouse today.');
  });

  it('asks for delivery reports with the idempotency key as ENVID only when told to', async () => {
    const { settings, received } = await tenantServer();
    const sender = createEmailSender({ centerDomain: DOMAIN });
    await sender.sendReply(settings, reply('outbox-20'));
    await sender.sendReply(settings, reply('outbox-21', { deliveryReports: true }));
    expect(received.map((r) => [r.envid, r.notify])).toEqual([
      [null, []],
      ['outbox-21', ['SUCCESS', 'FAILURE', 'DELAY']],
    ]);
  });

  it('automatic mail is marked Auto-Submitted: auto-replied', async () => {
    const { settings, received } = await tenantServer();
    const sender = createEmailSender({ centerDomain: DOMAIN });
    const result = await sender.sendReply(settings, reply('ack-1', { automatic: true, text: 'We have your message and will answer within a day.' }));
    expect(result.state).toBe('sent');
    expect(received[0]?.mail.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('the same key sends once, whether called again at once or later', async () => {
    const { settings, received } = await tenantServer();
    const sender = createEmailSender({ centerDomain: DOMAIN });
    const [first, second] = await Promise.all([sender.sendReply(settings, reply('outbox-7')), sender.sendReply(settings, reply('outbox-7'))]);
    const third = await sender.sendReply(settings, reply('outbox-7'));
    expect(first).toEqual(second);
    expect(third).toEqual(first);
    expect(received).toHaveLength(1);
    const chosen = await sender.sendReply(settings, reply('outbox-8', { messageId: '3f0d5a52-9c41-4d0e-8d1b-2b7e6c1a9f00@mail.earshot.test' }));
    expect(chosen.messageId).toBe('3f0d5a52-9c41-4d0e-8d1b-2b7e6c1a9f00@mail.earshot.test');
    expect(received).toHaveLength(2);
    expect(received[1]?.mail.messageId).toBe('<3f0d5a52-9c41-4d0e-8d1b-2b7e6c1a9f00@mail.earshot.test>');
  });

  it('reports failures with a reason, and a retry of a failed key sends with the same Message-ID', async () => {
    const { settings, received } = await tenantServer();
    const sender = createEmailSender({ centerDomain: DOMAIN, timeoutMs: 10_000 });
    const refused = await sender.sendReply(settings, reply('outbox-9', { to: [{ address: 'refused@example.net', name: '' }] }));
    expect(refused).toMatchObject({ state: 'failed', permanent: true, responseCode: 550 });
    expect(refused.state === 'failed' && refused.reason).toMatch(/^the tenant's mail server 127\.0\.0\.1:\d+ refused the reply: .*550/);
    const retried = await sender.sendReply(settings, reply('outbox-9'));
    expect(retried.state).toBe('sent');
    expect(retried.messageId).toBe(refused.messageId);
    expect(received).toHaveLength(1);

    const badPassword = await sender.sendReply({ ...settings, auth: { user: 'support@acme-shop.example', pass: 'old' } }, reply('outbox-10'));
    expect(badPassword).toMatchObject({ state: 'failed', permanent: true });
    expect(badPassword.state === 'failed' && badPassword.reason).toContain('refused the sign-in');

    const down = await sender.sendReply({ ...settings, port: await closedPort() }, reply('outbox-11'));
    expect(down).toMatchObject({ state: 'failed', permanent: false });
    expect(down.state === 'failed' && down.reason).toContain('could not be reached');
  });

  it('keeps References short and the subject token single', () => {
    const many = Array.from({ length: 30 }, (_, i) => `m${i}@x`);
    const refs = threadReferences(many, 'last@x');
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('m0@x');
    expect(refs.at(-1)).toBe('last@x');
    const composed = composeReply({ address: 'support@acme-shop.example', name: 'ACME Support' }, reply('k', { subject: 'RE: Invoice [#ES-7KQ3ZD]', subjectRef: 'ES-7KQ3ZD' }), 'id@x');
    expect(composed.subject).toBe('RE: Invoice [#ES-7KQ3ZD]');
  });
});
