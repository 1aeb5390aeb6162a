import { describe, expect, it } from 'vitest';
import { createCrashPolicy, needsRecovery } from './recovery';

describe('renderer crash recovery', () => {
  it('reloads after a crash, and gives up when the window keeps crashing within a minute', () => {
    const policy = createCrashPolicy({ maxCrashes: 3, windowMs: 60_000 });
    expect([0, 1_000, 2_000].map((t) => policy.crashed(t))).toEqual(['reload', 'reload', 'reload']);
    expect(policy.crashed(3_000)).toBe('give_up');
  });

  it('forgets crashes older than its window', () => {
    const policy = createCrashPolicy({ maxCrashes: 1, windowMs: 60_000 });
    expect(policy.crashed(0)).toBe('reload');
    expect(policy.crashed(61_000)).toBe('reload');
    expect(policy.crashed(62_000)).toBe('give_up');
  });

  it('does not treat a clean exit as a crash', () => {
    expect(needsRecovery('clean-exit')).toBe(false);
    expect(needsRecovery('crashed')).toBe(true);
    expect(needsRecovery('oom')).toBe(true);
  });
});
