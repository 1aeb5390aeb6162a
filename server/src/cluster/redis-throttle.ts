// Throttle counters in Redis, for center nodes that share one: each attempt is one Lua script, atomic
// in Redis, applying auth/throttle.ts's takeStep; a counter expires with its window (PEXPIREAT).
import type { ThrottleRule, ThrottleStore } from '../auth/throttle';
import type { RedisClient } from './redis-adapter';
const PREFIX = 'earshot:throttle:';

// KEYS[1] counter; ARGV now, window, free, base delay, max delay, sliding (1/0), max attempts.
// Returns {1} when counted, {0, retryAfterMs} when refused.
const TAKE = `
local now = tonumber(ARGV[1])
local window, free, base, maxDelay, sliding, max = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == '1', tonumber(ARGV[7])
local s = redis.call('HMGET', KEYS[1], 'c', 'n', 'e')
local count, nextAt, expiresAt = tonumber(s[1]), tonumber(s[2]), tonumber(s[3])
local live = count ~= nil and expiresAt > now
if live and now < nextAt then return {0, nextAt - now} end
if live and count >= max then return {0, expiresAt - now} end
if live then count = count + 1 else count = 1 end
if not live or sliding then expiresAt = now + window end
local delay = 0
if count >= free and base > 0 then delay = math.min(maxDelay, base * 2 ^ math.min(40, count - free)) end
local nextAt = 0
if delay > 0 then nextAt = now + delay end
redis.call('HSET', KEYS[1], 'c', count, 'n', nextAt, 'e', expiresAt)
redis.call('PEXPIREAT', KEYS[1], expiresAt)
return {1}`;

const GIVE_BACK = `
local c = tonumber(redis.call('HGET', KEYS[1], 'c'))
if c == nil then return 0 end
redis.call('HSET', KEYS[1], 'c', math.max(0, c - 1), 'n', 0)
return 1`;

export function redisThrottleStore(client: RedisClient): ThrottleStore {
  return {
    async take(key, rule: ThrottleRule, now) {
      const args = [now, rule.windowMs, rule.free, rule.baseDelayMs, rule.maxDelayMs, rule.sliding ? 1 : 0, Math.min(rule.max, 2 ** 52)].map(String);
      const r = (await client.eval(TAKE, { keys: [PREFIX + key], arguments: args })) as number[];
      return r[0] === 1 ? { ok: true } : { ok: false, retryAfterMs: Math.max(1, Number(r[1])) };
    },
    async giveBack(key) {
      await client.eval(GIVE_BACK, { keys: [PREFIX + key], arguments: [] });
    },
    async clear(key) {
      await client.del(PREFIX + key);
    },
    async windowStart(key, rule, now) {
      const e = await client.hGet(PREFIX + key, 'e');
      return e !== null && e !== undefined && Number(e) > now ? Number(e) - rule.windowMs : null;
    },
  };
}
