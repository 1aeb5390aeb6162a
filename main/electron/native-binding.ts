// Which better-sqlite3 addon the Electron shell loads. node_modules holds the Node build (npm test,
// web mode); Electron needs one built for its own ABI, kept apart so neither breaks the other:
// - packaged app: the copy rebuilt inside app.asar.unpacked by assets/build/after-pack.mjs, which
//   better-sqlite3 finds by itself;
// - development run (npm start with Electron): the build `scripts/electron-native.mjs` writes to
//   node_modules/.cache/earshot-electron-native/<electron-version>-<platform>-<arch>/.
// Pure (no electron import), so the choice is tested without an Electron binary.
import path from 'node:path';

export const ELECTRON_NATIVE_CACHE = path.join('node_modules', '.cache', 'earshot-electron-native');

/** The directory the Electron build of better-sqlite3 lives in, for one Electron version and target. */
export function electronNativeDir(projectRoot: string, electronVersion: string, platform: string, arch: string): string {
  return path.join(projectRoot, ELECTRON_NATIVE_CACHE, `electron-${electronVersion}-${platform}-${arch}`);
}

export type SqliteBindingChoice =
  | { kind: 'packaged' } // better-sqlite3's own lookup finds the rebuilt copy in app.asar.unpacked
  | { kind: 'electron-build'; file: string }
  | { kind: 'missing'; message: string };

export function chooseSqliteBinding(opts: {
  packaged: boolean;
  projectRoot: string;
  electronVersion: string;
  platform: string;
  arch: string;
  exists(file: string): boolean;
}): SqliteBindingChoice {
  if (opts.packaged) return { kind: 'packaged' };
  const file = path.join(electronNativeDir(opts.projectRoot, opts.electronVersion, opts.platform, opts.arch), 'better_sqlite3.node');
  if (opts.exists(file)) return { kind: 'electron-build', file };
  return {
    kind: 'missing',
    message:
      `better-sqlite3 has no build for Electron ${opts.electronVersion} (${opts.platform}-${opts.arch}) yet. ` +
      'Run `node scripts/electron-native.mjs` (npm start does it for you), or use web mode: `npm start -- --web`.',
  };
}
