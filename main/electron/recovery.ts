// What the shell does when the renderer dies or hangs: reload it (notes are safe, every keystroke
// batch is already in SQLite), unless it keeps dying, when a reload loop would only hide the fault.
export type RecoveryAction = 'reload' | 'give_up';

export interface CrashPolicy {
  /** Record a crash (or a hang past its grace period) at `now`; says what to do. */
  crashed(now: number): RecoveryAction;
}

export function createCrashPolicy(opts: { maxCrashes?: number; windowMs?: number } = {}): CrashPolicy {
  const max = opts.maxCrashes ?? 3;
  const windowMs = opts.windowMs ?? 60_000;
  let recent: number[] = [];
  return {
    crashed(now) {
      recent = [...recent.filter((t) => now - t < windowMs), now];
      return recent.length > max ? 'give_up' : 'reload';
    },
  };
}

/** A crash Electron reports for a reason that is not a fault (the app quitting) is not recovered. */
export const needsRecovery = (reason: string): boolean => reason !== 'clean-exit';

/** Shown when recovery gives up: what happened and what to do. */
export const GAVE_UP_MESSAGE =
  'The Earshot window keeps closing unexpectedly. Your notes are saved on this computer and will sync. ' +
  'Quit and reopen Earshot; if this happens again, use Help > Export diagnostics and send the file to IT.';
