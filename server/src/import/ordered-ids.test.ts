import { describe, expect, it } from 'vitest';
import { orderedIds } from './ordered-ids';

describe('ordered import ids', () => {
  it('are version-7 UUIDs that sort in the order they were made, within a millisecond and across', () => {
    let now = Date.UTC(2026, 11, 7);
    const ids = orderedIds(() => now);
    const made: string[] = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 300 === 0) now += 1;
      made.push(ids.next());
    }
    for (const id of made) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    // The first 48 bits are the time in milliseconds.
    expect(parseInt(made[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 7) + 1);
  });

  it('stays ordered when the clock steps back', () => {
    let now = 2_000_000;
    const ids = orderedIds(() => now);
    const a = ids.next();
    now -= 500;
    const b = ids.next();
    expect(b > a).toBe(true);
  });

  it('differ between two generators of the same millisecond', () => {
    const a = orderedIds(() => 5).next();
    const b = orderedIds(() => 5).next();
    expect(a).not.toBe(b);
  });
});
