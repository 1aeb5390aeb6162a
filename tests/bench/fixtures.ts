// Synthetic cached customers for the desktop benches: the same shape everywhere, ids and numbers
// chosen by the bench.
import type { Customer } from '../../shared/domain/entities';

export function benchCustomer(n: number, id: string, phone: string): Customer {
  return {
    id,
    displayName: `Customer ${n}`,
    language: n % 2 ? 'ko' : 'en',
    segment: null,
    identities: [
      { kind: 'phone', value: phone },
      { kind: 'email', value: `c${n}@example.com` },
    ],
    consent: { phone: true, email: true, sms: false },
    value: { recency: 3, frequency: 2, monetary: 4, lifetimeValue: 1200, tier: 'regular' },
    flags: [],
    provisional: false,
    updatedAt: '2026-11-01T00:00:00.000Z',
    since: '2024-05-01T00:00:00.000Z',
  };
}
