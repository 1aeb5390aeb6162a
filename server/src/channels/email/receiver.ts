// The center's SMTP receiver (smtp-server): a tenant's mail server forwards its support mailbox
// here. Recipients name the tenant; the size limit, the allow-list of forwarding servers and AUTH
// are checked before a byte of body is kept; each accepted message goes to `onMail` parsed.
import { BlockList, isIP } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { formatBytes, parseInboundMail } from './parse';
import type { AttachmentLimits, OnMail } from './types';

export interface EmailReceiverOptions {
  /** Default 0.0.0.0. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** `<tenant>@<centerDomain>` reaches a tenant; also the name the server greets with. */
  centerDomain: string;
  /** Other recipient addresses, each to its tenant (lower-case address → tenant). */
  addresses?: Readonly<Record<string, string>>;
  /** Whether a tenant named by an address exists; without it every well-formed name is taken. */
  tenantExists?: (tenant: string) => boolean | Promise<boolean>;
  /** Largest message accepted, in bytes (advertised as SIZE; more is refused with 552). Default 25 MB. */
  maxMessageBytes?: number;
  attachmentLimits?: Partial<AttachmentLimits>;
  /** Only these clients may connect (IPv4/IPv6 addresses or CIDR ranges); everyone when absent. */
  allowedClients?: readonly string[];
  /** AUTH PLAIN/LOGIN for the forwarding server; required for every message when given. */
  auth?: (username: string, password: string) => boolean | Promise<boolean>;
  /** A certificate offers STARTTLS; without one the command is not offered. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** AUTH without TLS: for loopback tests only. */
  allowInsecureAuth?: boolean;
  maxClients?: number;
  onMail: OnMail;
  /** Where refusals and failures are told (pino-compatible); never with addresses or content. */
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export interface EmailReceiver {
  host: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const TENANT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** An SMTP reply: one line (a reason from elsewhere must not add lines to the protocol), kept short. */
function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message.replace(/[\r\n]+/g, ' ').slice(0, 400)), { responseCode });
}

/** The tenant an address reaches, or null; `acme+billing@center` reaches `acme` too. */
export function tenantForRecipient(address: string, centerDomain: string, addresses: Readonly<Record<string, string>> = {}): string | null {
  const lower = address.trim().toLowerCase();
  const mapped = addresses[lower];
  if (mapped) return mapped;
  const at = lower.lastIndexOf('@');
  if (at < 1 || lower.slice(at + 1) !== centerDomain.toLowerCase()) return null;
  const local = lower.slice(0, at).split('+')[0] ?? '';
  return TENANT_NAME.test(local) ? local : null;
}

function clientList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) throw new Error(`allowedClients: "${entry}" is not an IP address or CIDR range`);
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function clientAllowed(list: BlockList, remote: string): boolean {
  const v4 = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
  return isIP(v4) === 4 ? list.check(v4, 'ipv4') : list.check(remote, 'ipv6');
}

