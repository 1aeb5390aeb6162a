// The floor relay between two socket.io servers joined by the Redis adapter over a real redis-server
// on 127.0.0.1: a command on the node without the floor runs on the owner, the owner's refusals come
// back as they were, and with no owner the caller gets a clear "try again" instead of a hang.
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { afterAll, describe, expect, it } from 'vitest';
import { redisForSuite } from '../../../tests/support/redis';
import { attachRedisAdapter, type ClusterLog } from './redis-adapter';
import { CenterError } from '../base/errors';
import { createFloorRelay, type FloorRelay } from './floor-relay';

const redis = await redisForSuite();
const log: ClusterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!redis.url)(`floor relay over Redis${redis.skipReason ? ` (skipped: ${redis.skipReason})` : ''}`, () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function node(name: string, owner: { now: boolean }): Promise<{ relay: FloorRelay; calls: string[] }> {
    const http: HttpServer = createServer();
    const io = new Server(http, { serveClient: false });
    const adapter = await attachRedisAdapter(io, redis.url as string, log);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const calls: string[] = [];
    const relay = createFloorRelay(
      io,
      {
        whoAmI: async (caller: string) => {
          calls.push(caller);
          return `${name} answered ${caller}`;
        },
        refuse: async () => {
          throw new CenterError('conflict', 'Agent a1 cannot go from ringing to offline.');
        },
        crash: async () => {
          throw new Error('secret row data');
        },
      },
      { isOwner: () => owner.now, log },
    );
    closers.push(async () => {
      relay.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await adapter.close();
    });
    return { relay, calls };
  }

  it('runs a command on the owner, passes refusals through, hides internal errors, and says when nobody owns the floor', async () => {
    const aOwns = { now: true };
    const bOwns = { now: false };
    const a = await node('A', aOwns);
    const b = await node('B', bOwns);

    expect(await b.relay.call('whoAmI', ['B'])).toBe('A answered B');
    expect(a.calls).toEqual(['B']);
    expect(b.calls).toEqual([]);
    expect(await a.relay.call('whoAmI', ['A'])).toBe('A answered A'); // the owner runs its own commands locally

    await expect(b.relay.call('refuse', [])).rejects.toMatchObject({ code: 'conflict', message: 'Agent a1 cannot go from ringing to offline.' });
    const crashed = b.relay.call('crash', []);
    await expect(crashed).rejects.toBeInstanceOf(CenterError);
    await expect(crashed).rejects.toMatchObject({ code: 'internal' });
    await expect(crashed).rejects.not.toMatchObject({ message: expect.stringContaining('secret') });
    await expect(b.relay.call('noSuchOp', [])).rejects.toMatchObject({ code: 'bad_request' });

    // Ownership moves: B now answers A.
    aOwns.now = false;
    bOwns.now = true;
    expect(await a.relay.call('whoAmI', ['A'])).toBe('B answered A');

    // Nobody owns the floor (a takeover in progress): a clear answer, not a hang.
    bOwns.now = false;
    await expect(a.relay.call('whoAmI', ['A'])).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/No center node owns the agent floor/) });
  });
});
