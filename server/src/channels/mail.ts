// Email as a channel of the center: the SMTP receiver (email/receiver.ts) feeds `inbound`, threaded
// by the mail's headers and our subject token; replies leave through the tenant's own SMTP server
// (tenant_mail_settings, `tenant set-mail`) with our Message-ID, so the customer's answer threads back.
// What is never answered, and never becomes work: bounces and delivery reports (they mark the reply
// they report on failed or delivered), and auto-replies with no open conversation to sit in.
import type { Logger } from 'pino';
import { errSummary } from '../base/log';
import type { Db, Queryable } from '../db/db';
import { mailAttachments, storeAttachments } from './attachments';
import type { Channels, OutboundPort } from './channels';
import {
  createEmailSender,
  type AttachmentLimits,
  findMailThread,
  newSubjectReference,
  startEmailReceiver,
  type EmailReceiver,
  type EmailSender,
  type InboundMail,
  type MailVerdict,
  type TenantSmtpSettings,
} from './email';

export interface MailOptions {
  /** The SMTP receiver's port (0: any free one) and address (default 127.0.0.1). */
  port: number;
  host?: string;
  /** The center's mail domain: tenants' addresses are `<tenant>@<domain>`; our Message-IDs end in it. */
  domain: string;
  /** The forwarding servers allowed to connect (addresses or CIDR ranges); anyone when absent. */
  allowedClients?: string[];
  /** What is kept of a mail's attachments (default 10 MB a file, 20 MB a message); larger ones are dropped and the agent told. */
  attachmentLimits?: Partial<AttachmentLimits>;
}

export interface MailSettingsInput {
  tenantId: string;
  host: string;
  port: number;
  secure?: boolean;
  requireTls?: boolean;
  user?: string;
  password?: string;
  fromAddress: string;
  fromName?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Sets the tenant's outgoing mail server; refuses what cannot work, with what would. */
export async function setMailSettings(db: Db, s: MailSettingsInput): Promise<void> {
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(s.host)) throw new Error(`--smtp-host "${s.host}" is not a host name.`);
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new Error(`--smtp-port "${s.port}" is not a port number (587 with STARTTLS, 465 with --secure).`);
  if (!EMAIL.test(s.fromAddress)) throw new Error(`--from "${s.fromAddress}" is not an email address; use the support address customers write to.`);
  if (Boolean(s.user) !== Boolean(s.password)) throw new Error('--smtp-user and a password (on stdin) go together.');
  const [tenant] = await db.query('SELECT 1 FROM tenants WHERE id = $1', [s.tenantId]);
  if (!tenant) throw new Error(`No tenant ${s.tenantId}: add it first with "tenant add --id ${s.tenantId}".`);
  await db.query(
    `INSERT INTO tenant_mail_settings (tenant_id, smtp_host, smtp_port, secure, require_tls, smtp_user, smtp_pass, from_address, from_name, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
     ON CONFLICT (tenant_id) DO UPDATE SET smtp_host = EXCLUDED.smtp_host, smtp_port = EXCLUDED.smtp_port, secure = EXCLUDED.secure,
       require_tls = EXCLUDED.require_tls, smtp_user = EXCLUDED.smtp_user, smtp_pass = EXCLUDED.smtp_pass,
       from_address = EXCLUDED.from_address, from_name = EXCLUDED.from_name, updated_at = now()`,
    [s.tenantId, s.host, s.port, s.secure ?? false, s.requireTls ?? !s.secure, s.user ?? null, s.password ?? null, s.fromAddress.toLowerCase(), s.fromName ?? null],
  );
}

