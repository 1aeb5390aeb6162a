// "Email me this conversation": a visitor has their own chat's transcript mailed to them, through the
// tenant's outgoing mail server (mail.ts's settings and sender), as plain text and simple HTML built
// from escaped text, in the widget's language, with our own Message-ID and `Auto-Submitted:
// auto-generated` (RFC 3834: never answered automatically).
// The center must not become a relay for anyone's mail, so: only the visitor's own latest conversation
// (their token says whose), and only once an agent has answered in it (every mail needs a person's
// part in it); at most TRANSCRIPTS_PER_CONVERSATION attempts per conversation (numbered slots in
// chat_transcript_sends, so racing requests cannot pass the cap), one per visitor every
// TRANSCRIPT_MIN_GAP_MS, at most TRANSCRIPTS_PER_TENANT_HOUR per tenant; the address is checked and
// sent to alone. The address is neither stored nor logged.
import type { Logger } from 'pino';
import { TRANSCRIPTS_PER_CONVERSATION, type TranscriptOffer, type VisitorTranscript } from '../../../../shared/protocol/webchat';
import { CenterError } from '../../base/errors';
import type { Db, Queryable } from '../../db/db';
import type { EmailSender } from '../email';
import { mailSettings } from '../mail';
import type { Visitor } from './visitors';

export { TRANSCRIPTS_PER_CONVERSATION };
/** One transcript per visitor this often at most. */
export const TRANSCRIPT_MIN_GAP_MS = 30_000;
/** A tenant's site sends at most this many transcripts an hour (a backstop against a flood of sessions). */
export const TRANSCRIPTS_PER_TENANT_HOUR = 200;
/** The most messages a transcript carries (the newest are kept). */
const TRANSCRIPT_MAX_MESSAGES = 1000;

export interface TranscriptLine {
  from: 'visitor' | 'agent';
  author: string;
  text: string;
  at: Date;
}

const WORDS = {
  en: {
    subject: (shop: string) => `Your chat with ${shop}`,
    heading: (shop: string) => `Your chat with ${shop}`,
    intro: 'Here is the conversation you asked us to email you.',
    you: 'You',
    footer: 'This message was sent automatically because you asked for it in the chat. Replies to it are not read.',
    locale: 'en-GB',
  },
  ko: {
    subject: (shop: string) => `${shop} 채팅 상담 내용`,
    heading: (shop: string) => `${shop} 채팅 상담 내용`,
    intro: '요청하신 상담 대화 내용을 보내 드립니다.',
    you: '나',
    footer: '채팅에서 요청하셔서 자동으로 보내 드린 메일입니다. 이 메일에 답장하셔도 읽히지 않습니다.',
    locale: 'ko-KR',
  },
} as const;

