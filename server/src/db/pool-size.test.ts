// How many PostgreSQL connections a center node opens: EARSHOT_DB_POOL_SIZE, checked at start.
import { describe, expect, it } from 'vitest';
import { dbPoolSize } from './pg';

describe('database pool size', () => {
  it('is 20 unless EARSHOT_DB_POOL_SIZE says otherwise', () => {
    expect(dbPoolSize({})).toBe(20);
    expect(dbPoolSize({ EARSHOT_DB_POOL_SIZE: '' })).toBe(20);
    expect(dbPoolSize({ EARSHOT_DB_POOL_SIZE: '40' })).toBe(40);
    expect(dbPoolSize({ EARSHOT_DB_POOL_SIZE: '1' })).toBe(1);
  });

  it('refuses a value that is not a sensible number of connections, naming the variable', () => {
    for (const bad of ['0', '-3', '2.5', 'ten', '5000']) {
      expect(() => dbPoolSize({ EARSHOT_DB_POOL_SIZE: bad })).toThrow(/EARSHOT_DB_POOL_SIZE must be a whole number from 1 to 1000/);
    }
  });
});