/** The tenant's outgoing mail server, or null when none is set (`tenant set-mail`). */
export async function mailSettings(q: Queryable, tenantId: string): Promise<TenantSmtpSettings | null> {
  const [r] = await q.query<{ smtp_host: string; smtp_port: number; secure: boolean; require_tls: boolean; smtp_user: string | null; smtp_pass: string | null; from_address: string; from_name: string | null }>(
    'SELECT smtp_host, smtp_port, secure, require_tls, smtp_user, smtp_pass, from_address, from_name FROM tenant_mail_settings WHERE tenant_id = $1',
    [tenantId],
  );
  if (!r) return null;
  return {
    host: r.smtp_host,
    port: r.smtp_port,
    secure: r.secure,
    requireTls: r.require_tls,
    ...(r.smtp_user && r.smtp_pass && { auth: { user: r.smtp_user, pass: r.smtp_pass } }),
    from: { address: r.from_address, name: r.from_name ?? '' },
    // A server on this machine (a relay, or the demo's mailbox) may use a certificate of its own.
    allowSelfSignedCertificate: r.smtp_host === '127.0.0.1' || r.smtp_host === 'localhost',
  };
}

/** The conversation's subject token, made on its first reply. */
async function threadRef(db: Db, tenantId: string, conversationId: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [known] = await db.query<{ ref: string }>('SELECT ref FROM email_thread_refs WHERE conversation_id = $1', [conversationId]);
    if (known) return known.ref;
    await db.query('INSERT INTO email_thread_refs (tenant_id, ref, conversation_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tenantId, newSubjectReference(), conversationId]);
  }
  throw new Error('could not give the conversation a subject token');
}

/** Our reply a bounce or delivery report speaks of: by its Message-ID. */
async function replyByMessageId(q: Queryable, tenantId: string, messageId: string) {
  const [r] = await q.query<{ conversation_id: string; seq: number }>(
    `SELECT conversation_id::text AS conversation_id, seq FROM conversation_messages WHERE tenant_id = $1 AND message_id = $2 AND direction = 'out'`,
    [tenantId, messageId],
  );
  return r ?? null;
}

export interface MailChannel {
  receiver: EmailReceiver;
  close(): Promise<void>;
}

export interface MailDeps {
  db: Db;
  channels: Pick<Channels, 'inbound' | 'conversationByMessageIds' | 'markOutbound' | 'setOutbound'>;
  log: Pick<Logger, 'info' | 'warn'>;
  sender?: EmailSender;
}

/** What one received mail becomes: a message of a conversation, a reply's delivery state, or nothing. */
export function mailIntake(deps: Omit<MailDeps, 'sender'>) {
  const { db, channels, log } = deps;
  const findThread = (tenantId: string) => async (ids: string[], ref: string | null) =>
    (await channels.conversationByMessageIds(tenantId, ids)) ??
    (ref ? ((await db.query<{ id: string }>('SELECT conversation_id::text AS id FROM email_thread_refs WHERE tenant_id = $1 AND ref = $2', [tenantId, ref]))[0]?.id ?? null) : null);

  return async function onMail(mail: InboundMail): Promise<MailVerdict> {
    const tenantId = mail.envelope.tenant;
    const { kind, deliveryReport } = mail.classification;
    if (kind === 'bounce' || kind === 'delivery-report') {
      const original = deliveryReport?.originalMessageId ?? null;
      const reply = original ? await replyByMessageId(db, tenantId, original) : null;
      if (reply) {
        const failed = kind === 'bounce';
        const why = deliveryReport?.recipients.map((r) => `${r.status}${r.diagnostic ? ` ${r.diagnostic}` : ''}`).join('; ');
        await channels.markOutbound(tenantId, reply.conversation_id, reply.seq, failed ? 'failed' : 'delivered', failed ? { error: `The customer's mail server returned it: ${why || 'no reason given'}.` } : {});
      }
      log.info({ tenant: tenantId, kind, matched: Boolean(reply) }, 'a delivery report was read; it is never answered');
      return { accepted: true };
    }
    const thread = await findMailThread(mail, findThread(tenantId));
    if (kind === 'auto-reply') {
      const [open] = thread ? await db.query<{ state: string }>('SELECT state FROM conversations WHERE id = $1', [thread]) : [];
      // An out-of-office on a conversation still being worked is shown to its agent; otherwise it would only reopen work.
      if (!open || open.state === 'closed') {
        log.info({ tenant: tenantId }, 'an automatic reply with no open conversation was read and set aside');
        return { accepted: true };
      }
    }
    // Kept attachments are named by a ref derived from the Message-ID: a redelivery stores nothing twice.
    const { meta, keep } = mailAttachments(tenantId, mail.messageId, mail.attachments, mail.droppedAttachments);
    const stored = await channels.inbound({
      tenantId,
      channel: 'email',
      identity: { email: mail.from.address.toLowerCase(), ...(mail.from.name && { displayName: mail.from.name }) },
      subject: mail.subject,
      text: mail.text.full,
      html: mail.html?.html ?? null,
      headers: { messageId: mail.messageId, ...(mail.inReplyTo[0] && { inReplyTo: mail.inReplyTo[0] }), references: mail.references.slice(-100) },
      attachments: meta,
      ...(thread && { threadConversationId: thread }),
    });
    // After the message (a failure here answers 451: the sending server retries, and the retry stores them).
    await storeAttachments(db, tenantId, stored.conversationId, stored.seq, keep);
    return { accepted: true };
  };
}

