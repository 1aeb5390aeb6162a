import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectiveSettings } from './effective';
import { DEFAULT_SETTINGS, loadSettings, SettingLockedError } from './index';
import { openUserSettings, type SettingsMigration } from './user-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('precedence', () => {
  it('is policy over user over default, and policy keys are locked', () => {
    const eff = effectiveSettings({
      policy: { centerUrl: 'https://policy.example', updateMode: 'none' },
      user: { centerUrl: 'https://user.example', logLevel: 'debug', updateMode: 'auto' },
    });
    expect(eff.values).toMatchObject({ centerUrl: 'https://policy.example', updateMode: 'none', logLevel: 'debug', tenant: null });
    expect(eff.source).toMatchObject({ centerUrl: 'policy', updateMode: 'policy', logLevel: 'user', tenant: 'default' });
    expect(eff.locked.sort()).toEqual(['centerUrl', 'updateMode']);
  });
});

describe('loadSettings on real files', () => {
  const isRoot = process.getuid?.() === 0;
  it.skipIf(!isRoot)('combines a root-owned policy file with the user file and refuses locked keys', async () => {
    const policyFile = path.join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ centerUrl: 'https://center.corp.example', updateMode: 'none' }));
    chownSync(policyFile, 0, 0);
    chmodSync(policyFile, 0o644);
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, centerUrl: 'http://127.0.0.1:9', logLevel: 'warn' }));
    const settings = await loadSettings({ userDataDir: dir, platform: 'linux', policy: { linuxFile: policyFile } });
    expect(settings.current().values).toMatchObject({ centerUrl: 'https://center.corp.example', updateMode: 'none', logLevel: 'warn' });
    expect(() => settings.update({ updateMode: 'auto' })).toThrow(SettingLockedError);
    expect(() => settings.update({ updateMode: 'auto' })).toThrow(/set by your IT department/);
    settings.update({ logLevel: 'debug', windowBounds: { x: 5, y: 6, width: 1000, height: 700, maximized: false } });
    expect(settings.current().values.logLevel).toBe('debug');
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    expect(onDisk).toMatchObject({ schemaVersion: 1, logLevel: 'debug', windowBounds: { width: 1000 }, centerUrl: 'http://127.0.0.1:9' });
    expect(onDisk.updateMode).toBeUndefined();
  });

  it.skipIf(!isRoot)('ignores a policy file another user owns, and says so', async () => {
    const policyFile = path.join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ centerUrl: 'https://evil.example' }));
    chownSync(policyFile, 1000, 1000);
    const settings = await loadSettings({ userDataDir: dir, platform: 'linux', policy: { linuxFile: policyFile } });
    expect(settings.current().values.centerUrl).toBe(DEFAULT_SETTINGS.centerUrl);
    expect(settings.current().locked).toEqual([]);
    expect(settings.current().problems.join()).toMatch(/not owned by root/);
  });
});

describe('user settings file', () => {
  it('starts from defaults when missing, and when damaged keeps going with a readable problem', () => {
    const file = path.join(dir, 'settings.json');
    expect(openUserSettings(file).read()).toEqual({ values: {}, problems: [] });
    const damaged = '{"centerUrl": "http://x", trunc';
    writeFileSync(file, damaged);
    const store = openUserSettings(file);
    const read = store.read();
    expect(read.values).toEqual({});
    expect(read.problems[0]).toMatch(/could not be read/);
    // The damaged file stays for IT to look at until the agent changes a setting, which replaces it.
    expect(readFileSync(file, 'utf8')).toBe(damaged);
    store.update({ tenant: 'acme' });
    expect(store.read()).toEqual({ values: { tenant: 'acme' }, problems: [] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ schemaVersion: 1, tenant: 'acme' });
  });

  it('saves by renaming a finished file over the old one, readable by the agent only', () => {
    const file = path.join(dir, 'settings.json');
    const store = openUserSettings(file);
    store.update({ tenant: 'acme' });
    const before = statSync(file).ino;
    store.update({ tenant: 'globex' });
    // A new inode: the old file was replaced whole, never rewritten in place, so a crash mid-write
    // leaves the previous settings intact. No temporary file is left behind.
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.read().values).toEqual({ tenant: 'globex' });
  });

  it('drops one bad value without losing the others', () => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, logLevel: 'loud', tenant: 'acme' }));
    const read = openUserSettings(file).read();
    expect(read.values).toEqual({ tenant: 'acme' });
    expect(read.problems[0]).toContain("'logLevel'");
  });

  it('refuses to save an invalid value and leaves the file as it was', () => {
    const file = path.join(dir, 'settings.json');
    const store = openUserSettings(file);
    store.update({ tenant: 'acme' });
    const before = readFileSync(file, 'utf8');
    expect(() => store.update({ centerUrl: 'javascript:alert(1)' })).toThrow(/centerUrl/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('runs numbered migrations in order from the stored version, and keeps keys a newer version wrote', () => {
    // Version 2 upgrades the URL that version 1 moved: run out of order, it would find none.
    const https = (url: unknown) => (typeof url === 'string' ? url.replace(/^http:/, 'https:') : url);
    const migrations: SettingsMigration[] = [
      { to: 2, migrate: ({ verbose, ...r }) => ({ ...r, logLevel: verbose ? 'debug' : 'info', centerUrl: https(r.centerUrl) }) },
      { to: 1, migrate: ({ server, ...r }) => ({ ...r, centerUrl: server }) },
    ];
    const file = path.join(dir, 'settings.json');
    const onDisk = () => JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ server: 'http://a.example', verbose: true }));
    expect(openUserSettings(file, migrations).read()).toEqual({ values: { centerUrl: 'https://a.example', logLevel: 'debug' }, problems: [] });
    expect(onDisk()).toEqual({ centerUrl: 'https://a.example', logLevel: 'debug', schemaVersion: 2 });
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, centerUrl: 'http://b.example', verbose: false }));
    expect(openUserSettings(file, migrations).read().values).toEqual({ centerUrl: 'https://b.example', logLevel: 'info' });
    expect(onDisk()).toEqual({ centerUrl: 'https://b.example', logLevel: 'info', schemaVersion: 2 });
    writeFileSync(file, JSON.stringify({ schemaVersion: 9, futureKey: [1, 2], tenant: 't' }));
    openUserSettings(file, migrations).update({ logLevel: 'warn' });
    expect(onDisk()).toEqual({ schemaVersion: 9, futureKey: [1, 2], tenant: 't', logLevel: 'warn' });
  });

  it('creates no file on reading, and writes a new one in the latest form, running no migration over it', () => {
    const migrations: SettingsMigration[] = [{ to: 1, migrate: (r) => ({ ...r, logLevel: 'debug' }) }];
    const file = path.join(dir, 'settings.json');
    const store = openUserSettings(file, migrations);
    expect(store.read()).toEqual({ values: {}, problems: [] });
    expect(readdirSync(dir)).toEqual([]);
    store.update({ tenant: 'acme' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ schemaVersion: 1, tenant: 'acme' });
  });
});
