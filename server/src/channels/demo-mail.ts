// The demo's mail, so a new user can write as a customer and answer as the agent within a minute
// (`npm start`): a mailbox on this machine standing for the demo tenant's mail server (it keeps the
// replies agents send, in memory), and a form on the demo shop page that mails the center's receiver
// as a customer, over real SMTP. Only on a center started with --demo and a mail port.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import type { Db } from '../db/db';
import { setMailSettings } from './mail';

const KEPT = 50;
export const DEMO_SUPPORT_ADDRESS = 'support@demo-shop.example';

export interface DemoMailbox {
  port: number;
  received(): Array<{ to: string; subject: string; text: string; at: string }>;
  close(): Promise<void>;
}

/** The demo tenant's "mail server": takes the replies agents send and keeps the last ones. */
export async function startDemoMailbox(db: Db): Promise<DemoMailbox> {
  const kept: Array<{ to: string; subject: string; text: string; at: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 1024 * 1024,
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => {
        const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
        kept.unshift({ to, subject: m.subject ?? '', text: (m.text ?? '').trim(), at: new Date().toISOString() });
        kept.length = Math.min(kept.length, KEPT);
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  await setMailSettings(db, { tenantId: 'demo', host: '127.0.0.1', port, requireTls: false, fromAddress: DEMO_SUPPORT_ADDRESS, fromName: 'Demo shop support' });
  return { port, received: () => [...kept], close: () => new Promise<void>((r) => server.close(() => r())) };
}

const CustomerMail = z.strictObject({
  from: z.string().max(320).regex(/^[^\s@]+@[^\s@]+$/, 'an email address looks like name@domain'),
  name: z.string().max(200).optional(),
  subject: z.string().min(1).max(200),
  text: z.string().min(1).max(10_000),
});

/** `POST /chat/demo/mail` (a customer's mail, sent to the receiver) and `GET /chat/demo/mailbox` (what agents sent). */
export function demoMailHttp(opts: { receiverPort: number; domain: string; mailbox: DemoMailbox }) {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (req.method === 'GET' && url.pathname === '/chat/demo/mailbox') {
      json(res, 200, { mails: opts.mailbox.received() });
      return true;
    }
    if (req.method !== 'POST' || url.pathname !== '/chat/demo/mail') return false;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 32 * 1024) {
        json(res, 413, { error: { code: 'bad_request', message: 'A demo mail is at most 32 KB.' } });
        return true;
      }
      chunks.push(c as Buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = null;
    }
    const mail = CustomerMail.safeParse(body);
    if (!mail.success) {
      json(res, 400, { error: { code: 'bad_request', message: mail.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return true;
    }
    const t = createTransport({ host: '127.0.0.1', port: opts.receiverPort, secure: false, ignoreTLS: true });
    try {
      const info = await t.sendMail({
        from: { address: mail.data.from, name: mail.data.name ?? '' },
        to: DEMO_SUPPORT_ADDRESS,
        envelope: { from: mail.data.from, to: [`demo@${opts.domain}`] },
        subject: mail.data.subject,
        text: mail.data.text,
      });
      json(res, 200, { messageId: info.messageId });
    } catch (err) {
      json(res, 502, { error: { code: 'internal', message: `The center's mail receiver did not take it: ${(err as Error).message}` } });
    } finally {
      t.close();
    }
    return true;
  };
}
