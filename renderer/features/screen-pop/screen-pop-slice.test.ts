// The pop in front of the agent only ever moves forward: an answer for another call, or an older
// reading of the same customer (its `asOf`), never replaces what is shown.
import { describe, expect, it } from 'vitest';
import type { ScreenPop } from '../../../shared/domain/index';
import type { CallOffered } from '../../../shared/protocol/index';
import { currentCallLoaded, desktopEvent } from '../../app/actions';
import { screenPopReducer, type ScreenPopState } from './screen-pop-slice';

const call = (n: number): CallOffered => ({
  interactionId: `00000000-0000-4000-a000-00000000000${n}`,
  ani: '+821012345678',
  dnis: '1588-0000',
  queue: 'general',
  agent: 'agent1',
  offeredAt: `2026-11-25T01:00:0${n}.000Z`,
});
const pop = (customer: string, displayName: string, asOf?: string): ScreenPop => ({
  customer: {
    id: `00000000-0000-4000-b000-00000000000${customer}`,
    displayName,
    language: 'ko',
    segment: null,
    identities: [],
    consent: { phone: true, email: true, sms: false },
    value: { recency: 5, frequency: 4, monetary: 3, lifetimeValue: 1_200_000, tier: 'vip' },
    flags: [],
    provisional: false,
    updatedAt: '2026-11-25T00:00:00.000Z',
    since: null,
  },
  openVocItems: [],
  history: [],
  source: asOf === undefined ? 'local' : 'center',
  ...(asOf !== undefined && { asOf }),
});

const offered = (c: CallOffered, p: ScreenPop | null): ScreenPopState => screenPopReducer(undefined, desktopEvent.callOffered({ call: c, pop: p }));

describe('screen pop slice', () => {
  it('drops an update for a call that is no longer on the line', () => {
    const s = screenPopReducer(offered(call(1), null), desktopEvent.callOffered({ call: call(2), pop: pop('2', 'B') }));
    const after = screenPopReducer(s, desktopEvent.screenPopUpdated({ interactionId: call(1).interactionId, pop: pop('1', 'A', '9') }));
    expect(after.pop?.customer.displayName).toBe('B');
  });

  it('takes a newer reading of the customer and refuses an older one', () => {
    let s = offered(call(1), pop('1', 'local'));
    s = screenPopReducer(s, desktopEvent.screenPopUpdated({ interactionId: call(1).interactionId, pop: pop('1', 'at 20', '20') }));
    expect(s.pop?.customer.displayName).toBe('at 20');
    s = screenPopReducer(s, desktopEvent.screenPopUpdated({ interactionId: call(1).interactionId, pop: pop('1', 'at 10', '10') }));
    expect(s.pop?.customer.displayName).toBe('at 20');
    s = screenPopReducer(s, currentCallLoaded({ call: call(1), pop: pop('1', 'at 15', '15') }));
    expect(s.pop?.customer.displayName).toBe('at 20');
    s = screenPopReducer(s, desktopEvent.screenPopUpdated({ interactionId: call(1).interactionId, pop: pop('1', 'at 30', '30') }));
    expect(s.pop?.customer.displayName).toBe('at 30');
    // The value the card shows travels whole: R/F/M, tier and lifetime value.
    expect(s.pop?.customer.value).toEqual({ recency: 5, frequency: 4, monetary: 3, lifetimeValue: 1_200_000, tier: 'vip' });
  });

  it('lets a linked customer (another customer id) replace the pop whatever its version', () => {
    let s = offered(call(1), pop('1', 'caller', '50'));
    s = screenPopReducer(s, desktopEvent.screenPopUpdated({ interactionId: call(1).interactionId, pop: pop('2', 'linked', '40') }));
    expect(s.pop?.customer.displayName).toBe('linked');
  });

  it('never lets a stale current-call answer replace a call offered since', () => {
    const s = offered(call(2), pop('2', 'B', '5'));
    expect(screenPopReducer(s, currentCallLoaded({ call: call(1), pop: pop('1', 'A', '9') })).call?.interactionId).toBe(call(2).interactionId);
  });
});
