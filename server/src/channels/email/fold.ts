// Quoted history in a text body: kept whole, split so the desk can fold it. planer (a port of
// Mailgun's talon) finds the reply; it knows Gmail's "On … wrote:", Outlook's "From: … Sent: …"
// block and "-----Original Message-----", and, unlike email-reply-parser, it keeps the sender's
// sign-off with the reply. It does not know Korean clients' headers ("…님이 작성:", "보낸 사람: …
// 보낸 날짜: …") nor a bare `>` block at the end, so those are found here, and the earlier cut wins.
import planer from 'planer';
import type { FoldedText } from './types';

const KOREAN_WROTE = /(님이|님께서)?\s*작성\s*:\s*$/;
const KOREAN_FROM = /^\s*보낸\s*사람\s*:/;
const KOREAN_HEADER = /^\s*(보낸\s*날짜|날짜|받는\s*사람|제목)\s*:/;
const SEPARATOR = /^\s*(_{8,}|-{5,}.*-{5,})\s*$/;

export function foldQuotedText(text: string): FoldedText {
  const full = text.replace(/\r\n/g, '\n');
  const cuts = [planerCut(full), ownCut(full)].filter((cut): cut is number => cut !== null && cut > 0);
  if (cuts.length === 0) return { full, reply: full.trim(), quoted: '' };
  const cut = Math.min(...cuts);
  return { full, reply: full.slice(0, cut).trim(), quoted: full.slice(cut).trim() };
}

/** Where planer's reply ends in `full`, or null when it finds no quote. */
function planerCut(full: string): number | null {
  let reply: string;
  try {
    reply = planer.extractFrom(full, 'text/plain');
  } catch {
    return null;
  }
  // planer returns the reply trimmed; the quoted part is what follows it in the original.
  const start = full.indexOf(reply);
  if (reply.length === 0 || start < 0) return null;
  const end = start + reply.length;
  return full.slice(end).trim().length > 0 ? end : null;
}

/** The offset of a Korean quote header or of a trailing `>` block, or null. */
function ownCut(full: string): number | null {
  const lines = full.split('\n');
  const offsetOf = (line: number) => lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0);
  const withSeparator = (line: number) => (line > 0 && SEPARATOR.test(lines[line - 1] ?? '') ? line - 1 : line);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (KOREAN_WROTE.test(line) && /[<@]|\d/.test(line + (lines[i - 1] ?? ''))) {
      // Gmail wraps a long header: "…<email>" on one line, "님이 작성:" on the next.
      return offsetOf(line.trim().length < 12 && i > 0 ? i - 1 : i);
    }
    if (KOREAN_FROM.test(line) && lines.slice(i + 1, i + 4).some((next) => KOREAN_HEADER.test(next))) return offsetOf(withSeparator(i));
  }
  let start = lines.length;
  while (start > 0 && ((lines[start - 1] ?? '').trim() === '' || (lines[start - 1] ?? '').startsWith('>'))) start--;
  if (!lines.slice(start).some((l) => l.startsWith('>'))) return null;
  if (start > 0 && (lines[start - 1] ?? '').trim().endsWith(':')) start--;
  return offsetOf(start);
}
