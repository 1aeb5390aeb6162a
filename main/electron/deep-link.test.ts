import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from './deep-link';

const id = '0190a3b4-1234-7abc-8def-0123456789ab';

describe('earshot:// deep links', () => {
  it('accept a customer id, in any case, with or without a trailing slash', () => {
    expect(parseDeepLink(`earshot://customer/${id}`)).toEqual({ kind: 'customer', customerId: id });
    expect(parseDeepLink(`EARSHOT://customer/${id.toUpperCase()}/`)).toEqual({ kind: 'customer', customerId: id });
  });

  it.each([
    ['another scheme', `https://customer/${id}`],
    ['another kind', `earshot://interaction/${id}`],
    ['not a uuid', 'earshot://customer/1234'],
    ['a path trick', `earshot://customer/${id}/../../etc`],
    ['extra segments', `earshot://customer/${id}/notes`],
    ['credentials', `earshot://user:pw@customer/${id}`],
    ['a port', `earshot://customer:80/${id}`],
    ['an encoded slash', `earshot://customer/${encodeURIComponent(`${id}/x`)}`],
    ['too long', `earshot://customer/${id}?${'a'.repeat(600)}`],
    ['not a string', 42],
    ['not a url', 'earshot:customer'],
  ])('refuse %s', (_why, raw) => {
    expect(parseDeepLink(raw)).toBeNull();
  });

  it('are found on a second launch command line, skipping bad ones and flags', () => {
    expect(deepLinkFromArgv(['/opt/Earshot/earshot', '--no-sandbox-is-not-ours', 'earshot://customer/nope', `earshot://customer/${id}`])).toEqual({ kind: 'customer', customerId: id });
    expect(deepLinkFromArgv(['/opt/Earshot/earshot', '--flag'])).toBeNull();
  });
});
