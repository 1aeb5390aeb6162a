// Throttle counters in a real redis-server on 127.0.0.1: the same contract as memory and the database.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe } from 'vitest';
import { redisForSuite } from '../../../tests/support/redis';
import { throttleStoreContract } from '../testing/throttle-contract';
import type { RedisClient } from './redis-adapter';
import { redisThrottleStore } from './redis-throttle';

const redis = await redisForSuite();

describe.skipIf(!redis.url)(`Redis throttle store${redis.url ? '' : ` (skipped: ${redis.skipReason})`}`, () => {
  const client: RedisClient = createClient({ url: redis.url ?? undefined });
  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
  });
  throttleStoreContract(() => redisThrottleStore(client));
});
