// The Electron build of better-sqlite3 is kept apart from node_modules' Node build: which file the
// shell loads (pure choice), the build script's directory rule matching it, and the nativeBinding
// option actually reaching better-sqlite3 when the local store opens.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalDatabase, useSqliteBinding } from '../../main/db/connection';
import { chooseSqliteBinding, electronNativeDir } from '../../main/electron/native-binding';
// @ts-expect-error -- a plain .mjs build script without type declarations
import * as script from '../../scripts/electron-native.mjs';

const require = createRequire(import.meta.url);
const nodeBuild = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const buildScript = script as {
  electronNativeDir(root: string, v: string, platform: string, arch: string): string;
  buildElectronNative(o: object): Promise<{ ok: boolean; file?: string; built?: boolean; message?: string }>;
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-native-'));
});
afterEach(() => {
  useSqliteBinding(null);
  rmSync(dir, { recursive: true, force: true });
});

describe('which better-sqlite3 the Electron shell loads', () => {
  const base = { projectRoot: '/src/earshot', electronVersion: '45.4.1', platform: 'linux', arch: 'x64' };

  it('the packaged app: the copy rebuilt inside app.asar.unpacked, found by better-sqlite3 itself', () => {
    expect(chooseSqliteBinding({ ...base, packaged: true, exists: () => false })).toEqual({ kind: 'packaged' });
  });

  it('a development run: the Electron build in the cache, never node_modules/better-sqlite3/build', () => {
    const seen: string[] = [];
    const choice = chooseSqliteBinding({ ...base, packaged: false, exists: (f) => (seen.push(f), true) });
    expect(choice).toEqual({ kind: 'electron-build', file: '/src/earshot/node_modules/.cache/earshot-electron-native/electron-45.4.1-linux-x64/better_sqlite3.node' });
    expect(seen.every((f) => !f.includes(`better-sqlite3${path.sep}build`))).toBe(true);
  });

  it('says plainly what to run when that build is missing', () => {
    const choice = chooseSqliteBinding({ ...base, packaged: false, exists: () => false });
    expect(choice.kind).toBe('missing');
    expect(choice.kind === 'missing' && choice.message).toMatch(/Electron 45\.4\.1.*node scripts\/electron-native\.mjs.*npm start -- --web/);
  });

  it('the build script writes where the shell looks', () => {
    for (const [v, p, a] of [['45.4.1', 'linux', 'x64'], ['46.0.0', 'win32', 'arm64'], ['45.4.1', 'darwin', 'arm64']] as const) {
      expect(buildScript.electronNativeDir('/r', v, p, a)).toBe(electronNativeDir('/r', v, p, a));
    }
  });
});

describe('the build script', () => {
  it('refuses plainly without the electron package, and touches nothing', async () => {
    const result = await buildScript.buildElectronNative({ projectRoot: dir, log: () => {} });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/electron package is not installed/) });
  });

  it('keeps an existing Electron build unless forced', async () => {
    mkdirSync(path.join(dir, 'node_modules', 'electron'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'electron', 'package.json'), JSON.stringify({ version: '45.4.1' }));
    const out = electronNativeDir(dir, '45.4.1', 'linux', 'x64');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'better_sqlite3.node'), 'built earlier');
    const result = await buildScript.buildElectronNative({ projectRoot: dir, platform: 'linux', arch: 'x64', log: () => {} });
    expect(result).toEqual({ ok: true, file: path.join(out, 'better_sqlite3.node'), built: false });
  });
});

describe('nativeBinding reaches better-sqlite3', () => {
  it('opens the local store with the addon file it is given (here a copy of the Node build)', () => {
    const copy = path.join(dir, 'electron-build', 'better_sqlite3.node');
    mkdirSync(path.dirname(copy), { recursive: true });
    copyFileSync(nodeBuild, copy);
    useSqliteBinding(copy);
    const { db } = openLocalDatabase(path.join(dir, 'earshot.db'));
    expect((db.prepare('SELECT 1 AS one').get() as { one: number }).one).toBe(1);
    db.close();
  });

  it('fails to open with an addon file that is not there (so the option is really used)', () => {
    useSqliteBinding(path.join(dir, 'no-such-build', 'better_sqlite3.node'));
    expect(() => openLocalDatabase(path.join(dir, 'other.db'))).toThrow(/no-such-build|Cannot find module/);
  });
});
