import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, capMs: 30_000 };

  it('doubles per attempt until the cap', () => {
    const top = (a: number) => backoffDelay(a, policy, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6].map(top)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('never exceeds 30 s however many attempts failed', () => {
    expect(backoffDelay(1_000_000, policy, () => 1)).toBe(30_000);
  });

  it('jitters into the upper half of the window', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(4000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(6000);
  });
});
