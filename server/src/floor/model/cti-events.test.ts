// What every CTI source normalises to: its text is cleaned by the text policy, never refused, so a
// call the switch placed is not dropped for an invisible character (and one journalled reads back).
import { describe, expect, it } from 'vitest';
import { CtiEvent } from './cti-events';

describe('CtiEvent', () => {
  it('keeps a call whose names carry control characters, without them', () => {
    const event = CtiEvent.parse({
      type: 'call_ringing',
      interactionId: '01937a2b-0000-7000-8000-000000000001',
      ani: '+821012345678',
      dnis: '1588\u00000000',
      queue: 'sup\u0007port',
      agent: 'agent\ud83d1',
      at: '2026-11-25T01:00:00.000Z',
    });
    expect(event).toMatchObject({ dnis: '15880000', queue: 'support', agent: 'agent\ufffd1' });
  });

  it('still refuses what is not a call event at all', () => {
    expect(CtiEvent.safeParse({ type: 'call_ringing', interactionId: 'x', at: 'now' }).success).toBe(false);
  });
});
