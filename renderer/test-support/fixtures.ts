// Contract-valid sample data for renderer tests: an agent, a caller with flags, value and a
// cross-channel history, and the call that pops them.
import type { SessionInfo } from '../../shared/api/index';
import { VocItem, type Customer, type HistoryItem, type ScreenPop } from '../../shared/domain/index';
import type { CallOffered } from '../../shared/protocol/index';

export const AGENT_USER: NonNullable<SessionInfo['user']> = {
  id: '0b9f6c1e-7d4a-4c1b-9f0e-2a6d8c3b5e71',
  tenant: 'demo',
  username: 'agent1',
  displayName: 'Kim Jiwoo',
  role: 'agent',
};

export const CUSTOMER_ID = '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b';
export const INTERACTION_ID = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';

export function makeCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: CUSTOMER_ID,
    displayName: 'Lee Minji',
    language: 'ko',
    segment: 'retail',
    identities: [
      { kind: 'phone', value: '+821012345678' },
      { kind: 'email', value: 'minji@example.com' },
    ],
    consent: { phone: true, email: true, sms: false },
    since: '2019-04-15T00:00:00.000Z',
    value: { recency: 5, frequency: 4, monetary: 5, lifetimeValue: 1250000, tier: 'vip' },
    flags: [
      { flag: 'vip', setBy: 'supervisor1', reason: 'Top-decile spend', setAt: '2026-10-01T09:00:00.000Z' },
      { flag: 'churn_risk', setBy: 'supervisor1', reason: 'Two complaints this month', setAt: '2026-11-02T09:00:00.000Z' },
    ],
    provisional: false,
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

let historySeq = 0;
export function makeHistoryItem(overrides: Partial<HistoryItem> = {}): HistoryItem {
  historySeq += 1;
  const n = historySeq.toString(16).padStart(12, '0');
  return {
    id: `7e57a000-0000-4000-8000-${n}`,
    customerId: CUSTOMER_ID,
    channel: 'call',
    direction: 'inbound',
    queue: 'billing',
    agent: 'agent2',
    startedAt: '2026-11-10T02:00:00.000Z',
    answeredAt: '2026-11-10T02:00:10.000Z',
    endedAt: '2026-11-10T02:06:00.000Z',
    ani: '+821012345678',
    dnis: '+8215880000',
    disposition: 'resolved',
    subject: null,
    notes: [],
    vocItems: [],
    ...overrides,
  };
}

export function makePop(overrides: Partial<ScreenPop> = {}): ScreenPop {
  return {
    customer: makeCustomer(),
    openVocItems: [
      VocItem.parse({
        id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
        customerId: CUSTOMER_ID,
        interactionId: null,
        type: 'complaint',
        topic: 'Late delivery',
        description: 'Parcel arrived a week late',
        status: 'in_progress',
        createdBy: 'agent2',
        createdAt: '2026-11-10T02:05:00.000Z',
      }),
    ],
    history: [
      makeHistoryItem({
        channel: 'call',
        startedAt: '2026-11-10T02:00:00.000Z',
        notes: [
          {
            id: 'aa11bb22-cc33-4d44-8e55-ff6677889900',
            customerId: CUSTOMER_ID,
            interactionId: null,
            author: 'agent2',
            text: 'Customer asked about the delivery date and was unhappy about the courier being rude on the phone.',
            revision: 2,
            createdAt: '2026-11-10T02:01:00.000Z',
            updatedAt: '2026-11-10T02:05:00.000Z',
          },
        ],
      }),
      makeHistoryItem({ channel: 'email', agent: 'agent3', startedAt: '2026-11-05T01:00:00.000Z', disposition: null, subject: 'Invoice copy' }),
      makeHistoryItem({ channel: 'chat', agent: null, startedAt: '2026-10-01T01:00:00.000Z', disposition: 'info_given' }),
    ],
    source: 'local',
    ...overrides,
  };
}

export function makeCall(overrides: Partial<CallOffered> = {}): CallOffered {
  return {
    interactionId: INTERACTION_ID,
    ani: '+821012345678',
    dnis: '+8215880000',
    queue: 'billing',
    agent: 'agent1',
    offeredAt: '2026-11-25T01:00:00.000Z',
    ...overrides,
  };
}
