// Customer value at the center: RFM scores by quintile within the tenant, lifetime value and the tier
// the screen pop shows (DOMAIN.md "Value"). Pure: the caller passes one tenant's purchases.
import type { CustomerValue, Tier } from '../../../shared/domain/index';

export interface Purchase {
  customerId: string;
  at: string;
  amount: number;
}

const DAY_MS = 86_400_000;
/** A customer whose first purchase is this recent is `new`, whatever their scores. */
export const NEW_CUSTOMER_DAYS = 90;

interface Totals {
  first: number;
  last: number;
  count: number;
  sum: number;
}

/**
 * One entry per customer with at least one purchase; customers without purchases get none (value null).
 *
 * - recency: time of the latest purchase (later is better); frequency: number of purchases;
 *   monetary: sum of amounts. Each is scored 1–5 by quintile among the customers in the input.
 * - Quintiles use the mid-rank, so ties always share a score and a small tenant is not pushed
 *   to the extremes: a customer's share is (customers strictly worse + half of those equal, self
 *   included) / customers, and the score is 1 + floor(5 × share). One customer alone, or all
 *   equal, score 3; five distinct customers score 1, 2, 3, 4, 5.
 * - lifetimeValue is the plain sum of the customer's purchase amounts (historic revenue, no
 *   margin, discounting or prediction: the figure an agent can explain to a caller), never
 *   below 0 even when refunds are recorded as negative amounts.
 * - tier, first rule that matches:
 *     vip      monetary 5, frequency ≥ 4 and recency ≥ 3 (top spender who still buys)
 *     new      first purchase within NEW_CUSTOMER_DAYS
 *     at_risk  recency ≤ 2 and (frequency ≥ 3 or monetary ≥ 3) (was worth something, has gone quiet)
 *     loyal    frequency ≥ 4 and recency ≥ 3
 *     regular  everyone else
 */
export function computeCustomerValues(purchases: Purchase[], now: Date): Map<string, CustomerValue> {
  const totals = new Map<string, Totals>();
  for (const p of purchases) {
    const at = Date.parse(p.at);
    if (!Number.isFinite(at) || !Number.isFinite(p.amount)) continue;
    const t = totals.get(p.customerId);
    if (t) {
      t.first = Math.min(t.first, at);
      t.last = Math.max(t.last, at);
      t.count += 1;
      t.sum += p.amount;
    } else {
      totals.set(p.customerId, { first: at, last: at, count: 1, sum: p.amount });
    }
  }

  const entries = [...totals.entries()];
  const recency = quintileScores(entries.map(([, t]) => t.last));
  const frequency = quintileScores(entries.map(([, t]) => t.count));
  const monetary = quintileScores(entries.map(([, t]) => t.sum));

  const values = new Map<string, CustomerValue>();
  entries.forEach(([customerId, t], i) => {
    const scores = { recency: recency[i] ?? 3, frequency: frequency[i] ?? 3, monetary: monetary[i] ?? 3 };
    const isNew = now.getTime() - t.first < NEW_CUSTOMER_DAYS * DAY_MS;
    values.set(customerId, { ...scores, lifetimeValue: Math.max(0, t.sum), tier: tierOf(scores, isNew) });
  });
  return values;
}

function tierOf(s: { recency: number; frequency: number; monetary: number }, isNew: boolean): Tier {
  if (s.monetary === 5 && s.frequency >= 4 && s.recency >= 3) return 'vip';
  if (isNew) return 'new';
  if (s.recency <= 2 && (s.frequency >= 3 || s.monetary >= 3)) return 'at_risk';
  if (s.frequency >= 4 && s.recency >= 3) return 'loyal';
  return 'regular';
}

/** Scores 1–5 by mid-rank quintile; higher input is better. Returned in input order. */
export function quintileScores(values: number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const firstIndex = new Map<number, number>();
  const count = new Map<number, number>();
  sorted.forEach((v, i) => {
    if (!firstIndex.has(v)) firstIndex.set(v, i);
    count.set(v, (count.get(v) ?? 0) + 1);
  });
  return values.map((v) => {
    // share = (below + equal / 2) / n, score = 1 + floor(5 × share), in whole numbers so that no
    // rounding can tip a customer over a boundary (and the database's recompute gives the same).
    const twiceRank = 2 * (firstIndex.get(v) ?? 0) + (count.get(v) ?? 1);
    return Math.min(5, 1 + Math.floor((5 * twiceRank) / (2 * n)));
  });
}
