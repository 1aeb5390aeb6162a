import { describe, expect, it } from 'vitest';
import { Uuid } from '../../shared/domain/entities';
import { uuidv7, uuidv7Time } from './uuid';

describe('uuidv7', () => {
  it('is a valid version-7 UUID carrying its timestamp', () => {
    const at = Date.UTC(2026, 10, 25, 1, 2, 3, 456);
    const id = uuidv7(at);
    expect(Uuid.safeParse(id).success).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Time(id)).toBe(at);
  });

  it('sorts in creation order even within one millisecond', () => {
    const at = Date.UTC(2030, 0, 1);
    const ids = Array.from({ length: 5000 }, () => uuidv7(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never goes backwards when the clock does', () => {
    const a = uuidv7(Date.UTC(2031, 0, 1));
    const b = uuidv7(Date.UTC(2020, 0, 1));
    expect(b > a).toBe(true);
  });
});
