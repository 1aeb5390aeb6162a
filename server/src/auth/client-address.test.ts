// --trust-proxy: login limits count the client behind a load balancer, and only when told to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, type RunningCenter } from '../index';
import { postJson } from '../testing/center-client';
import { addressBucket, clientAddress, parseTrustProxy } from './client-address';

describe('clientAddress', () => {
  it('is the peer unless proxies are trusted, then the entry that many hops back', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1, 203.0.113.7', 0)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '198.51.100.1, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', '198.51.100.1, 203.0.113.7', 2)).toBe('198.51.100.1');
    // a client cannot push its own entry past the trusted proxies
    expect(clientAddress('10.0.0.5', 'forged, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', ['198.51.100.1', '203.0.113.7'], 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '203.0.113.7', 5)).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('unknown')).toBe('unknown');
  });

  it('takes 0 to 10 proxies and refuses anything else clearly', () => {
    expect(parseTrustProxy(undefined)).toBe(0);
    expect(parseTrustProxy('1')).toBe(1);
    for (const bad of ['', '-1', '1.5', 'yes', '11']) expect(() => parseTrustProxy(bad)).toThrow(/--trust-proxy/);
  });
});

describe('login limits behind a proxy', () => {
  let trusting: RunningCenter;
  let plain: RunningCenter;
  beforeAll(async () => {
    [trusting, plain] = await Promise.all([startCenter({ port: 0, logLevel: 'silent', trustProxy: 1 }), startCenter({ port: 0, logLevel: 'silent' })]);
  });
  afterAll(async () => {
    await Promise.all([trusting?.stop(), plain?.stop()]);
  });
  // A malformed sign-in: counted by the per-address budget (120 a minute) before anything else.
  const attempt = (c: RunningCenter, client: string) => postJson(`${c.url}/api/login`, {}, { 'x-forwarded-for': client });

  it('counts each forwarded client on its own when the proxy is trusted', async () => {
    for (let i = 0; i < 120; i++) expect((await attempt(trusting, '203.0.113.7')).status).toBe(400);
    const over = await attempt(trusting, '203.0.113.7');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await attempt(trusting, '203.0.113.8')).status).toBe(400);
  });

  it('ignores X-Forwarded-For by default: the peer, here loopback, is what counts, and has a budget like any address', async () => {
    for (let i = 0; i < 120; i++) expect((await attempt(plain, `203.0.113.${i}`)).status).toBe(400);
    expect((await attempt(plain, '203.0.113.200')).status).toBe(429);
  });
});
