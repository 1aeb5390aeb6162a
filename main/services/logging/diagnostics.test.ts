import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectiveSettings } from '../settings/effective';
import { exportDiagnostics } from './diagnostics';
import { createRotatingLog } from './rotating-log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-diag-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

const settings = () => effectiveSettings({ policy: { updateMode: 'none' }, user: { tenant: 'acme' } });
const versions = { earshot: '0.1.0' };

describe('the diagnostics zip', () => {
  it.skipIf(!hasPython)("is one Python's zipfile accepts, with UTF-8 names and the logs byte for byte", async () => {
    // Nothing in these logs looks like personal data, so masking leaves them as they were.
    const big = 'abc def\n'.repeat(37_500);
    const logs = { 'earshot.log': 'hello\n', '큰.log': big, 'empty.log': '' };
    for (const [name, text] of Object.entries(logs)) writeFileSync(path.join(dir, name), text);
    const outFile = path.join(dir, 'x.zip');
    await exportDiagnostics({ outFile, logFiles: Object.keys(logs).map((n) => path.join(dir, n)), settings: settings(), policyOrigin: null, versions });
    const out = execFileSync('python3', [
      '-c',
      'import sys,zipfile,hashlib;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print([(i.filename,i.file_size,hashlib.sha256(z.read(i)).hexdigest()[:8]) for i in z.infolist() if i.filename.startswith("logs/")])',
      outFile,
    ]).toString();
    const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
    expect(out.trim()).toBe(`[('logs/earshot.log', 6, '${sha('hello\n')}'), ('logs/큰.log', 300000, '${sha(big)}'), ('logs/empty.log', 0, '${sha('')}')]`);
  });

  it('refuses an entry name that would escape the folder it is unpacked into, and writes nothing', async () => {
    const outFile = path.join(dir, 'out', 'x.zip');
    await expect(exportDiagnostics({ outFile, logFiles: [`${dir}/..`], settings: settings(), policyOrigin: null, versions })).rejects.toThrow(/invalid relative path/);
    expect(existsSync(outFile)).toBe(false);
  });

  it('fails whole when a log cannot be read, leaving neither the zip nor a partial file', async () => {
    const outFile = path.join(dir, 'out', 'x.zip');
    writeFileSync(path.join(dir, 'earshot.log'), 'fine\n');
    // A directory where a log file should be: it exists, but reading it fails (EISDIR).
    mkdirSync(path.join(dir, 'earshot.log.1'));
    const logFiles = [path.join(dir, 'earshot.log'), path.join(dir, 'earshot.log.1')];
    await expect(exportDiagnostics({ outFile, logFiles, settings: settings(), policyOrigin: null, versions })).rejects.toThrow(/EISDIR/);
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
  });
});

describe('export diagnostics', () => {
  it.skipIf(!hasUnzip)('writes a zip `unzip -t` accepts, with masked logs, settings and versions', async () => {
    const logDir = path.join(dir, 'logs');
    const log = createRotatingLog({ dir: logDir, maxBytes: 4096, maxFiles: 2 });
    for (let i = 0; i < 100; i += 1) log.info({ i, email: 'agent@example.com' }, 'note saved');
    log.close();
    // A line written by something that did not mask (an older build): masked on export.
    writeFileSync(path.join(logDir, 'earshot.log.2'), 'old line with caller +821012345678\n', { flag: 'a' });
    const outFile = path.join(dir, 'out', 'earshot-diagnostics.zip');
    const names = await exportDiagnostics({ outFile, logFiles: log.files(), settings: settings(), policyOrigin: '/etc/earshot/policy.json', versions: { earshot: '0.1.0', node: process.versions.node } });
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
