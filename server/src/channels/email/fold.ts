// Quoted history in a text body: kept whole, split so the desk can fold it. planer (a port of
// Mailgun's talon) finds the reply; it knows Gmail's "On … wrote:", Outlook's "From: … Sent: …"
// block, `>` quotes and "-----Original Message-----", and, unlike email-reply-parser, it keeps the
// sender's sign-off with the reply.
import planer from 'planer';
import type { FoldedText } from './types';

export function foldQuotedText(text: string): FoldedText {
  const full = text.replace(/\r\n/g, '\n');
  let reply: string;
  try {
    reply = planer.extractFrom(full, 'text/plain');
  } catch {
    return { full, reply: full.trim(), quoted: '' };
  }
  // planer returns the reply trimmed; the quoted part is what follows it in the original.
  const start = full.indexOf(reply);
  if (reply.length === 0 || start < 0) return { full, reply: full.trim(), quoted: '' };
  return { full, reply, quoted: full.slice(start + reply.length).trim() };
}
