// electron-builder.yml checked against electron-builder's OWN configuration schema (the scheme.json
// app-builder-lib ships), plus the choices we rely on: fuses, no in-place native rebuild, the
// earshot:// protocol, MSI upgrade code, the generic update feed.
import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder (it reads this file with it); it ships no types.
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  files: string[];
  afterPack: string;
  protocols: Array<{ schemes: string[] }>;
  msi: { upgradeCode: string; perMachine: boolean };
  nsis: { perMachine: boolean };
  publish: Array<{ provider: string; url: string }>;
  win: { signtoolOptions?: { signingHashAlgorithms?: string[]; publisherName?: unknown }; verifyUpdateCodeSignature?: boolean };
  mac: { hardenedRuntime?: boolean; notarize?: boolean };
  extraResources: Array<{ from: string; to: string; filter: string[] }>;
};

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    // The schema uses a non-standard `typeof` keyword for hook functions; declare it so strict mode accepts it.
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword({ keyword: 'typeof', validate: (expected: string, data: unknown) => typeof data === expected });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: a misspelt key is refused', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword({ keyword: 'typeof', validate: (expected: string, data: unknown) => typeof data === expected });
    expect(ajv.compile(schema)({ ...config, electronFuse: {} })).toBe(false);
    expect(ajv.compile(schema)({ ...config, msi: { ...config.msi, perMachine: 'yes' } })).toBe(false);
  });

  it('locks the packaged app down with Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('never rebuilds native modules in the project, and its hook exists', () => {
    expect(config.npmRebuild).toBe(false);
    expect(existsSync(path.join(root, config.afterPack))).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
  });

  it('registers earshot:// links, installs per machine, and keeps one MSI upgrade code', () => {
    expect(config.protocols.flatMap((p) => p.schemes)).toContain('earshot');
    expect(config.nsis.perMachine).toBe(true);
    expect(config.msi.perMachine).toBe(true);
    expect(config.msi.upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(config.publish).toEqual([{ provider: 'generic', url: expect.stringMatching(/^https:\/\//) }]);
  });

  it('makes every update prove its publisher: signed builds, no publisher or certificate in the file, an https feed', () => {
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.win.signtoolOptions?.signingHashAlgorithms).toEqual(['sha256']);
    // The publisher name and the certificate come from the build machine (scripts/signing.mjs), never this file.
    expect(config.win.signtoolOptions?.publisherName).toBeUndefined();
    expect(JSON.stringify(config)).not.toMatch(/certificatePassword|certificateFile|CSC_/);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(config.publish.every((p) => p.url.startsWith('https://'))).toBe(true);
    expect(config.extraResources).toEqual([{ from: 'assets/installer', to: '.', filter: ['installer-settings.json'] }]);
    expect(existsSync(path.join(root, 'assets/installer'))).toBe(true);
  });

  it('ships what the app loads at run time, and the icon it names', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/main/**', 'dist/renderer/**', 'assets/tray/**', 'package.json']));
    for (const icon of ['available', 'ringing', 'offline']) expect(existsSync(path.join(root, 'assets/tray', `${icon}.png`))).toBe(true);
    expect(existsSync(path.join(root, 'assets/icon.png'))).toBe(true);
  });
});
