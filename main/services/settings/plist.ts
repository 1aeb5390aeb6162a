// A small reader for XML property lists (macOS managed preferences): the top-level <dict> with
// string, integer, real, true/false values, as a plain object. Nested dicts and arrays are skipped
// (no Earshot policy key needs them). Binary plists are converted by `plutil` before they get here.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return ENTITIES[e.toLowerCase()] ?? '';
  });
}

export function parsePlistXml(xml: string): Record<string, string | number | boolean> {
  const body = /<plist[^>]*>\s*<dict>([\s\S]*)<\/dict>\s*<\/plist>/.exec(xml.replace(/<!--[\s\S]*?-->/g, ''));
  if (!body) throw new Error('This is not an XML property list with a top-level dictionary.');
  const out: Record<string, string | number | boolean> = Object.create(null);
  // Walk the top-level tokens; a nested <dict>/<array> is skipped whole by depth counting.
  const token = /<(\/?)(key|string|integer|real|true|false|dict|array|data|date)(\s*\/)?>/g;
  let depth = 0;
  let pendingKey: string | null = null;
  let match: RegExpExecArray | null;
  const src = body[1] ?? '';
  while ((match = token.exec(src))) {
    const [, closing, tag, selfClosing] = match as unknown as [string, string, string, string | undefined];
    if (tag === 'dict' || tag === 'array') {
      if (selfClosing) pendingKey = depth === 0 ? null : pendingKey;
      else if (closing) depth -= 1;
      else {
        if (depth === 0) pendingKey = null;
        depth += 1;
      }
      continue;
    }
    if (depth > 0 || closing) continue;
    if (tag === 'true' || tag === 'false') {
      if (pendingKey !== null) out[pendingKey] = tag === 'true';
      pendingKey = null;
      continue;
    }
    const end = src.indexOf(`</${tag}>`, token.lastIndex);
    if (end < 0) throw new Error(`The property list has an unclosed <${tag}>.`);
    const text = unescapeXml(src.slice(token.lastIndex, end));
    token.lastIndex = end + tag.length + 3;
    if (tag === 'key') {
      pendingKey = text;
      continue;
    }
    if (pendingKey !== null) {
      if (tag === 'string') out[pendingKey] = text;
      else if (tag === 'integer' || tag === 'real') {
        const n = Number(text.trim());
        if (Number.isFinite(n)) out[pendingKey] = n;
      }
    }
    pendingKey = null;
  }
  return { ...out };
}
