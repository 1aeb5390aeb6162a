// The bounded wait for the renderer's flush: confirmed → go on at once; silent → go on at the bound.
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/api/index';
import { createEventHub } from '../events';
import { createFlushCoordinator } from './flush';

function setup() {
  const hub = createEventHub();
  const asked: Array<EventPayload<'flushRequested'>> = [];
  hub.on('flushRequested', (p) => asked.push(p));
  return { flush: createFlushCoordinator({ emit: hub.emit }), asked };
}

describe('flush on close', () => {
  it('asks the renderer and resolves as soon as it confirms that request', async () => {
    const { flush, asked } = setup();
    const started = Date.now();
    const waiting = flush.request(10_000);
    expect(asked).toHaveLength(1);
    expect(flush.confirm('00000000-0000-4000-8000-000000000000', 1)).toBe(false); // another request's answer
    expect(flush.confirm(asked[0]!.requestId, 2)).toBe(true);
    await expect(waiting).resolves.toEqual({ outcome: 'flushed', saved: 2 });
    expect(Date.now() - started).toBeLessThan(5_000); // not the 10 s bound
    expect(flush.confirm(asked[0]!.requestId, 2)).toBe(false); // answered once only
  });

  it('gives up at the bound when the renderer does not answer (hung or gone)', async () => {
    const { flush, asked } = setup();
    await expect(flush.request(30)).resolves.toEqual({ outcome: 'timeout' });
    expect(asked).toHaveLength(1);
    expect(flush.confirm(asked[0]!.requestId, 0)).toBe(false); // too late: nobody waits any more
  });

  it('keeps concurrent requests apart', async () => {
    const { flush, asked } = setup();
    const first = flush.request(10_000);
    const second = flush.request(50);
    expect(flush.confirm(asked[0]!.requestId, 1)).toBe(true);
    await expect(first).resolves.toEqual({ outcome: 'flushed', saved: 1 });
    await expect(second).resolves.toEqual({ outcome: 'timeout' });
  });
});