export async function startEmailReceiver(options: EmailReceiverOptions): Promise<EmailReceiver> {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const allowed = options.allowedClients ? clientList(options.allowedClients) : null;
  const resolve = (address: string) => tenantForRecipient(address, options.centerDomain, options.addresses);
  const disabled = [...(options.auth ? [] : ['AUTH']), ...(options.tls ? [] : ['STARTTLS'])];
  const log = options.log;

  const server = new SMTPServer({
    name: options.centerDomain,
    banner: 'Earshot center mail intake',
    size: maxBytes,
    secure: false,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    disabledCommands: disabled,
    authOptional: !options.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    maxClients: options.maxClients ?? 100,
    logger: false,
    onConnect(session, callback) {
      if (allowed && !clientAllowed(allowed, session.remoteAddress)) {
        log?.warn({ event: 'mail.refused', why: 'client not allowed' }, 'email: connection from a server not on the allow-list refused');
        return callback(smtpError(554, 'This center takes mail only from its tenants\' mail servers; ask the center\'s administrator to allow this one'));
      }
      callback();
    },
    onAuth(auth, _session, callback) {
      const verify = options.auth;
      if (!verify || (auth.method !== 'PLAIN' && auth.method !== 'LOGIN')) return callback(smtpError(504, 'Authentication method not offered'));
      Promise.resolve(verify(auth.username ?? '', auth.password ?? ''))
        .then((ok) => (ok ? callback(null, { user: auth.username }) : callback(smtpError(535, 'Authentication failed: wrong user name or password'))))
        .catch(() => callback(smtpError(454, 'Authentication could not be checked; try again later')));
    },
    onRcptTo(address, session, callback) {
      const tenant = resolve(address.address);
      if (!tenant) return callback(smtpError(550, `No such mailbox here: write to <tenant>@${options.centerDomain}`));
      const first = session.envelope.rcptTo[0];
      if (first && resolve(first.address) !== tenant) {
        return callback(smtpError(452, 'One tenant per message: send again for the other recipients'));
      }
      Promise.resolve(options.tenantExists ? options.tenantExists(tenant) : true)
        .then((exists) => callback(exists ? undefined : smtpError(550, 'No such mailbox here: the tenant is unknown')))
        .catch(() => callback(smtpError(451, 'The recipient could not be checked; try again later')));
    },
    onData(stream, session, callback) {
      receive(stream, session, callback);
    },
  });

  function receive(stream: SMTPServerDataStream, session: SMTPServerSession, reply: (err?: Error | null, message?: string) => void) {
    const chunks: Buffer[] = [];
    let kept = 0;
    let answered = false;
    const callback = (err?: Error | null, message?: string) => {
      if (answered) return;
      answered = true;
      reply(err, message);
    };
    stream.on('data', (chunk: Buffer) => {
      if (kept <= maxBytes) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    stream.on('error', () => callback(smtpError(451, 'The message could not be read; try again later')));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        log?.info({ event: 'mail.refused', why: 'too large', bytes: stream.byteLength }, 'email: oversized message refused');
        return callback(smtpError(552, `Message too large: this center accepts mail up to ${formatBytes(maxBytes)}; send large files as a link`));
      }
      const rcptTo = session.envelope.rcptTo.map((r) => r.address);
      const tenant = resolve(rcptTo[0] ?? '');
      if (!tenant) return callback(smtpError(554, 'No recipient'));
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null;
      deliver(Buffer.concat(chunks), { tenant, mailFrom, rcptTo, remoteAddress: session.remoteAddress ?? null })
        .then((message) => callback(null, message))
        .catch((err: Error) => callback(err));
    });
  }

  async function deliver(raw: Buffer, envelope: { tenant: string; mailFrom: string | null; rcptTo: string[]; remoteAddress: string | null }): Promise<string> {
    let parsed;
    try {
      parsed = await parseInboundMail(raw, envelope, options.attachmentLimits);
    } catch (err) {
      // Our own failure, not the sender's: ask for the message again later rather than bounce it.
      log?.warn({ event: 'mail.deferred', tenant: envelope.tenant, error: err instanceof Error ? err.name : 'unknown' }, 'email: reading a message failed, sender asked to retry');
      throw smtpError(451, 'The message could not be read just now; try again later');
    }
    if (!parsed.ok) {
      log?.info({ event: 'mail.refused', why: 'unreadable', tenant: envelope.tenant }, 'email: unreadable message refused');
      throw smtpError(554, `Message refused: ${parsed.reason}`);
    }
    let verdict;
    try {
      verdict = await options.onMail(parsed.mail);
    } catch (err) {
      log?.warn({ event: 'mail.deferred', tenant: envelope.tenant, error: err instanceof Error ? err.name : 'unknown' }, 'email: intake failed, sender asked to retry');
      throw smtpError(451, 'The message could not be stored just now; try again later');
    }
    if (!verdict.accepted) throw smtpError(550, `Message refused: ${verdict.reason ?? 'not accepted'}`);
    return `Message accepted as <${parsed.mail.messageId}>`;
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  // Socket errors of one client (resets, TLS failures) must not end the receiver.
  server.on('error', (err) => log?.warn({ event: 'mail.socket-error', error: err.message.slice(0, 200) }, 'email: client connection error'));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    host: options.host ?? '0.0.0.0',
    port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
