// Finds the Electron binary that the `electron` npm package installs. On build machines that
// install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 there is none: say so plainly. We read the package's
// own path.txt rather than require('electron'), which would try to download the binary.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ path: string } | { missing: string }} */
export function findElectron() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary) ? { path: binary } : { missing: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${binary}` };
  }
  if (!relative) return { missing: 'the Electron binary was not downloaded at install (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or no network)' };
  const binary = path.join(packageDir, 'dist', relative);
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary is missing from ${binary}` };
}
