// The ringing agent's user is read once per TTL, per tenant, and read again once it expires.
import { expect, it } from 'vitest';
import { createAgentDirectory } from './agent-directory';

it('remembers who an agent name is for the TTL, per tenant, then asks again', async () => {
  const asked: unknown[][] = [];
  let enabled = true;
  const db = {
    query: async (_sql: string, params: unknown[]) => (asked.push(params), enabled && params[0] === 'demo' && params[1] === 'agent1' ? [{ id: 'u1' }] : []),
    exec: async () => undefined,
  };
  let clock = 0;
  const directory = createAgentDirectory(db as never, 1000, () => clock);
  expect(await directory.find('demo', 'agent1')).toEqual({ id: 'u1' });
  expect(await directory.find('demo', 'agent1')).toEqual({ id: 'u1' });
  expect(await directory.find('acme', 'agent1')).toBeNull();
  expect(asked).toHaveLength(2);
  enabled = false; // disabled meanwhile: seen once the entry expires
  clock = 1001;
  expect(await directory.find('demo', 'agent1')).toBeNull();
  expect(asked).toHaveLength(3);
});
