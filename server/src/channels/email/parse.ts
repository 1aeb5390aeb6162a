// One raw message → `InboundMail` (mailparser's simpleParser), or a clear reason why it cannot be
// read. Bodies are kept whole (text folded, HTML sanitised); attachments over the limits are
// dropped and listed so the agent can be told.
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { classifyMail, contentTypeOf, firstHeader, indexHeaders } from './classify';
import { foldQuotedText } from './fold';
import { sanitiseMailHtml } from './sanitize';
import { messageIdList, normaliseMessageId, subjectReference } from './threading';
import {
  DEFAULT_ATTACHMENT_LIMITS,
  type AttachmentLimits,
  type DroppedAttachment,
  type InboundMail,
  type MailAddress,
  type MailAttachment,
  type MailEnvelope,
} from './types';

export type ParseOutcome = { ok: true; mail: InboundMail } | { ok: false; reason: string };

/** Ids we make up for mail without a Message-ID: stable for the same content, never a real host. */
const GENERATED_ID_DOMAIN = 'generated.earshot.invalid';

export async function parseInboundMail(raw: Buffer, envelope: MailEnvelope, limits: Partial<AttachmentLimits> = {}): Promise<ParseOutcome> {
  const rawText = raw.toString('utf8');
  const headers = indexHeaders(rawText);
  if (headers.size === 0) return { ok: false, reason: 'malformed message: no header section was found' };
  const contentType = contentTypeOf(headers);
  if (contentType.type.startsWith('multipart/') && !contentType.params.get('boundary')) {
    return { ok: false, reason: `malformed MIME: the message is ${contentType.type} but names no boundary, so its parts cannot be told apart` };
  }

  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  } catch (err) {
    return { ok: false, reason: `malformed MIME: ${err instanceof Error ? err.message : String(err)}` };
  }
  const from = addresses(parsed.from)[0];
  if (!from) return { ok: false, reason: 'malformed message: the From header is missing or holds no address' };

  const { attachments, dropped } = keepAttachments(parsed.attachments, { ...DEFAULT_ATTACHMENT_LIMITS, ...limits });
  const inlineIds = new Set(attachments.flatMap((a) => (a.contentId ? [a.contentId] : [])));
  const text = typeof parsed.text === 'string' ? parsed.text : '';
  const html = typeof parsed.html === 'string' ? sanitiseMailHtml(parsed.html, inlineIds) : null;
  const subject = parsed.subject ?? '';
  const headerId = normaliseMessageId(firstHeader(headers, 'message-id') ?? '');
  const dateHeader = firstHeader(headers, 'date');

  const mail: InboundMail = {
    envelope,
    messageId: headerId ?? generatedMessageId(parsed, text),
    messageIdGenerated: headerId === null,
    inReplyTo: messageIdList(headers.get('in-reply-to')),
    references: messageIdList(headers.get('references')),
    subject,
    subjectRef: subjectReference(subject),
    from,
    replyTo: addresses(parsed.replyTo),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    date: dateHeader && parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null,
    receivedAt: new Date().toISOString(),
    text: foldQuotedText(text),
    html,
    attachments,
    droppedAttachments: dropped,
    classification: classifyMail(headers, envelope.mailFrom, from.address, rawText),
    size: raw.length,
  };
  return { ok: true, mail };
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const list: MailAddress[] = [];
  for (const object of objects) {
    for (const entry of object.value) {
      // A group (`team: a@x, b@y;`) lists its members.
      for (const member of entry.group ?? [entry]) {
        if (member.address) list.push({ address: member.address.toLowerCase(), name: member.name ?? '' });
      }
    }
  }
  return list;
}

/** The same message (relayed twice, with other Received lines) always gets the same id. */
function generatedMessageId(parsed: ParsedMail, text: string): string {
  const hash = createHash('sha256');
  for (const part of [parsed.from?.text, addressText(parsed.to), parsed.subject, parsed.date?.toISOString(), text, typeof parsed.html === 'string' ? parsed.html : '']) {
    hash.update(part ?? '').update('\u0000');
  }
  return `${hash.digest('hex').slice(0, 32)}@${GENERATED_ID_DOMAIN}`;
}

function addressText(field: AddressObject | AddressObject[] | undefined): string {
  if (!field) return '';
  return (Array.isArray(field) ? field : [field]).map((f) => f.text).join(', ');
}

function keepAttachments(parts: Attachment[], limits: AttachmentLimits): { attachments: MailAttachment[]; dropped: DroppedAttachment[] } {
  const attachments: MailAttachment[] = [];
  const dropped: DroppedAttachment[] = [];
  let total = 0;
  parts.forEach((part, i) => {
    const filename = safeFilename(part.filename) ?? `unnamed-${i + 1}`;
    const size = part.content.length;
    const drop = (reason: string) => dropped.push({ filename, contentType: part.contentType, size, reason });
    if (size > limits.maxAttachmentBytes) return drop(`larger than the ${formatBytes(limits.maxAttachmentBytes)} limit per file (${formatBytes(size)})`);
    if (total + size > limits.maxTotalAttachmentBytes) return drop(`the message's attachments passed the ${formatBytes(limits.maxTotalAttachmentBytes)} total limit`);
    total += size;
    attachments.push({
      filename,
      contentType: part.contentType,
      size,
      sha256: createHash('sha256').update(part.content).digest('hex'),
      contentId: part.cid ? normaliseMessageId(part.cid) : null,
      inline: part.contentDisposition === 'inline' || part.related === true,
      content: part.content,
    });
  });
  return { attachments, dropped };
}

/** A sender's file name as a name only: no directories, control characters or leading dots. */
function safeFilename(name: string | undefined): string | null {
  // eslint-disable-next-line no-control-regex
  const safe = (name ?? '').replace(/[\\/\u0000-\u001f\u007f]/g, '_').replace(/^\.+/, '_').trim().slice(0, 200);
  return safe.length > 0 ? safe : null;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
