// Replies out through the tenant's own SMTP server (nodemailer): our Message-ID, the thread's
// In-Reply-To/References, the conversation's subject token, `Auto-Submitted: auto-replied` on
// automatic mail only. A send is idempotent by the caller's key within this process; the store
// keeps it durable across restarts.
import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { replySubject } from './threading';
import type { MailAddress } from './types';

/** The tenant's outgoing mail server, from its settings. */
export interface TenantSmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure?: boolean;
  /** Refuse to send without STARTTLS. */
  requireTls?: boolean;
  auth?: { user: string; pass: string };
  /** The support address replies come from, e.g. `support@acme-shop.example`. */
  from: MailAddress;
  /** Accept a self-signed certificate (a test server); default false. */
  allowSelfSignedCertificate?: boolean;
}

export interface OutboundReply {
  /** The same key twice sends once (the outbox entry's id). */
  idempotencyKey: string;
  /**
   * Our Message-ID for this reply, without brackets, when the store already chose and recorded it
   * (so a resend after a restart carries the same id); otherwise `<uuid>@<centerDomain>` is made.
   */
  messageId?: string;
  to: MailAddress[];
  cc?: MailAddress[];
  /** The conversation's subject; `Re: ` and the token are added. */
  subject: string;
  /** The conversation's token, e.g. `ES-4F2A9C`. */
  subjectRef: string;
  text: string;
  /** Already sanitised HTML, if the reply has any. */
  html?: string;
  /** The Message-ID answered (the customer's last message). */
  inReplyTo?: string | null;
  /** The thread's Message-IDs, oldest first. */
  references?: string[];
  /** Sent by the center itself (an acknowledgement), not written by an agent. */
  automatic?: boolean;
  /**
   * Ask for RFC 3461 delivery reports (NOTIFY=SUCCESS,FAILURE,DELAY, ENVID = the idempotency key)
   * when the tenant's server offers DSN: they come back through the receiver as `delivery-report`
   * or `bounce` with `deliveryReport.envelopeId`, which is how the outbox learns "delivered".
   */
  deliveryReports?: boolean;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/**
 * A mail the center writes itself, not a reply in a thread (a chat transcript): its subject as given,
 * `Auto-Submitted: auto-generated` (RFC 3834) so that no auto-responder answers it.
 */
export interface OutboundMessage {
  /** The same key twice sends once. */
  idempotencyKey: string;
  /** Our Message-ID, without brackets. */
  messageId: string;
  to: MailAddress[];
  subject: string;
  text: string;
  /** Already safe HTML (built from escaped text), if any. */
  html?: string;
}

export type DeliveryResult =
  | { state: 'sent'; messageId: string; accepted: string[]; rejected: string[]; response: string }
  | { state: 'failed'; messageId: string; reason: string; permanent: boolean; responseCode: number | null };

export interface EmailSender {
  sendReply(smtp: TenantSmtpSettings, reply: OutboundReply): Promise<DeliveryResult>;
  sendMessage(smtp: TenantSmtpSettings, message: OutboundMessage): Promise<DeliveryResult>;
}

export interface EmailSenderOptions {
  /** Domain of our Message-IDs (`<uuid@centerDomain>`). */
  centerDomain: string;
  /** Connection, greeting and socket timeout in ms; default 30 s. */
  timeoutMs?: number;
  /** How many keys are remembered in this process; default 10,000. */
  rememberKeys?: number;
}

/** References are capped like common clients do: the first and the newest ids keep the thread. */
const MAX_REFERENCES = 20;

export function threadReferences(references: readonly string[], inReplyTo: string | null | undefined): string[] {
  const all = [...references];
  if (inReplyTo && !all.includes(inReplyTo)) all.push(inReplyTo);
  if (all.length <= MAX_REFERENCES) return all;
  return [all[0] as string, ...all.slice(all.length - (MAX_REFERENCES - 1))];
}

/** The message nodemailer sends, headers set; pure, so tests can read it. */
export function composeReply(from: MailAddress, reply: OutboundReply, messageId: string): SendMailOptions {
  const bracket = (id: string) => `<${id}>`;
  const references = threadReferences(reply.references ?? [], reply.inReplyTo);
  const headers: Record<string, string> = {};
  if (reply.automatic) {
    headers['Auto-Submitted'] = 'auto-replied';
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  return {
    from: { name: from.name, address: from.address },
    to: reply.to.map((a) => ({ name: a.name, address: a.address })),
    cc: reply.cc?.map((a) => ({ name: a.name, address: a.address })),
    subject: replySubject(reply.subject, reply.subjectRef),
    messageId: bracket(messageId),
    inReplyTo: reply.inReplyTo ? bracket(reply.inReplyTo) : undefined,
    references: references.length > 0 ? references.map(bracket).join(' ') : undefined,
    text: reply.text,
    html: reply.html,
    headers,
    attachments: reply.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    dsn: reply.deliveryReports ? { id: reply.idempotencyKey, return: 'headers', notify: ['success', 'failure', 'delay'], recipient: from.address } : undefined,
  };
}

/** The automatic mail nodemailer sends; pure, so tests can read it. */
export function composeMessage(from: MailAddress, message: OutboundMessage): SendMailOptions {
  return {
    from: { name: from.name, address: from.address },
    to: message.to.map((a) => ({ name: a.name, address: a.address })),
    subject: message.subject,
    messageId: `<${message.messageId}>`,
    text: message.text,
    html: message.html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}

export function createEmailSender(options: EmailSenderOptions): EmailSender {
  const timeout = options.timeoutMs ?? 30_000;
  const remember = options.rememberKeys ?? 10_000;
  /** key → the send in flight or done; a failed send is forgotten so that a retry sends. */
  const sends = new Map<string, Promise<DeliveryResult>>();
  /** key → our Message-ID, kept across retries so the receiver sees one message. */
  const ids = new Map<string, string>();

  async function send(smtp: TenantSmtpSettings, mail: SendMailOptions, messageId: string): Promise<DeliveryResult> {
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure ?? false,
      requireTLS: smtp.requireTls ?? false,
      auth: smtp.auth,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      name: options.centerDomain,
      tls: { rejectUnauthorized: !smtp.allowSelfSignedCertificate },
    } satisfies SMTPTransport.Options);
    try {
      const info = await transport.sendMail(mail);
      return {
        state: 'sent',
        messageId,
        accepted: info.accepted.map(addressOf),
        rejected: info.rejected.map(addressOf),
        response: info.response,
      };
    } catch (err) {
      return { state: 'failed', messageId, ...failure(err, smtp) };
    } finally {
      transport.close();
    }
  }

  /** Sends once per key (a failed send is forgotten so that a retry sends). */
  function once(key: string, messageId: string, run: (messageId: string) => Promise<DeliveryResult>): Promise<DeliveryResult> {
    const known = sends.get(key);
    if (known) return known;
    ids.set(key, messageId);
    const pending = run(messageId).then((result) => {
      if (result.state === 'failed') sends.delete(key);
      return result;
    });
    sends.set(key, pending);
    while (sends.size > remember) sends.delete(sends.keys().next().value as string);
    while (ids.size > remember) ids.delete(ids.keys().next().value as string);
    return pending;
  }

  return {
    sendReply(smtp, reply) {
      const messageId = reply.messageId ?? ids.get(reply.idempotencyKey) ?? `${randomUUID()}@${options.centerDomain}`;
      return once(reply.idempotencyKey, messageId, (id) => send(smtp, composeReply(smtp.from, reply, id), id));
    },
    sendMessage(smtp, message) {
      return once(message.idempotencyKey, message.messageId, (id) => send(smtp, composeMessage(smtp.from, message), id));
    },
  };
}

function addressOf(entry: string | { address: string }): string {
  return typeof entry === 'string' ? entry : entry.address;
}

/** What the agent reads about a failed send, and whether trying again can help. */
function failure(err: unknown, smtp: TenantSmtpSettings): { reason: string; permanent: boolean; responseCode: number | null } {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const server = `${smtp.host}:${smtp.port}`;
  if (e.code === 'EAUTH') return { reason: `the tenant's mail server ${server} refused the sign-in: check the SMTP user name and password in the tenant's settings`, permanent: true, responseCode: code };
  if (/certificate/i.test(e.message ?? '')) {
    return { reason: `the tenant's mail server ${server} presented a certificate we do not trust (${e.message}): fix its certificate, or allow a self-signed one in the tenant's SMTP settings`, permanent: true, responseCode: code };
  }
  if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS') {
    return { reason: `the tenant's mail server ${server} could not be reached (${e.code}); the reply will be tried again`, permanent: false, responseCode: code };
  }
  if (e.code === 'ETLS') return { reason: `no secure connection to ${server}: ${e.message ?? 'TLS failed'}`, permanent: true, responseCode: code };
  const said = (e.response ?? e.message ?? 'unknown error').slice(0, 300);
  if (code !== null) return { reason: `the tenant's mail server ${server} refused the reply: ${said}`, permanent: code >= 500, responseCode: code };
  return { reason: `sending through ${server} failed: ${said}`, permanent: false, responseCode: null };
}
