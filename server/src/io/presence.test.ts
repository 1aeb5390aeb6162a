// Presence routing for the simple offer simulator: an agent with a call in hand is not offered another.
import { describe, expect, it } from 'vitest';
import { CONNECT_SETTLE_MS, createPresence } from './presence';

const agent = (n: number) => ({ userId: `u-${n}`, tenantId: 'demo', username: `agent${n}`, role: 'agent' as const });

describe('presence', () => {
  it('keeps an offered agent out of routing until the simulated handle time is over', () => {
    const p = createPresence();
    p.connected(agent(1), 's1', 0);
    p.connected(agent(2), 's2', 0);
    expect(p.availableAgents('demo', CONNECT_SETTLE_MS - 1)).toEqual([]); // just connected: handlers not yet attached
    const t0 = 1_000_000;
    expect(p.availableAgents('demo', t0).map((a) => a.username)).toEqual(['agent1', 'agent2']);
    p.offered('u-1', 120_000, t0);
    expect(p.availableAgents('demo', t0 + 1).map((a) => a.username)).toEqual(['agent2']);
    expect(p.availableAgents('demo', t0 + 119_999).map((a) => a.username)).toEqual(['agent2']);
    p.offered('u-2', 60_000, t0 + 10);
    expect(p.availableAgents('demo', t0 + 20)).toEqual([]);
    // agent2's shorter call ends first; then agent1's; agent1 was offered earlier so is longer idle
    expect(p.availableAgents('demo', t0 + 60_010).map((a) => a.username)).toEqual(['agent2']);
    expect(p.availableAgents('demo', t0 + 120_000).map((a) => a.username)).toEqual(['agent1', 'agent2']);
  });

  it('offers only agents of the tenant with a socket, and forgets a busy agent who reconnects no sooner', () => {
    const p = createPresence();
    p.connected(agent(1), 's1', 0);
    p.connected({ ...agent(3), tenantId: 'other' }, 's3', 0);
    p.connected({ ...agent(4), role: 'supervisor' }, 's4', 0);
    expect(p.availableAgents('demo', 1000).map((a) => a.username)).toEqual(['agent1']);
    p.offered('u-1', 1000, 1000);
    p.connected(agent(1), 's1b', 1000); // a second window does not clear the call in hand
    expect(p.availableAgents('demo', 1500)).toEqual([]);
    p.disconnected('u-1', 's1');
    p.disconnected('u-1', 's1b');
    expect(p.availableAgents('demo', 3000)).toEqual([]);
  });
});
