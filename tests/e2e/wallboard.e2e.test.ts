// The wallboard on a "TV": the built center with the simulator and a few scripted agents; an admin
// creates a wallboard token over HTTP; Chromium opens /wallboard#token=… and shows every queue of the
// tenant with the figures the center serves; a missing or wrong token is refused, a revoked one stops it.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/protocol/index';
import { artifacts, centerClient, launchChromium, removeDir, startCenter, tempDir } from './support';

let center: Awaited<ReturnType<typeof startCenter>>;
let browser: Browser;
const agents: Socket[] = [];
const dir = tempDir('wallboard');

async function adminToken(): Promise<string> {
  const res = await fetch(`${center.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', username: 'admin', password: 'demo' }) });
  return LoginResponse.parse(await res.json()).token;
}
async function adminPost(path: string, body: unknown) {
  const res = await fetch(`${center.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken()}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  center = await startCenter({ dataDir: dir, offerInterval: '1-2', extraArgs: ['--handle-time', '3-6', '--unknown-caller-share', '0'] });
  for (let i = 1; i <= 4; i++) agents.push(await centerClient(center.url, 'demo', `agent${i}`, 'demo'));
  browser = await launchChromium();
});
afterAll(async () => {
  agents.forEach((a) => a.close());
  await browser?.close();
  await center?.stop();
  removeDir(dir);
});

describe('wallboard', () => {
  it('shows the tenant queues large, as the center serves them, and refuses bad tokens', async () => {
    const created = await adminPost('/api/wallboard/tokens', { label: 'floor TV' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // Missing and wrong tokens: the page says so and carries no figures; a token in the query string is refused.
    for (const url of [`${center.url}/wallboard`, `${center.url}/wallboard#token=wb_${'x'.repeat(43)}`]) {
      await page.goto(url);
      await expect.poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 15_000 }).toMatch(/valid token/);
      expect(await page.locator('[data-queue]').count()).toBe(0);
    }
    expect((await page.goto(`${center.url}/wallboard?token=${token}`))?.status()).toBe(400);

    // The token goes after '#': the center never sees it in a URL, and the address bar drops it.
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const res = await page.goto(`${center.url}/wallboard#token=${token}`);
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.url()).toBe(`${center.url}/wallboard`);
    expect(requested.filter((u) => u.includes(token))).toEqual([]);
    const data = async () => {
      const r = await fetch(`${center.url}/wallboard/data`, { headers: { authorization: `Bearer ${token}` } });
      return (await r.json()) as { queues: Array<{ queue: string; waitingNow: number; offered: number; answered: number }> };
    };
    const queues = (await data()).queues.map((q) => q.queue);
    expect(queues.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-queue]').count(), { timeout: 30_000 }).toBe(queues.length);

    // Calls flow; at some poll the screen and the center agree on every queue's counts.
    await expect
      .poll(
        async () => {
          const shown = await page.locator('[data-queue]').evaluateAll((tiles) =>
            tiles.map((t) => `${(t as HTMLElement).dataset.queue}:${t.querySelector('[data-figure="waiting"] .value')?.textContent}:${t.querySelector('[data-figure="counts"] .value')?.textContent}`),
          );
          const truth = (await data()).queues.map((q) => `${q.queue}:${q.waitingNow}:${q.offered} / ${q.answered}`);
          return shown.join('|') === truth.join('|') && (await data()).queues.some((q) => q.offered > 0);
        },
        { timeout: 90_000, interval: 300 },
      )
      .toBe(true);
    await page.screenshot({ path: path.join(artifacts, 'wallboard.png') });
    // A reload (a TV switched off and on) finds the token again in the screen's storage.
    await page.reload();
    await expect.poll(() => page.locator('[data-queue]').count(), { timeout: 30_000 }).toBe(queues.length);

    // Revoked: the next poll is refused and the screen says so.
    expect((await adminPost('/api/wallboard/tokens/revoke', { token: 'floor TV' })).status).toBe(200);
    await expect.poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 15_000 }).toMatch(/valid token/);
    expect(await page.locator('[data-queue]').count()).toBe(0);
    await page.close();
  });
});
