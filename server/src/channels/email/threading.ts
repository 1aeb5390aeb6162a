// Which conversation a mail belongs to: the Message-IDs it answers (In-Reply-To, References, and
// for a bounce the id of our mail that bounced), then the `[#ES-xxxxxx]` token our subjects carry.
import { randomInt } from 'node:crypto';
import type { FindThread, InboundMail } from './types';

const SUBJECT_REF = /\[#(ES-[0-9A-Z]{6})\]/i;
const REF_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** RFC 5322 allows long References chains; a conversation is found by its newest ids. */
const MAX_LOOKUP_IDS = 20;

/** `abc@host` from `<abc@host>` (and from a bare id); null for an empty one. */
export function normaliseMessageId(raw: string): string | null {
  const id = raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return id.length > 0 && !/\s/.test(id) ? id : null;
}

/** Every `<id>` in a header value such as References, in order. */
export function messageIdList(header: string | string[] | undefined | null): string[] {
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  const ids: string[] = [];
  for (const value of values) {
    const bracketed = value.match(/<[^<>\s]+>/g);
    const parts = bracketed ?? value.split(/[\s,]+/);
    for (const part of parts) {
      const id = normaliseMessageId(part);
      if (id && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

/** The token in a subject (`ES-4F2A9C`), upper-cased; null when there is none. */
export function subjectReference(subject: string): string | null {
  const match = SUBJECT_REF.exec(subject);
  return match?.[1] ? match[1].toUpperCase() : null;
}

/** A new token for a conversation that starts with our mail: `ES-` and six Crockford base-32 characters. */
export function newSubjectReference(): string {
  let ref = 'ES-';
  for (let i = 0; i < 6; i++) ref += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return ref;
}

/** The subject of our reply: `Re: ` once, and the conversation's token once. */
export function replySubject(subject: string, ref: string): string {
  const bare = subject.replace(SUBJECT_REF, '').replace(/\s{2,}/g, ' ').trim();
  const answered = /^(re|aw|sv|antw|답장|회신)\s*:/i.test(bare) ? bare : `Re: ${bare}`;
  return `${answered} [#${ref.toUpperCase()}]`;
}

/** The ids to look up, most telling first: In-Reply-To, then References newest first, then a bounce's original. */
export function threadLookupIds(mail: Pick<InboundMail, 'messageId' | 'inReplyTo' | 'references' | 'classification'>): string[] {
  const ids: string[] = [];
  const add = (id: string | null) => {
    if (id && id !== mail.messageId && !ids.includes(id)) ids.push(id);
  };
  mail.inReplyTo.forEach(add);
  [...mail.references].reverse().forEach(add);
  add(mail.classification.deliveryReport?.originalMessageId ?? null);
  return ids.slice(0, MAX_LOOKUP_IDS);
}

/** The conversation this mail continues, through the store's port; null starts a new one. */
export function findMailThread(mail: InboundMail, findThread: FindThread): Promise<string | null> {
  return findThread(threadLookupIds(mail), mail.subjectRef);
}
