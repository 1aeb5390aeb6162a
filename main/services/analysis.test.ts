// The analysis reader against a real HTTP server on loopback answering as a center might when things
// go wrong: each answer becomes an error a person can act on, with its code; nothing throws raw.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisReader } from './analysis';

describe('the analysis reader', () => {
  let server: Server;
  let url = '';
  const seen: Array<{ path: string; auth: string | undefined }> = [];
  let answer: { status: number; body: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reader = (token: string | null = 'tok') => createAnalysisReader({ centerUrl: url, token: () => token });

  it('asks with the bearer token and the query, and refuses before asking when nobody is signed in', async () => {
    answer = { status: 200, body: JSON.stringify({ items: [], next: null }) };
    expect(await reader().cell({ from: '2026-01-01', to: '2026-01-31', topic: '', type: 'want_slip', after: 'abc', limit: 5 })).toEqual({ items: [], next: null });
    expect(seen.at(-1)).toEqual({ path: '/api/analysis/cell?from=2026-01-01&to=2026-01-31&topic=&type=want_slip&after=abc&limit=5', auth: 'Bearer tok' });
    const before = seen.length;
    await expect(reader(null).view({})).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(seen).toHaveLength(before);
  });

  it.each([
    [401, '{"error":{"code":"unauthenticated","message":"x"}}', 'unauthenticated', 'Sign in again'],
    [403, '{"error":{"code":"forbidden","message":"Only supervisors read it."}}', 'forbidden', 'Only supervisors read it.'],
    [400, '{"error":{"code":"bad_request","message":"The period ends before it starts."}}', 'bad_request', 'The period ends before it starts.'],
    [500, 'oops', 'unavailable', 'HTTP 500'],
    [200, '{"items":"not a list"}', 'bad_answer', 'does not understand'],
  ])('answers HTTP %i as %s', async (status, body, code, words) => {
    answer = { status, body };
    await expect(reader().cell({ topic: 'x', type: 'complaint' })).rejects.toMatchObject({ code, message: expect.stringContaining(words) });
  });

  it('says offline when nothing answers', async () => {
    const gone = createAnalysisReader({ centerUrl: 'http://127.0.0.1:9', token: () => 'tok' });
    await expect(gone.view({})).rejects.toMatchObject({ code: 'offline' });
  });
});
