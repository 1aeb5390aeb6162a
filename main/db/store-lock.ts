// One desktop per local store: the data directory of `<dataDir>/earshot.db` is locked for the
// desktop's life (a postmaster.pid-style file, @earshot/dir-lock), so a second Earshot on the same
// profile (Electron and web mode alike) refuses, naming the first, instead of writing beside it.
import { acquireDirLock, type DirLock } from '@earshot/dir-lock';

export type { DirLock as StoreLock } from '@earshot/dir-lock';
export const DESKTOP_LOCK_APP = 'earshot-desktop';

/** Takes the store's lock, or throws saying which Earshot holds it and what to do. */
export function lockLocalStore(dataDir: string): DirLock {
  return acquireDirLock(dataDir, {
    app: DESKTOP_LOCK_APP,
    explain: (heldBy) => `This Earshot desktop's data (${dataDir}) is in use by ${heldBy}. Use that Earshot, or close it first.`,
  });
}
