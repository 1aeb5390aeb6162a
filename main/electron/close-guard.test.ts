import { describe, expect, it } from 'vitest';
import { createCloseGuard } from './close-guard';

const event = () => {
  let prevented = 0;
  return { preventDefault: () => void (prevented += 1), prevented: () => prevented };
};

describe('close guard (flush on close)', () => {
  it('holds the first close until the flush is over, then lets closes through', async () => {
    let finish!: () => void;
    const flushes: number[] = [];
    const guard = createCloseGuard(() => {
      flushes.push(Date.now());
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const proceeded: string[] = [];
    const first = event();
    expect(guard.intercept(first, () => proceeded.push('window.close'))).toBe(false);
    expect(first.prevented()).toBe(1);
    // Quit asked while the window is still flushing: held too, no second flush.
    const second = event();
    expect(guard.intercept(second, () => proceeded.push('app.quit'))).toBe(false);
    expect(second.prevented()).toBe(1);
    expect(flushes).toHaveLength(1);
    expect(proceeded).toEqual([]);

    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(proceeded).toEqual(['window.close']);
    // The close that follows (and the quit after it) now go through untouched.
    const third = event();
    expect(guard.intercept(third, () => proceeded.push('again'))).toBe(true);
    expect(third.prevented()).toBe(0);
  });

  it('a failed flush still lets Earshot close', async () => {
    const guard = createCloseGuard(() => Promise.reject(new Error('renderer gone')));
    const proceeded: string[] = [];
    expect(guard.intercept(event(), () => proceeded.push('quit'))).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(proceeded).toEqual(['quit']);
  });
});