/** Replies through the tenant's SMTP server, with our Message-ID and the thread's headers. */
export function mailOutbound(deps: MailDeps & { domain: string }): OutboundPort {
  const { db, channels } = deps;
  const sender = deps.sender ?? createEmailSender({ centerDomain: deps.domain });
  return {
    async send({ tenantId, conversation, message }) {
      const smtp = await mailSettings(db, tenantId);
      if (!smtp) {
        await channels.markOutbound(tenantId, conversation.id, message.seq, 'failed', {
          error: 'This tenant has no outgoing mail server yet: an administrator sets one with "earshot-center tenant set-mail"; then send the reply again.',
        });
        return;
      }
      const [customer] = await db.query<{ author: string }>(
        `SELECT author FROM conversation_messages WHERE conversation_id = $1 AND direction = 'in' ORDER BY seq DESC LIMIT 1`,
        [conversation.id],
      );
      if (!customer || !customer.author.includes('@')) throw new Error('an email conversation without the customer’s address');
      const ref = await threadRef(db, tenantId, conversation.id);
      // One Message-ID per reply, the same on every attempt (also after a restart): the thread never forks.
      const messageId = `${conversation.id}.${message.seq}@${deps.domain}`;
      const result = await sender.sendReply(smtp, {
        idempotencyKey: `${conversation.id}:${message.seq}`,
        messageId,
        to: [{ address: customer.author, name: '' }],
        subject: conversation.subject ?? '',
        subjectRef: ref,
        text: message.text,
        ...(message.html && { html: message.html }),
        inReplyTo: message.inReplyTo,
        references: message.references ?? [],
      });
      if (result.state === 'sent') await channels.markOutbound(tenantId, conversation.id, message.seq, 'sent', { messageId });
      else await channels.markOutbound(tenantId, conversation.id, message.seq, 'failed', { error: `The tenant's mail server did not take it: ${result.reason}`, messageId });
    },
  };
}

/** Starts the receiver and plugs the email port in. */
export async function startMailChannel(deps: MailDeps, opts: MailOptions): Promise<MailChannel> {
  const { db, log } = deps;
  const onMail = mailIntake(deps);
  deps.channels.setOutbound('email', mailOutbound({ ...deps, domain: opts.domain }));
  const receiver = await startEmailReceiver({
    host: opts.host ?? '127.0.0.1',
    port: opts.port,
    centerDomain: opts.domain,
    ...(opts.allowedClients && { allowedClients: opts.allowedClients }),
    ...(opts.attachmentLimits && { attachmentLimits: opts.attachmentLimits }),
    tenantExists: async (t) => (await db.query('SELECT 1 FROM tenants WHERE id = $1', [t])).length > 0,
    onMail: async (mail) => {
      try {
        return await onMail(mail);
      } catch (err) {
        log.warn({ err: errSummary(err) }, 'a received mail could not be stored; the sending server will retry');
        throw err;
      }
    },
    log,
  });
  return {
    receiver,
    async close() {
      deps.channels.setOutbound('email', null);
      await receiver.close();
    },
  };
}
