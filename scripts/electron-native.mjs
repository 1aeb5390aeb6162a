// Builds better-sqlite3 for Electron's ABI into node_modules/.cache/earshot-electron-native/
// electron-<version>-<platform>-<arch>/better_sqlite3.node, where the Electron development run loads
// it with better-sqlite3's `nativeBinding` option (main/electron/native-binding.ts). node_modules'
// own build stays the Node one, so `npm test` and web mode never break. Needs the Electron headers
// (downloaded by @electron/rebuild, or already in ~/.electron-gyp); where they cannot be had it says
// so plainly and changes nothing. Usage: node scripts/electron-native.mjs [--force]
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './paths.mjs';

export const ELECTRON_NATIVE_CACHE = path.join('node_modules', '.cache', 'earshot-electron-native');

/** Same rule as main/electron/native-binding.ts (a test holds the two to each other). */
export function electronNativeDir(projectRoot, electronVersion, platform, arch) {
  return path.join(projectRoot, ELECTRON_NATIVE_CACHE, `electron-${electronVersion}-${platform}-${arch}`);
}

export function installedElectronVersion(projectRoot = root) {
  try {
    return JSON.parse(readFileSync(path.join(projectRoot, 'node_modules/electron/package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * @returns {Promise<{ ok: true, file: string, built: boolean } | { ok: false, message: string }>}
 */
export async function buildElectronNative({ force = false, projectRoot = root, platform = process.platform, arch = process.arch, log = console.log } = {}) {
  const electronVersion = installedElectronVersion(projectRoot);
  if (!electronVersion) return { ok: false, message: 'the electron package is not installed (npm ci installs it).' };
  const outDir = electronNativeDir(projectRoot, electronVersion, platform, arch);
  const outFile = path.join(outDir, 'better_sqlite3.node');
  if (existsSync(outFile) && !force) return { ok: true, file: outFile, built: false };

  // Rebuild a COPY of the package, never node_modules/better-sqlite3 itself.
  const work = path.join(projectRoot, ELECTRON_NATIVE_CACHE, 'work');
  rmSync(work, { recursive: true, force: true });
  const moduleCopy = path.join(work, 'node_modules', 'better-sqlite3');
  cpSync(path.join(projectRoot, 'node_modules', 'better-sqlite3'), moduleCopy, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`),
  });
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'earshot-electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
  log(`Building better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}) in ${path.relative(projectRoot, work)}…`);
  try {
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({ buildPath: work, projectRootPath: work, electronVersion, arch, platform, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return {
      ok: false,
      message:
        `could not build better-sqlite3 for Electron ${electronVersion}: ${reason}. ` +
        'It needs the Electron headers (downloaded from electronjs.org, or in ~/.electron-gyp) and a C++ toolchain. ' +
        'Nothing was changed: npm test and web mode use the Node build as before.',
    };
  }
  const built = path.join(moduleCopy, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) {
    rmSync(work, { recursive: true, force: true });
    return { ok: false, message: `the Electron rebuild finished but left no ${path.relative(projectRoot, built)}.` };
  }
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, outFile);
  rmSync(work, { recursive: true, force: true });
  return { ok: true, file: outFile, built: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildElectronNative({ force: process.argv.includes('--force') });
  if (result.ok) {
    console.log(result.built ? `Built ${path.relative(root, result.file)}` : `Already built: ${path.relative(root, result.file)} (--force rebuilds it)`);
  } else {
    console.error(`Cannot build the Electron copy of better-sqlite3 here: ${result.message}`);
    process.exit(2);
  }
}
