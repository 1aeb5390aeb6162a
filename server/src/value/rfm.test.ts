import { describe, expect, it } from 'vitest';
import { CustomerValue } from '../../../shared/domain/index';
import { computeCustomerValues, quintileScores, type Purchase } from './rfm';

const now = new Date('2026-01-01T00:00:00.000Z');
const buy = (customerId: string, day: string, amount: number): Purchase => ({ customerId, at: `${day}T12:00:00.000Z`, amount });

describe('quintileScores', () => {
  it('gives five distinct values 1..5, ties a shared score, one value alone 3', () => {
    expect(quintileScores([50, 10, 40, 20, 30])).toEqual([5, 1, 4, 2, 3]);
    expect(quintileScores([7, 7, 7])).toEqual([3, 3, 3]);
    expect(quintileScores([42])).toEqual([3]);
    expect(quintileScores([1, 2])).toEqual([2, 4]);
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScores([])).toEqual([]);
  });
});

describe('computeCustomerValues', () => {
  it('scores a small tenant as worked out by hand', () => {
    const values = computeCustomerValues(
      [
        buy('A', '2025-12-20', 100), buy('A', '2025-11-01', 200), buy('A', '2025-06-01', 300), buy('A', '2025-01-01', 400),
        buy('B', '2025-12-30', 50),
        buy('C', '2024-03-01', 500), buy('C', '2024-02-01', 500), buy('C', '2024-01-01', 500),
        buy('D', '2025-07-01', 100), buy('D', '2025-03-01', 100),
        buy('E', '2025-10-01', 10),
      ],
      now,
    );
    // recency by last purchase: C < D < E < A < B; frequency: B = E (1) < D < C < A; monetary: E < B < D < A < C.
    expect(Object.fromEntries(values)).toEqual({
      A: { recency: 4, frequency: 5, monetary: 4, lifetimeValue: 1000, tier: 'loyal' },
      B: { recency: 5, frequency: 2, monetary: 2, lifetimeValue: 50, tier: 'new' },
      C: { recency: 1, frequency: 4, monetary: 5, lifetimeValue: 1500, tier: 'at_risk' },
      D: { recency: 2, frequency: 3, monetary: 3, lifetimeValue: 200, tier: 'at_risk' },
      E: { recency: 3, frequency: 2, monetary: 1, lifetimeValue: 10, tier: 'regular' },
    });
    for (const v of values.values()) CustomerValue.parse(v);
  });

  it('makes a frequent, recent top spender vip', () => {
    const values = computeCustomerValues(
      [
        ...['2025-01-10', '2025-04-10', '2025-08-10', '2025-11-10', '2025-12-28'].map((d) => buy('top', d, 900)),
        buy('p', '2025-05-01', 20), buy('q', '2025-06-01', 30), buy('r', '2025-07-01', 40), buy('s', '2025-08-01', 50),
      ],
      now,
    );
    expect(values.get('top')).toEqual({ recency: 5, frequency: 5, monetary: 5, lifetimeValue: 4500, tier: 'vip' });
  });

  it('spreads two customers to 2 and 4 rather than the extremes, and ties share a score', () => {
    const values = computeCustomerValues(
      [buy('old', '2024-06-01', 100), buy('old', '2024-07-01', 100), buy('recent', '2025-09-01', 200), buy('recent', '2025-09-02', 0)],
      now,
    );
    expect(values.get('old')).toMatchObject({ recency: 2, frequency: 3, monetary: 3, lifetimeValue: 200 });
    expect(values.get('recent')).toMatchObject({ recency: 4, frequency: 3, monetary: 3, lifetimeValue: 200 });
    expect(values.get('old')?.tier).toBe('at_risk');
    expect(values.get('recent')?.tier).toBe('regular');
  });

  it('scores one customer alone in the middle, and new or regular by first purchase', () => {
    expect(computeCustomerValues([buy('solo', '2025-12-01', 70)], now).get('solo')).toEqual({
      recency: 3, frequency: 3, monetary: 3, lifetimeValue: 70, tier: 'new',
    });
    expect(computeCustomerValues([buy('solo', '2025-01-01', 70)], now).get('solo')?.tier).toBe('regular');
  });

  it('leaves customers without purchases out, ignores unreadable rows and never reports negative value', () => {
    const values = computeCustomerValues(
      [buy('x', '2025-05-01', 100), buy('x', '2025-05-02', -250), { customerId: 'y', at: 'not a date', amount: 5 }],
      now,
    );
    expect([...values.keys()]).toEqual(['x']);
    expect(values.get('x')?.lifetimeValue).toBe(0);
    expect(values.get('x')?.frequency).toBe(3);
    expect(computeCustomerValues([], now).size).toBe(0);
  });
});
