// Where the quoted part of a mail starts: the first quoted line (`>`), an Outlook "Original Message"
// or "From:" header block, or a Gmail-style "On … wrote:" line. The body is shown above it, the rest folded.
const QUOTE_START = [/^\s*>/, /^-{2,}\s*Original Message\s*-{2,}/i, /^On .+ wrote:\s*$/, /^20\d\d.+(작성|wrote):\s*$/, /^_{10,}\s*$/, /^From: .+/];

export function splitQuoted(text: string): { body: string; quoted: string | null } {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line, i) => i > 0 && QUOTE_START.some((re) => re.test(line)));
  if (at < 0) return { body: text, quoted: null };
  return { body: lines.slice(0, at).join('\n').trimEnd(), quoted: lines.slice(at).join('\n') };
}