/** A time zone the runtime knows, else UTC. */
function zoneOr(zone: string | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The transcript mail's subject, text and HTML (every visitor or agent word escaped, never markup). */
export function buildTranscript(o: { shop: string; lang: 'en' | 'ko'; timeZone?: string; lines: readonly TranscriptLine[] }): { subject: string; text: string; html: string } {
  const w = WORDS[o.lang];
  const timeZone = zoneOr(o.timeZone);
  const fmt = new Intl.DateTimeFormat(w.locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
  const who = (l: TranscriptLine) => (l.from === 'visitor' ? w.you : l.author);
  const text = [
    w.heading(o.shop),
    '',
    w.intro,
    '',
    ...o.lines.flatMap((l) => [`[${fmt.format(l.at)}] ${who(l)}:`, ...l.text.split(/\r?\n/).map((t) => `  ${t}`), '']),
    '--',
    w.footer,
    '',
  ].join('\n');
  const rows = o.lines
    .map(
      (l) =>
        `<tr><td style="vertical-align:top;padding:4px 8px;color:#5b6573;white-space:nowrap">${escapeHtml(fmt.format(l.at))}</td>` +
        `<td style="vertical-align:top;padding:4px 8px;font-weight:bold">${escapeHtml(who(l))}</td>` +
        `<td style="vertical-align:top;padding:4px 8px;white-space:pre-wrap">${escapeHtml(l.text)}</td></tr>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="${o.lang}"><head><meta charset="utf-8"><title>${escapeHtml(w.subject(o.shop))}</title></head>
<body style="font-family:system-ui,'Noto Sans KR',sans-serif;color:#1b1f24">
<h1 style="font-size:18px">${escapeHtml(w.heading(o.shop))}</h1>
<p>${escapeHtml(w.intro)}</p>
<table style="border-collapse:collapse;font-size:14px">
${rows}
</table>
<p style="font-size:12px;color:#5b6573">${escapeHtml(w.footer)}</p>
</body></html>
`;
  return { subject: w.subject(o.shop), text, html };
}

/** The visitor's latest conversation (the only one theirs to have mailed). */
async function latestOf(q: Queryable, v: Pick<Visitor, 'tenantId' | 'id'>): Promise<{ id: string; answered: boolean; used: number } | null> {
  const [c] = await q.query<{ id: string; answered: boolean; used: number }>(
    `SELECT c.id::text AS id,
            EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = c.id AND m.direction = 'out' AND m.outbound_state <> 'failed') AS answered,
            (SELECT count(*)::int FROM chat_transcript_sends s WHERE s.conversation_id = c.id) AS used
       FROM conversations c
      WHERE c.tenant_id = $1 AND c.chat_visitor_id = $2 AND c.channel = 'chat' ORDER BY c.created_at DESC LIMIT 1`,
    [v.tenantId, v.id],
  );
  return c ?? null;
}

/** Whether the widget offers "Email me this conversation" now, to which address, and how many are left. */
export async function transcriptOffer(db: Db, v: Visitor): Promise<TranscriptOffer> {
  const [hasMail] = await db.query('SELECT 1 FROM tenant_mail_settings WHERE tenant_id = $1', [v.tenantId]);
  const c = hasMail ? await latestOf(db, v) : null;
  const remaining = c ? Math.max(0, TRANSCRIPTS_PER_CONVERSATION - c.used) : TRANSCRIPTS_PER_CONVERSATION;
  return { available: Boolean(hasMail && c?.answered && remaining > 0), email: v.verified ? v.email : null, remaining };
}

export interface TranscriptDeps {
  db: Db;
  sender: EmailSender;
  /** The domain of our Message-IDs: the center's mail domain when it has one, else the tenant's From address's. */
  domain?: string;
  log: Pick<Logger, 'info' | 'warn'>;
  now: () => number;
}

/** Mails the visitor's latest conversation to `req.email`; refuses with a CenterError whose message the widget shows. */
export async function sendTranscript(deps: TranscriptDeps, v: Visitor, req: VisitorTranscript): Promise<{ sent: true; remaining: number }> {
  const { db, log } = deps;
  const smtp = await mailSettings(db, v.tenantId);
  if (!smtp) throw new CenterError('forbidden', 'Emailing the conversation is not available on this site.');
  const c = await latestOf(db, v);
  if (!c || !c.answered) throw new CenterError('not_found', 'There is nothing to email yet: the conversation can be emailed once an agent has answered.');
  if (c.used >= TRANSCRIPTS_PER_CONVERSATION) throw new CenterError('rate_limited', `This conversation has been emailed ${TRANSCRIPTS_PER_CONVERSATION} times already, the most it may be.`);
  const now = new Date(deps.now());
  const [recent] = await db.query<{ visitor: number; tenant: number }>(
    `SELECT count(*) FILTER (WHERE visitor_id = $2 AND created_at > $3)::int AS visitor, count(*)::int AS tenant
       FROM chat_transcript_sends WHERE tenant_id = $1 AND created_at > $4`,
    [v.tenantId, v.id, new Date(now.getTime() - TRANSCRIPT_MIN_GAP_MS), new Date(now.getTime() - 3_600_000)],
  );
  if ((recent?.visitor ?? 0) > 0) throw new CenterError('rate_limited', `A transcript was just sent: wait ${TRANSCRIPT_MIN_GAP_MS / 1000} seconds before asking again.`);
  if ((recent?.tenant ?? 0) >= TRANSCRIPTS_PER_TENANT_HOUR) throw new CenterError('rate_limited', 'Too many transcripts were asked for on this site this hour; try again later.');
  const rows = await db.query<{ direction: 'in' | 'out'; author: string; display_name: string | null; text: string; created_at: Date | string }>(
    `SELECT * FROM (SELECT m.seq, m.direction, m.author, u.display_name, m.text, m.created_at
                      FROM conversation_messages m LEFT JOIN users u ON u.id = m.author_user_id
                     WHERE m.tenant_id = $1 AND m.conversation_id = $2 AND (m.direction = 'in' OR m.outbound_state <> 'failed')
                     ORDER BY m.seq DESC LIMIT ${TRANSCRIPT_MAX_MESSAGES}) t ORDER BY seq`,
    [v.tenantId, c.id],
  );
  const lines: TranscriptLine[] = rows.map((r) => ({
    from: r.direction === 'in' ? 'visitor' : 'agent',
    // Agents by their display name's first word, as the widget shows them.
    author: r.direction === 'in' ? (v.displayName ?? r.author) : ((r.display_name ?? r.author).split(/\s+/)[0] ?? r.author),
    text: r.text,
    at: new Date(r.created_at),
  }));
  const shop = smtp.from.name || smtp.from.address;
  const mail = buildTranscript({ shop, lang: req.lang, ...(req.timeZone && { timeZone: req.timeZone }), lines });
  // The next numbered slot: a request racing this one for the same slot loses it.
  const n = c.used + 1;
  const claimed = await db.query(
    `INSERT INTO chat_transcript_sends (tenant_id, conversation_id, n, visitor_id, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING n`,
    [v.tenantId, c.id, n, v.id, now],
  );
  if (claimed.length === 0) throw new CenterError('rate_limited', 'A transcript of this conversation is being sent already.');

  const domain = deps.domain ?? smtp.from.address.split('@')[1] ?? 'earshot.invalid';
  const result = await deps.sender
    .sendMessage(smtp, { idempotencyKey: `transcript:${c.id}:${n}`, messageId: `transcript.${c.id}.${n}@${domain}`, to: [{ address: req.email, name: '' }], ...mail })
    .catch((err: unknown) => ({ state: 'failed' as const, permanent: false, responseCode: null, reason: String(err) }));
  await db.query('UPDATE chat_transcript_sends SET state = $3 WHERE conversation_id = $1 AND n = $2', [c.id, n, result.state]);
  // Never the address: who asked is the conversation, where it went is the visitor's business.
  log.info({ tenant: v.tenantId, conversationId: c.id, n, state: result.state }, 'a chat transcript was emailed on the visitor’s request');
  if (result.state === 'failed') {
    log.warn({ tenant: v.tenantId, conversationId: c.id, permanent: result.permanent, responseCode: result.responseCode }, "the tenant's mail server did not take a chat transcript");
    throw new CenterError('internal', 'The transcript could not be sent just now; try again in a while.');
  }
  return { sent: true, remaining: TRANSCRIPTS_PER_CONVERSATION - n };
}
