import { chmodSync, chownSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLinuxPolicy, readMacPolicy, readMachinePolicy, readWindowsPolicy, type RunProgram } from './policy';

const isRoot = process.getuid?.() === 0;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function policyFile(content: string, { uid = 0, mode = 0o644 } = {}): string {
  const file = path.join(dir, 'policy.json');
  writeFileSync(file, content);
  chownSync(file, uid, 0);
  chmodSync(file, mode);
  return file;
}

describe.skipIf(!isRoot)('Linux policy file (real files; needs root to chown)', () => {
  const good = JSON.stringify({ centerUrl: 'https://center.corp.example', updateMode: 'none', tenant: 'acme' });

  it('is read when owned by root and not writable by group or others', () => {
    const policy = readLinuxPolicy(policyFile(good));
    expect(policy.values).toEqual({ centerUrl: 'https://center.corp.example', updateMode: 'none', tenant: 'acme' });
    expect(policy.problems).toEqual([]);
  });

  it('is refused when another user owns it', () => {
    const policy = readLinuxPolicy(policyFile(good, { uid: 1000 }));
    expect(policy.values).toEqual({});
    expect(policy.problems[0]).toMatch(/not owned by root.*chown root/);
  });

  it.each([0o664, 0o646, 0o666])('is refused when its mode is %o (group or world writable)', (mode) => {
    const policy = readLinuxPolicy(policyFile(good, { mode }));
    expect(policy.values).toEqual({});
    expect(policy.problems[0]).toMatch(/writable by group or others.*chmod 644/);
  });

  it('is refused through a symbolic link, even to a good file', () => {
    const link = path.join(dir, 'link.json');
    symlinkSync(policyFile(good), link);
    expect(readLinuxPolicy(link).problems[0]).toMatch(/symbolic link/);
  });

  it('is simply absent when the file does not exist', () => {
    expect(readLinuxPolicy(path.join(dir, 'none.json'))).toEqual({ values: {}, origin: null, problems: [] });
  });

  it('keeps the good keys and reports the bad ones without echoing their values', () => {
    const policy = readLinuxPolicy(policyFile(JSON.stringify({ centerUrl: 'ftp://secret-host', updateMode: 'auto', windowBounds: { width: 900, height: 600 } })));
    expect(policy.values).toEqual({ updateMode: 'auto' });
    expect(policy.problems).toHaveLength(1);
    expect(policy.problems[0]).toContain("'centerUrl'");
    expect(policy.problems[0]).not.toContain('secret-host');
  });

  it('reports a file that is not JSON', () => {
    expect(readLinuxPolicy(policyFile('{ centerUrl: nope')).problems[0]).toMatch(/not valid JSON/);
  });

  it('is what readMachinePolicy reads on Linux', async () => {
    const policy = await readMachinePolicy('linux', { linuxFile: policyFile(good) });
    expect(policy.values.updateMode).toBe('none');
  });
});

describe('Windows policy (captured `reg query` output)', () => {
  const captured = [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Earshot\\Desktop',
    '    centerUrl    REG_SZ    https://center.corp.example:8443',
    '    updateMode    REG_SZ    none',
    '    callNotifications    REG_DWORD    0x0',
    '    logMaxFiles    REG_DWORD    0xa',
    '    unknownThing    REG_SZ    whatever',
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Earshot\\Desktop\\Later',
    '',
  ].join('\r\n');

  it('reads values with their registry types', async () => {
    const calls: string[][] = [];
    const run: RunProgram = async (file, args) => {
      calls.push([file, ...args]);
      return { code: 0, stdout: captured };
    };
    const policy = await readWindowsPolicy(run);
    expect(calls).toEqual([['reg', 'query', 'HKLM\\SOFTWARE\\Policies\\Earshot\\Desktop']]);
    expect(policy.values).toEqual({ centerUrl: 'https://center.corp.example:8443', updateMode: 'none', callNotifications: false, logMaxFiles: 10 });
  });

  it('has no policy when the key does not exist (reg exits 1)', async () => {
    const policy = await readMachinePolicy('win32', { run: async () => ({ code: 1, stdout: '' }) });
    expect(policy).toEqual({ values: {}, origin: null, problems: [] });
  });
});

describe('macOS managed preferences', () => {
  it('reads an XML plist', async () => {
    const file = path.join(dir, 'com.earshot.desktop.plist');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>centerUrl</key><string>https://center.corp.example/?a=1&amp;b=2</string>
  <key>callNotifications</key><false/>
  <key>PayloadUUID</key><dict><key>centerUrl</key><string>http://nested.example</string></dict>
  <key>logLevel</key><string>debug</string>
  <!-- IT's note: ten files -->
  <key>logMaxFiles</key><integer>10</integer>
</dict></plist>`,
    );
    const policy = await readMacPolicy(file);
    expect(policy.values).toEqual({ centerUrl: 'https://center.corp.example/?a=1&b=2', callNotifications: false, logLevel: 'debug', logMaxFiles: 10 });
  });

  it('ignores a damaged plist, one that is not a dictionary, or one that would pollute prototypes, saying why', async () => {
    const cases = {
      damaged: '<plist version="1.0"><dict><key>centerUrl</key><string>https://x.example</dict></plist>',
      array: '<plist version="1.0"><array><string>https://x.example</string></array></plist>',
      proto: '<plist version="1.0"><dict><key>__proto__</key><dict><key>centerUrl</key><string>https://evil.example</string></dict></dict></plist>',
    };
    for (const [name, xml] of Object.entries(cases)) {
      const file = path.join(dir, `${name}.plist`);
      writeFileSync(file, xml);
      const policy = await readMacPolicy(file);
      expect(policy.values, name).toEqual({});
      expect(policy.origin, name).toBeNull();
      expect(policy.problems, name).toEqual([expect.stringMatching(/could not be parsed .* and was ignored/)]);
    }
    expect((await readMacPolicy(path.join(dir, 'array.plist'))).problems[0]).toMatch(/not a dictionary/);
    expect(({} as Record<string, unknown>).centerUrl).toBeUndefined();
  });

  it('converts a binary plist with plutil', async () => {
    const file = path.join(dir, 'bin.plist');
    writeFileSync(file, Buffer.from('bplist00 binary bytes'));
    const run: RunProgram = async (prog, args) => {
      expect([prog, ...args]).toEqual(['plutil', '-convert', 'json', '-o', '-', file]);
      return { code: 0, stdout: '{"updateMode":"auto"}' };
    };
    expect((await readMacPolicy(file, run)).values).toEqual({ updateMode: 'auto' });
  });
});
