// Where Earshot keeps its data on this machine, and whether the build is current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

/** The per-user data directory (EARSHOT_DATA_DIR overrides it). */
export function userDataDir() {
  if (process.env.EARSHOT_DATA_DIR) return path.resolve(process.env.EARSHOT_DATA_DIR);
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData/Roaming'), 'Earshot');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library/Application Support/Earshot');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local/share'), 'earshot');
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than any source it is built from. */
export function buildIsStale() {
  const stamp = path.join(root, 'dist/.build-stamp');
  if (!existsSync(stamp) || !existsSync(path.join(root, 'server/dist/cli-entry.js'))) return true;
  const built = statSync(stamp).mtimeMs;
  return ['main', 'renderer', 'shared', 'server/src'].some((d) => newestMtime(path.join(root, d)) > built);
}
