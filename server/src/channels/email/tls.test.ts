// STARTTLS both ways on 127.0.0.1, with a throw-away self-signed certificate (openssl): the
// receiver takes AUTH only inside TLS, and a reply goes to a tenant server that requires TLS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmailSender } from './outbound';
import { startEmailReceiver } from './receiver';
import type { InboundMail } from './types';

const DOMAIN = 'mail.earshot.test';
let dir = '';
let tls: { key: Buffer; cert: Buffer };

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-mail-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${DOMAIN}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  tls = { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the receiver offers STARTTLS and takes AUTH only after it', async () => {
  const mails: InboundMail[] = [];
  const receiver = await startEmailReceiver({
    host: '127.0.0.1',
    port: 0,
    centerDomain: DOMAIN,
    tls,
    auth: (user, pass) => user === 'acme-mx' && pass === 'forward-secret',
    onMail: async (mail) => {
      mails.push(mail);
      return { accepted: true };
    },
  });
  try {
    const raw = readFileSync(path.resolve(import.meta.dirname, '../../../../tests/fixtures/mail/multipart-alternative.eml'));
    const envelope = { from: 'mx@acme-shop.example', to: [`acme@${DOMAIN}`] };
    const auth = { user: 'acme-mx', pass: 'forward-secret' };
    const plain = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, ignoreTLS: true, auth });
    const refused = await plain.sendMail({ envelope, raw }).then(
      () => null,
      (err: { responseCode?: number }) => err,
    );
    plain.close();
    expect(refused?.responseCode).toBe(538);
    expect(mails).toHaveLength(0);

    const secured = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, requireTLS: true, tls: { rejectUnauthorized: false }, auth });
    const info = await secured.sendMail({ envelope, raw });
    secured.close();
    expect(info.response).toMatch(/^250 /);
    expect(mails.map((m) => m.messageId)).toEqual(['CAF3k9xQ1mZ7@mail.example.net']);
  } finally {
    await receiver.close();
  }
});

it('a reply goes through a tenant server over STARTTLS when the settings require it', async () => {
  let secure: boolean | null = null;
  const tenant = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onData(stream, session, callback) {
      secure = session.secure;
      stream.on('data', () => undefined);
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((done) => tenant.listen(0, '127.0.0.1', done));
  try {
    const address = tenant.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const sender = createEmailSender({ centerDomain: DOMAIN });
    const smtp = { host: '127.0.0.1', port, requireTls: true, from: { address: 'support@acme-shop.example', name: 'ACME Support' } };
    const reply = { idempotencyKey: 'tls-1', to: [{ address: 'minji.park@example.net', name: '' }], subject: 'Lid', subjectRef: 'ES-4F2A9C', text: 'On its way.' };
    const untrusted = await sender.sendReply(smtp, reply);
    expect(untrusted.state).toBe('failed');
    expect(untrusted).toMatchObject({ state: 'failed', permanent: true });
    expect(untrusted.state === 'failed' && untrusted.reason).toMatch(/presented a certificate we do not trust \(self[- ]signed certificate\)/);
    const sent = await sender.sendReply({ ...smtp, allowSelfSignedCertificate: true }, reply);
    expect(sent.state).toBe('sent');
    expect(secure).toBe(true);
  } finally {
    await new Promise<void>((done) => tenant.close(() => done()));
  }
});
