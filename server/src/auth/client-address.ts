// The client address the login rate limits count by. Behind a load balancer every request comes from
// the balancer's address, so `--trust-proxy N` (off by default) takes the address N hops back in
// X-Forwarded-For instead: each trusted proxy appends the address it received the request from, so
// the entry N from the end was written by the outermost trusted proxy. Entries further left were
// written by the client itself and are never trusted.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client address of a request: the socket's peer, or with `trustedHops` > 0 the entry that many
 * hops back along X-Forwarded-For + peer. Fewer entries than hops: the leftmost one there is.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const socket = peer ?? 'unknown';
  if (!(trustedHops > 0) || forwardedFor === undefined) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 64);
  const chain = [...hops, socket];
  return chain[Math.max(0, chain.length - 1 - trustedHops)]!;
}

/**
 * What per-address limits count by: an IPv4 address as it is, an IPv6 address by its /64 — one
 * subscriber's network, whose 2^64 addresses one machine may rotate through at will. An IPv4 address
 * written as IPv6 (::ffff:a.b.c.d) is the IPv4 address.
 */
export function addressBucket(address: string): string {
  const plain = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (!isIPv6(plain)) return plain;
  const [head = '', tail] = plain.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${all
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Checks a --trust-proxy value: a whole number of proxies from 0 (off) to 10. */
export function parseTrustProxy(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > 10) {
    throw new RangeError(`--trust-proxy "${raw}" is not a number of proxies from 0 to 10 (1 for one load balancer).`);
  }
  return n;
}

const current = new AsyncLocalStorage<string>();

/**
 * Notes the request's client address for the handling that follows (login reads it). Registered
 * ahead of the request handler (`server.prependListener('request', …)`).
 */
export function enterRequest(req: IncomingMessage, trustedHops: number): void {
  current.enterWith(clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedHops));
}

/** The address `enterRequest` noted for the request being handled, if any. */
export const requestClientAddress = (): string | undefined => current.getStore();
