import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectiveSettings } from '../settings/effective';
import { exportDiagnostics } from './diagnostics';
import { createRotatingLog } from './rotating-log';
import { buildZip, crc32 } from './zip';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-diag-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('zip writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it.skipIf(!hasPython)("writes archives Python's zipfile accepts and reads back byte for byte", () => {
    const big = Buffer.alloc(300_000, 'abc');
    const file = path.join(dir, 'x.zip');
    writeFileSync(file, buildZip([{ name: 'a.txt', data: 'hello\n' }, { name: 'dir/큰.bin', data: big }, { name: 'empty', data: '' }]));
    const out = execFileSync('python3', [
      '-c',
      'import sys,zipfile,hashlib;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print([(i.filename,i.file_size,hashlib.sha256(z.read(i)).hexdigest()[:8]) for i in z.infolist()])',
      file,
    ]).toString();
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 8);
    expect(out.trim()).toBe(`[('a.txt', 6, '${sha(Buffer.from('hello\n'))}'), ('dir/큰.bin', 300000, '${sha(big)}'), ('empty', 0, '${sha(Buffer.alloc(0))}')]`);
  });

  it('refuses names that would escape the folder it is unpacked into', () => {
    expect(() => buildZip([{ name: '../evil', data: 'x' }])).toThrow(/Refusing/);
  });
});

describe('export diagnostics', () => {
  it.skipIf(!hasUnzip)('writes a zip `unzip -t` accepts, with masked logs, settings and versions', () => {
    const logDir = path.join(dir, 'logs');
    const log = createRotatingLog({ dir: logDir, maxBytes: 4096, maxFiles: 2 });
    for (let i = 0; i < 100; i += 1) log.info({ i, email: 'agent@example.com' }, 'note saved');
    log.close();
    // A line written by something that did not mask (an older build): masked on export.
    writeFileSync(path.join(logDir, 'earshot.log.2'), 'old line with caller +821012345678\n', { flag: 'a' });
    const settings = effectiveSettings({ policy: { updateMode: 'none' }, user: { tenant: 'acme' } });
    const outFile = path.join(dir, 'out', 'earshot-diagnostics.zip');
    const names = exportDiagnostics({ outFile, logFiles: log.files(), settings, policyOrigin: '/etc/earshot/policy.json', versions: { earshot: '0.1.0', node: process.versions.node } });
    expect(names).toEqual(['logs/earshot.log', 'logs/earshot.log.1', 'logs/earshot.log.2', 'settings.json', 'versions.json']);
    expect(execFileSync('unzip', ['-t', outFile]).toString()).toMatch(/No errors detected/);
    const logs = execFileSync('unzip', ['-p', outFile, 'logs/*']).toString();
    expect(logs).not.toMatch(/agent@example\.com|821012345678/);
    expect(logs).toContain('[phone]');
    const saved = JSON.parse(execFileSync('unzip', ['-p', outFile, 'settings.json']).toString());
    expect(saved).toMatchObject({ values: { updateMode: 'none', tenant: 'acme' }, locked: ['updateMode'], policyOrigin: '/etc/earshot/policy.json' });
    expect(JSON.parse(execFileSync('unzip', ['-p', outFile, 'versions.json']).toString())).toMatchObject({ earshot: '0.1.0', platform: process.platform });
  });
});
