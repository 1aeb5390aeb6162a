// The receiver for real on 127.0.0.1: nodemailer's SMTP transport delivers the fixtures to it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmailReceiver, tenantForRecipient, type EmailReceiver, type EmailReceiverOptions } from './receiver';
import type { InboundMail, MailVerdict } from './types';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../tests/fixtures/mail');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const DOMAIN = 'mail.earshot.test';

const receivers: EmailReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(options: Partial<EmailReceiverOptions> = {}) {
  const mails: InboundMail[] = [];
  const started = await startEmailReceiver({
    host: '127.0.0.1',
    port: 0,
    centerDomain: DOMAIN,
    onMail: async (mail): Promise<MailVerdict> => {
      mails.push(mail);
      return { accepted: true };
    },
    ...options,
  });
  receivers.push(started);
  return { port: started.port, mails };
}

function send(port: number, raw: Buffer, to = [`acme@${DOMAIN}`], from = 'forwarder@acme-shop.example', auth?: { user: string; pass: string }) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth, connectionTimeout: 10_000 });
  return transport.sendMail({ envelope: { from, to }, raw }).finally(() => transport.close());
}

function smtpFailure(promise: Promise<unknown>): Promise<{ responseCode?: number; response?: string; code?: string }> {
  return promise.then(
    () => {
      throw new Error('the server accepted what it should have refused');
    },
    (err: { responseCode?: number; response?: string; code?: string }) => err,
  );
}

describe('email receiver over SMTP on 127.0.0.1', () => {
  it('delivers a forwarded mail to onMail, parsed, with the envelope and tenant', async () => {
    const { port, mails } = await receiver();
    const info = await send(port, fixture('gmail-reply.eml'), [`acme+billing@${DOMAIN}`]);
    expect(info.response).toMatch(/^250 .*Message accepted as <CAF3k9xR8pQ2w\+Vt=4hLs0gN@mail\.example\.net>/);
    expect(mails).toHaveLength(1);
    const mail = mails[0] as InboundMail;
    expect(mail.envelope).toEqual({ tenant: 'acme', mailFrom: 'forwarder@acme-shop.example', rcptTo: [`acme+billing@${DOMAIN}`], remoteAddress: '127.0.0.1' });
    expect(mail.subjectRef).toBe('ES-4F2A9C');
    expect(mail.text.reply).toBe('A replacement lid is fine, thank you. I am home after 6 pm on weekdays.\n\nMinji');
    expect(mail.references).toEqual(['CAF3k9xQ1mZ7@mail.example.net', '0b6f5c1e-2d7a-4c1b-9a53-8f0e1d2c3b4a@mail.earshot.test']);
  });

  it('refuses an oversized message with 552 and still takes the next one', async () => {
    const { port, mails } = await receiver({ maxMessageBytes: 64 * 1024 });
    const refused = await smtpFailure(send(port, fixture('oversize-attachment.eml')));
    expect(refused.responseCode).toBe(552);
    expect(refused.response).toMatch(/64 KB/);
    expect(mails).toHaveLength(0);
    await send(port, fixture('multipart-alternative.eml'));
    expect(mails.map((m) => m.messageId)).toEqual(['CAF3k9xQ1mZ7@mail.example.net']);
  });

  it('refuses malformed MIME with a clear reason and keeps running', async () => {
    const { port, mails } = await receiver();
    const refused = await smtpFailure(send(port, fixture('malformed-mime.eml')));
    expect(refused.responseCode).toBe(554);
    expect(refused.response).toContain('malformed MIME: the message is multipart/mixed but names no boundary');
    await send(port, fixture('out-of-office.eml'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.classification.kind).toBe('auto-reply');
  });

  it('refuses unknown recipients and a second tenant in one message', async () => {
    const { port, mails } = await receiver({ tenantExists: (tenant) => tenant === 'acme' || tenant === 'globex' });
    const stranger = await smtpFailure(send(port, fixture('multipart-alternative.eml'), ['someone@elsewhere.example']));
    expect(stranger.responseCode).toBe(550);
    const unknownTenant = await smtpFailure(send(port, fixture('multipart-alternative.eml'), [`initech@${DOMAIN}`]));
    expect(unknownTenant.responseCode).toBe(550);
    // nodemailer goes on with the recipients that were accepted: acme gets it, globex is told to retry.
    const info = await send(port, fixture('multipart-alternative.eml'), [`acme@${DOMAIN}`, `globex@${DOMAIN}`]);
    expect(info.accepted).toEqual([`acme@${DOMAIN}`]);
    expect(info.rejected).toEqual([`globex@${DOMAIN}`]);
    expect(mails.map((m) => m.envelope.tenant)).toEqual(['acme']);
  });

  it('passes the intake verdict back: refused with its reason (550), a failing intake asks to retry (451)', async () => {
    let mode: 'refuse' | 'throw' = 'refuse';
    const { port } = await receiver({
      onMail: async () => {
        if (mode === 'throw') throw new Error('database unavailable');
        return { accepted: false, reason: 'the tenant has email switched off\r\n250 forged' };
      },
    });
    const refused = await smtpFailure(send(port, fixture('multipart-alternative.eml')));
    expect(refused.responseCode).toBe(550);
    expect(refused.response).toMatch(/Message refused: the tenant has email switched off 250 forged$/);
    mode = 'throw';
    const deferred = await smtpFailure(send(port, fixture('multipart-alternative.eml')));
    expect(deferred.responseCode).toBe(451);
  });

  it('takes mail only from allowed servers, and with AUTH when configured', async () => {
    const elsewhere = await receiver({ allowedClients: ['10.0.0.0/8', '2001:db8::/32'] });
    const refused = await smtpFailure(send(elsewhere.port, fixture('multipart-alternative.eml')));
    expect(refused.responseCode).toBe(554);
    const local = await receiver({ allowedClients: ['127.0.0.1'], auth: (user, pass) => user === 'acme-mx' && pass === 'forward-secret', allowInsecureAuth: true });
    const anonymous = await smtpFailure(send(local.port, fixture('multipart-alternative.eml')));
    expect(anonymous.responseCode).toBe(530);
    const wrong = await smtpFailure(send(local.port, fixture('multipart-alternative.eml'), undefined, undefined, { user: 'acme-mx', pass: 'guess' }));
    expect(wrong.responseCode).toBe(535);
    await send(local.port, fixture('multipart-alternative.eml'), undefined, undefined, { user: 'acme-mx', pass: 'forward-secret' });
    expect(local.mails).toHaveLength(1);
  });

  it('maps recipients to tenants', () => {
    expect(tenantForRecipient(`Acme@${DOMAIN.toUpperCase()}`, DOMAIN)).toBe('acme');
    expect(tenantForRecipient(`acme+sales@${DOMAIN}`, DOMAIN)).toBe('acme');
    expect(tenantForRecipient('support@acme-shop.example', DOMAIN, { 'support@acme-shop.example': 'acme' })).toBe('acme');
    expect(tenantForRecipient('support@acme-shop.example', DOMAIN)).toBeNull();
    expect(tenantForRecipient(`../x@${DOMAIN}`, DOMAIN)).toBeNull();
  });
});
