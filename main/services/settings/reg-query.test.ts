import { describe, expect, it } from 'vitest';
import { parseRegQuery } from './reg-query';

describe('parseRegQuery', () => {
  it('reads strings with spaces, empty strings and DWORDs, and stops at subkeys', () => {
    const out = parseRegQuery(
      [
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Earshot\\Desktop',
        '    caBundlePath    REG_EXPAND_SZ    C:\\Program Files\\Corp CA\\ca bundle.pem',
        '    tenant    REG_SZ    ',
        '    logMaxBytes    REG_DWORD    0x100000',
        '    blob    REG_BINARY    00FF',
        '',
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Earshot\\Desktop\\Sub',
        '    tenant    REG_SZ    from-a-subkey',
      ].join('\n'),
    );
    expect(out).toEqual({ caBundlePath: 'C:\\Program Files\\Corp CA\\ca bundle.pem', tenant: '', logMaxBytes: 0x100000 });
  });

  it('does not let a value named __proto__ change the prototype', () => {
    const out = parseRegQuery('HKEY_LOCAL_MACHINE\\X\n    __proto__    REG_SZ    polluted\n');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
