// Types of index.js (the lock is plain JavaScript so that scripts/start.mjs can use it unbuilt).

/** What a lock file says about the process holding the directory. */
export interface LockHolder {
  app: string;
  pid: number;
  hostname: string;
  /** Linux: the boot the process runs in; null elsewhere. */
  bootId?: string | null;
  /** Linux: the process's start time in clock ticks since boot; null elsewhere. */
  processStart?: string | null;
  startedAt: string;
  token?: string;
  /** What the holder chose to say, e.g. `{ url }` once it listens. */
  info?: Record<string, unknown>;
  /** Set on a holder whose lock file this user cannot read (another user's). */
  unreadable?: boolean;
}

export declare const LOCK_FILE: string;

export declare class DirLockHeldError extends Error {
  readonly code: 'EARSHOT_DIR_LOCKED';
  readonly file: string;
  readonly holder: LockHolder;
  /** Why the holder counts as alive when that is not plain (say, it runs on another computer). */
  readonly detail: string | null;
  constructor(file: string, holder: LockHolder, detail?: string | null, explain?: (heldBy: string) => string);
}

export interface DirLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Adds to what the lock says; false if the lock is no longer ours. */
  update(info: Record<string, unknown>): boolean;
  /** Removes the lock if it is still ours; `at`: the directory's new place, if it was moved. */
  release(at?: string): void;
}

export type LockState =
  | { state: 'free'; file: string }
  | { state: 'held' | 'stale'; file: string; holder: LockHolder | null; why: string | null };

export declare function acquireDirLock(
  dir: string,
  opts: {
    app: string;
    info?: Record<string, unknown>;
    fileName?: string;
    /** Words the refusal, given who holds the lock ("process 42 (earshot-center) on this computer since …"). */
    explain?: (heldBy: string) => string;
  },
): DirLock;
export declare function inspectDirLock(dir: string, opts?: { fileName?: string }): LockState;
export declare function describeHolder(holder: LockHolder): string;
