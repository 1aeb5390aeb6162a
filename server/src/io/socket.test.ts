// The socket door: malformed, mistyped, unknown and oversized messages are refused and the center
// (and, except for oversized ones, the connection) stays up.
import { SCHEMA_VERSION } from '../../../shared/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, ok, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { MAX_MESSAGE_BYTES } from './socket';

describe('socket.io door', () => {
  let t: TestCenter;
  let d: Desktop;
  beforeAll(async () => {
    t = await startTestCenter({});
    d = await desktop(t.center.url, 'demo', 'agent1');
  });
  afterAll(async () => {
    d?.close();
    await t?.stop();
  });

  const badPayloads: unknown[] = [null, 'text', 42, [], {}, { schemaVersion: '1' }, { by: 'phone', value: 7, reason: 'screen_pop' }];
  for (const event of ['sync:push', 'sync:pull', 'customer:lookup']) {
    it(`${event}: answers bad_request to malformed payloads and keeps the connection`, async () => {
      for (const payload of badPayloads) {
        const r = await d.call(event, payload);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('bad_request');
          expect(r.error.message).toContain(event);
        }
      }
      expect(d.socket.connected).toBe(true);
    });
  }

  it('rejects mistyped mutation fields at the door', async () => {
    const r = await d.call('sync:push', {
      schemaVersion: SCHEMA_VERSION,
      clientId: d.clientId,
      mutations: [{ mutationId: 'x', seq: -1, name: 'note.save', args: {}, schemaVersion: SCHEMA_VERSION, createdAt: 'yesterday' }],
    });
    expect(r.ok ? null : r.error.code).toBe('bad_request');
  });

  it('answers an unknown event that asks for an ack, ignores one that does not, stays connected', async () => {
    const r = await d.call('customer:delete', { id: 'x' });
    expect(r).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/Unknown event "customer:delete"/) } });
    d.socket.emit('no:ack', 1);
    d.socket.emit('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: null, limit: 1 }); // known event without ack
    expect(ok(await d.call('customer:lookup', { by: 'id', value: 'x', reason: 'search' }))).toBeNull();
    expect(d.socket.connected).toBe(true);
  });

  it('refuses an oversized message by closing that connection, and serves others', async () => {
    const big = await desktop(t.center.url, 'demo', 'agent2');
    const closed = new Promise<string>((resolve) => big.socket.once('disconnect', resolve));
    big.socket.emit('sync:pull', { padding: 'x'.repeat(MAX_MESSAGE_BYTES + 1024) }, () => undefined);
    expect(await closed).toMatch(/transport/);
    expect(ok(await d.call('customer:lookup', { by: 'id', value: 'x', reason: 'search' }))).toBeNull();
  });
});
