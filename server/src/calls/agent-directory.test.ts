// The ringing agent's user: a tenant's enabled users read once per TTL, a name not among them asked alone.
import { expect, it } from 'vitest';
import { createAgentDirectory } from './agent-directory';

it("reads a tenant's agents once per TTL, per tenant, then again; a name added since is asked alone", async () => {
  const rosters: unknown[][] = [];
  const single: unknown[][] = [];
  const users = new Map([['demo', new Map([['agent1', 'u1'], ['agent2', 'u2']])]]);
  const db = {
    query: async (sql: string, params: unknown[]) => {
      const [tenant, name] = params as [string, string | number];
      const of = users.get(tenant) ?? new Map<string, string>();
      if (sql.includes('SELECT username, id')) return (rosters.push(params), [...of].map(([username, id]) => ({ username, id })));
      return (single.push(params), of.has(name as string) ? [{ id: of.get(name as string) }] : []);
    },
    exec: async () => undefined,
  };
  let clock = 0;
  const directory = createAgentDirectory(db as never, 1000, () => clock);
  // Rings at once share one read.
  expect(await Promise.all([directory.find('demo', 'agent1'), directory.find('demo', 'agent2'), directory.find('demo', 'agent1')])).toEqual([{ id: 'u1' }, { id: 'u2' }, { id: 'u1' }]);
  expect(await directory.find('acme', 'agent1')).toBeNull(); // not among acme's: asked alone
  expect(rosters).toEqual([['demo', 20_000], ['acme', 20_000]]);
  // A user added after the read: asked alone, remembered (also as not found) for the TTL.
  users.get('demo')!.set('agent3', 'u3');
  expect(await directory.find('demo', 'agent3')).toEqual({ id: 'u3' });
  expect(await directory.find('demo', 'nobody')).toBeNull();
  expect(await directory.find('demo', 'nobody')).toBeNull();
  expect(single).toEqual([['acme', 'agent1'], ['demo', 'agent3'], ['demo', 'nobody']]);
  users.get('demo')!.delete('agent1'); // disabled meanwhile: seen once the roster expires
  clock = 1001;
  expect(await directory.find('demo', 'agent1')).toBeNull();
  expect(rosters).toHaveLength(3);
});

it('asks one by one while the roster cannot be read, and reads it again on the next ring', async () => {
  let fail = true;
  let rosterReads = 0;
  const db = {
    query: async (sql: string) => {
      if (sql.includes('SELECT username, id')) {
        rosterReads += 1;
        if (fail) throw new Error('connection lost');
        return [{ username: 'agent1', id: 'u1' }];
      }
      return [{ id: 'u1' }];
    },
    exec: async () => undefined,
  };
  const directory = createAgentDirectory(db as never);
  expect(await directory.find('demo', 'agent1')).toEqual({ id: 'u1' });
  fail = false;
  expect(await directory.find('demo', 'agent1')).toEqual({ id: 'u1' });
  expect(rosterReads).toBe(2);
});
