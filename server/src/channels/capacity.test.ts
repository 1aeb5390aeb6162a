// Who gets the next chat or email (pure), and the queue's capacity set from the command line.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/open';
import { runCli } from '../testing/cli';
import { DEFAULT_CAPACITY, keepsCallsAway, parseCapacity, pickAgent, readCapacities, type Candidate, type CapacityOf } from './capacity';

const defaults: CapacityOf = (_queue, channel) => DEFAULT_CAPACITY[channel];
const agent = (name: string, over: Partial<Candidate['status']> = {}, held: Candidate['held'] = [], lastOfferedAt: number | null = null): Candidate => ({
  status: { agent: name, state: 'available', since: 1000, queues: ['sales'], disconnectedAt: null, ...over },
  held,
  lastOfferedAt,
});
const chat = { channel: 'chat', queue: 'sales' } as const;
const email = { channel: 'email', queue: 'sales' } as const;

describe('pickAgent', () => {
  it('picks the longest idle of the available agents serving the queue, counting their last offer as activity', () => {
    const list = [agent('bo', { since: 2000 }), agent('ann', { since: 1000 }, [], 3000), agent('cy', { since: 1500 })];
    expect(pickAgent(list, chat, defaults)?.status.agent).toBe('cy');
    expect(pickAgent([agent('b', { since: 5 }), agent('a', { since: 5 })], chat, defaults)?.status.agent).toBe('a');
  });

  it('passes by agents not available, disconnected, without the queue, skipped, or at capacity for the channel', () => {
    const full = [chat, chat, chat];
    const list = [
      agent('on-call', { state: 'on_call', since: 0 }),
      agent('break', { state: 'not_ready', since: 0 }),
      agent('gone', { disconnectedAt: 5, since: 0 }),
      agent('other', { queues: ['support'], since: 0 }),
      agent('full', { since: 0 }, full),
      agent('skipped', { since: 0 }),
    ];
    expect(pickAgent(list, chat, defaults, (a) => a === 'skipped')).toBeNull();
    // Capacity is per channel: the agent full of chats may still take an email.
    expect(pickAgent(list, email, defaults, (a) => a === 'skipped')?.status.agent).toBe('full');
    expect(pickAgent([agent('two', {}, [email, email])], email, defaults)).toBeNull();
  });

  it('keeps calls away from an agent holding a chat, not from one holding only emails, and follows the queue’s setting', () => {
    expect(keepsCallsAway([email, email], defaults)).toBe(false);
    expect(keepsCallsAway([email, chat], defaults)).toBe(true);
    const chatsInterruptible: CapacityOf = (q, c) => (c === 'chat' ? { ...DEFAULT_CAPACITY.chat, interruptible: true } : defaults(q, c));
    expect(keepsCallsAway([chat], chatsInterruptible)).toBe(false);
  });

  it('refuses capacity settings it cannot use, saying what to give', () => {
    expect(() => parseCapacity('fax', '2', undefined)).toThrow(/not one of voice, chat, email/);
    expect(() => parseCapacity('voice', '2', undefined)).toThrow(/always 1 and exclusive/);
    expect(() => parseCapacity('chat', '0', undefined)).toThrow(/from 1 to 50/);
    expect(() => parseCapacity('chat', '3x', undefined)).toThrow(/from 1 to 50/);
    expect(() => parseCapacity('chat', '3', 'maybe')).toThrow(/neither on nor off/);
    expect(parseCapacity('email', '4', 'off')).toEqual({ channel: 'email', capacity: 4, interruptible: false });
  });
});

describe('earshot-center queue capacity', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-capacity-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => runCli({ dataDir: dir }, args);

  it('sets a queue’s chat and email capacity, refusing bad values and unknown queues', async () => {
    expect((await run(['tenant', 'add', '--id', 'acme', '--name', 'Acme'])).code).toBe(0);
    const db = await openDb({ dataDir: dir });
    await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('acme', 'sales', 'Sales')`);
    await db.close();
    expect(await run(['queue', 'capacity', 'acme', 'sales', '--channel', 'chat', '--capacity', '99'])).toMatchObject({ code: 1, err: expect.stringMatching(/from 1 to 50/) });
    expect(await run(['queue', 'capacity', 'acme', 'billing', '--channel', 'chat', '--capacity', '2'])).toMatchObject({ code: 1, err: expect.stringMatching(/no queue "billing"/) });
    expect(await run(['queue', 'capacity', 'acme', 'sales', '--channel', 'chat', '--capacity', '5'])).toMatchObject({ code: 0, out: expect.stringMatching(/up to 5 chats at once; no call reaches them/) });
    expect(await run(['queue', 'capacity', 'acme', 'sales', '--channel', 'email', '--capacity', '1', '--interruptible', 'off'])).toMatchObject({ code: 0, out: expect.stringMatching(/up to 1 emails at once; no call reaches them/) });
    const check = await openDb({ dataDir: dir });
    try {
      const of = await readCapacities(check, 'acme');
      expect([of('sales', 'chat'), of('sales', 'email'), of('other', 'email')]).toEqual([
        { capacity: 5, exclusive: false, interruptible: false },
        { capacity: 1, exclusive: false, interruptible: false },
        DEFAULT_CAPACITY.email,
      ]);
    } finally {
      await check.close();
    }
  });
});
