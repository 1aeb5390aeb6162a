// Parses the text `reg query <key>` prints, so Windows policy values are read without a native module.
// REG_SZ/REG_EXPAND_SZ become strings, REG_DWORD/REG_QWORD numbers; other types are skipped.

const LINE = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

export function parseRegQuery(output: string): Record<string, string | number> {
  const values: Record<string, string | number> = Object.create(null);
  let inKey = false;
  for (const line of output.split(/\r?\n/)) {
    if (/^HKEY_/i.test(line)) {
      // Only the values of the key itself; `reg query` without /s prints subkeys as bare names.
      inKey = !inKey;
      if (!inKey) break;
      continue;
    }
    const m = LINE.exec(line);
    if (!m || !inKey) continue;
    const [, name, type, data = ''] = m as unknown as [string, string, string, string | undefined];
    if (type === 'REG_SZ' || type === 'REG_EXPAND_SZ') values[name] = data;
    else if (type === 'REG_DWORD' || type === 'REG_QWORD') {
      const n = Number.parseInt(data, 16);
      if (Number.isSafeInteger(n)) values[name] = n;
    }
  }
  return { ...values };
}
