// One shell for every role, in Chromium against the real center: the agent's desk on a call and the
// supervisor's floor, each in English and Korean at 1920×1080, 1280×720 and a half-screen 960 px, with
// the OS's dark theme too — no horizontal scrolling, axe clean, labels instead of codes, the card's
// figures in plain sight. The supervisor (super1 takes calls too) switches to the agent's view.
// Screenshots land in test-results/e2e (and, through scripts/readme-images.mjs, in docs/images).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, removeDir, seriousAxeViolations, startCallScene, startWebDesktop, tempDir, testIdText } from './support';

let scene: Awaited<ReturnType<typeof startCallScene>>;
let supervisor: Awaited<ReturnType<typeof startWebDesktop>>;
const supervisorDir = tempDir('shell-super1');

beforeAll(async () => {
  // Long calls: the agent stays on the first call while it is looked at.
  // The demo's colleagues on the floor (every agent but agent1), as `npm start` runs them.
  scene = await startCallScene('shell', { handleTime: '600-600', startNotReady: true, colleagues: true });
  supervisor = await startWebDesktop(scene.center.url, supervisorDir, 'demo:super1:demo');
}, 300_000);
afterAll(async () => {
  await supervisor?.stop();
  await scene?.stop();
  removeDir(supervisorDir);
});

const SIZES = [
  [1920, 1080],
  [1280, 720],
  [960, 900],
] as const;

/** Widths the page lays out wider than the window (0: no horizontal scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** At each size and in both languages: fits the width, axe clean, a screenshot. Returns to English at 1280. */
async function checkEverywhere(page: Page, name: string, inKorean: (page: Page) => Promise<void>) {
  for (const locale of ['en', 'ko'] as const) {
    await page.getByTestId('language-switch').selectOption(locale);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
    if (locale === 'ko') await inKorean(page);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await expect.poll(() => overflow(page), { timeout: 5_000, message: `${name} ${locale} ${width}: wider than the window` }).toBeLessThanOrEqual(0);
      const violations = await seriousAxeViolations(page);
      expect(violations, `${name} ${locale} ${width}: ${JSON.stringify(violations)}`).toEqual([]);
      await page.screenshot({ path: path.join(artifacts, `${name}-${locale}-${width}.png`), fullPage: width === 960 });
    }
  }
  await page.getByTestId('language-switch').selectOption('en');
  await page.setViewportSize({ width: 1280, height: 720 });
}

describe('one shell for every role, at three sizes in two languages', () => {
  it("shows the agent's desk on a call with the whole customer at a glance", { timeout: 240_000 }, async () => {
    const page = await scene.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(scene.desktop.url);
    await page.getByTestId('agent-bar').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => testIdText(page, 'sync-status'), { timeout: 30_000 }).toMatch(/online/i);
    await scene.becomeAvailable();
    await page.getByTestId('customer-name').waitFor({ state: 'visible', timeout: 60_000 });
    // The card: tier with R/F/M and lifetime value in plain sight (a demo customer without purchases
    // has no score yet, and says so), consents, customer since.
    await page.locator('[data-testid="customer-scores"], .customer-value.muted').first().waitFor({ state: 'visible', timeout: 30_000 });
    if ((await page.getByTestId('customer-scores').count()) > 0) expect(await testIdText(page, 'customer-scores')).toMatch(/^R\d\/5F\d\/5M\d\/5Lifetime value[\d,]+$/);
    else expect(await page.locator('.customer-value.muted').textContent()).toBe('No value score yet');
    expect(await testIdText(page, 'customer-consents')).toMatch(/^Calls (yes|no)Email (yes|no)SMS (yes|no)$/);
    expect(await testIdText(page, 'customer-since')).toMatch(/\d{4}/);
    // The state and its timer read apart ("Ringing 0:02", never "Ringing0:02").
    expect(await page.getByTestId('agent-state').evaluate((el) => (el.parentElement?.innerText ?? '').replace(/\s+/g, ' '))).not.toMatch(/[a-z]\d+:\d\d/i);

    await checkEverywhere(page, 'agent-desk', async (p) => {
      // Queue and outcome labels, not codes, in Korean.
      const banner = (await p.locator('.call-banner').textContent()) ?? '';
      expect(banner).toMatch(/(일반 문의|요금·결제|기술 지원) 대기열/);
      const outcomes = await p.locator('.history-disposition').allTextContents();
      for (const o of outcomes) expect(o).not.toMatch(/info-given|refund-issued|payment-plan|ticket-opened|callback|resolved|escalated|transferred/);
      expect(await testIdText(p, 'customer-consents')).toMatch(/^전화 (동의|거부)이메일 (동의|거부)문자 (동의|거부)$/);
    });

    // The OS's dark theme: the same page, still AA.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim())).toBe('#12161d');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'agent-desk-dark-en-1280.png') });
    await page.close();
  });

  it("shows the supervisor's floor with the same bar, and the way to take calls", { timeout: 240_000 }, async () => {
    const page = await scene.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(supervisor.url);
    const bar = page.getByTestId('floor-bar');
    await bar.waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => testIdText(page, 'sync-status'), { timeout: 30_000 }).toMatch(/online/i);
    // The agents grid fills from the center's pushes (agent1 at least, on a call).
    await page.getByTestId('agent-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    for (const part of ['signed-in-as', 'sync-status', 'language-switch', 'show-floor', 'show-calls', 'show-desk']) {
      expect(await bar.getByTestId(part).count(), part).toBe(1);
    }
    expect(await bar.getByRole('button', { name: /Keyboard shortcuts/ }).count()).toBe(1);

    await checkEverywhere(page, 'floor', async (p) => {
      const rows = await p.getByTestId('queue-row').locator('th').allTextContents();
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(['일반 문의', '요금·결제', '기술 지원']).toContain(r);
    });

    // super1 takes calls too: the agent's view, with the agent's state in the same bar.
    await page.getByTestId('show-calls').click();
    await page.getByTestId('agent-bar').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId('agent-bar').getByTestId('agent-state').count()).toBe(1);
    expect(await page.getByTestId('waiting-for-call').count()).toBe(1);
    await page.keyboard.press('Alt+3');
    await page.getByTestId('voc-desk').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Alt+1');
    await page.getByTestId('supervisor-view').waitFor({ state: 'visible', timeout: 10_000 });
    await page.close();
  });
});
