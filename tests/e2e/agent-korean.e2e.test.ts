// The agent view in Korean, in Chromium against the real center: a call pops, the agent switches the
// language, and every piece of the screen's own wording (buttons, labels, headings, options,
// tooltips, accessible names, placeholders) changes to the Korean catalogue's — no English left
// behind. Screenshots of the same view in English and Korean are kept in test-results/e2e.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../renderer/i18n/en';
import { ko } from '../../renderer/i18n/ko';
import { artifacts, seriousAxeViolations, startCallScene, testIdText } from './support';

let scene: Awaited<ReturnType<typeof startCallScene>>;

beforeAll(async () => {
  scene = await startCallScene('agent-korean', { handleTime: '600-600', startNotReady: true });
});
afterAll(() => scene?.stop());

interface Wording {
  where: string;
  text: string;
}

/**
 * The screen's own wording, in document order: text of buttons, headings, table headers, options and
 * the label text of form fields (not their options), plus title, aria-label and placeholder
 * attributes. Customer data (names, notes, history lines) is not in any of these.
 */
function screenWording(page: Page): Promise<Wording[]> {
  return page.evaluate(() => {
    const out: Array<{ where: string; text: string }> = [];
    const describe = (el: Element) => el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`;
    const ownText = (el: Element) =>
      [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join(' ');
    for (const el of document.querySelectorAll('body *')) {
      // Data, in the words of whoever wrote it whatever the UI language: history, identities, open VOC
      // descriptions, why a flag was set, a follow-up's customer and number, topic, result and remedy.
      if (el.closest('[data-testid="history"], [data-testid="customer-identities"], [data-testid="open-voc-description"], [data-testid="flag-reason"], [data-testid="followup-customer"], [data-testid="followup-words"]')) continue;
      const tag = el.tagName.toLowerCase();
      if (tag === 'button' || tag === 'h1' || tag === 'h2' || tag === 'h3' || tag === 'th' || tag === 'legend') {
        if (el.getAttribute('data-testid') !== 'customer-name') out.push({ where: describe(el), text: el.textContent ?? '' });
      }
      if (tag === 'label' || tag === 'p' || tag === 'span') out.push({ where: describe(el), text: ownText(el) });
      if (tag === 'option' && !el.closest('[data-testid="wrap-up-disposition"]')) out.push({ where: describe(el), text: el.textContent ?? '' });
      for (const attr of ['title', 'aria-label', 'placeholder']) {
        const value = el.getAttribute(attr);
        if (value) out.push({ where: `${describe(el)}[${attr}]`, text: value });
      }
    }
    // The signed-in agent's name is data (it shows in the bar and in its tooltip).
    const agentName = document.querySelector('[data-testid="agent-name"]')?.textContent?.trim() ?? '';
    return out
      .map((w) => ({ where: w.where, text: (agentName ? w.text.split(agentName).join('{name}') : w.text).replace(/\s+/g, ' ').trim() }))
      .filter((w) => w.text !== '' && w.text !== '{name}');
  });
}

/** History rows that overlap the next one or cut their own content (the list measures each row). */
function clippedHistoryRows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="history-item"]')];
    const problems: string[] = [];
    rows.forEach((row, i) => {
      if (row.scrollHeight > row.clientHeight + 1) problems.push(`row ${i} cuts its content (${row.scrollHeight} > ${row.clientHeight})`);
      const next = rows[i + 1];
      if (next && row.getBoundingClientRect().bottom > next.getBoundingClientRect().top + 1) problems.push(`row ${i} overlaps row ${i + 1}`);
    });
    return problems;
  });
}

/** Literal pieces (4+ characters with a letter) of every English message that Korean words differently. */
function englishOnlyFragments(): string[] {
  const fragments = new Set<string>();
  for (const key of Object.keys(en) as Array<keyof typeof en>) {
    if (en[key] === ko[key]) continue;
    for (const piece of en[key].split(/\{[^}]+\}/)) {
      const literal = piece.replace(/[()[\].,:;·—–-]+/g, ' ').trim();
      if (literal.length >= 4 && /[A-Za-z]{3}/.test(literal)) fragments.add(literal);
    }
  }
  return [...fragments];
}

describe('the agent view in Korean', () => {
  it('switches every UI string to Korean and keeps screenshots of both languages', { timeout: 180_000 }, async () => {
    const { browser, desktop } = scene;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await page.goto(desktop.url);
    await page.getByTestId('agent-bar').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.getByTestId('agent-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('not_ready');
    await scene.becomeAvailable();
    await page.getByTestId('customer-name').waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(() => page.getByTestId('history-item').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => testIdText(page, 'sync-status'), { timeout: 30_000 }).toMatch(/online/i);
    await page.keyboard.press('Alt+A');
    await expect.poll(() => page.getByTestId('agent-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('on_call');
    // The VOC form open too, so its labels and options are on screen.
    await page.keyboard.press('Alt+V');
    await page.getByTestId('voc-form').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    const english = await screenWording(page);
    expect(await clippedHistoryRows(page), 'history rows in English').toEqual([]);
    expect(english.length).toBeGreaterThan(30);
    await page.screenshot({ path: path.join(artifacts, 'agent-view-en.png'), fullPage: true });

    await page.getByTestId('language-switch').selectOption('ko');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ko');
    await expect.poll(() => testIdText(page, 'sync-status')).toBe(ko['sync.state.online']);
    expect(await page.getByTestId('agent-state').textContent()).toBe(ko['agentState.state.on_call']);
    await page.getByTestId('voc-form').waitFor({ state: 'visible' });
    const korean = await screenWording(page);
    // Narrower, so excerpts wrap: rows grow, none overlaps or is cut.
    await page.setViewportSize({ width: 900, height: 900 });
    await expect.poll(() => clippedHistoryRows(page), { timeout: 5_000 }).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(artifacts, 'agent-view-ko.png'), fullPage: true });

    // 1. No English message of the catalogue is left anywhere in the Korean screen's wording.
    const fragments = englishOnlyFragments();
    expect(fragments.length).toBeGreaterThan(100);
    const leaks = korean.flatMap((w) => fragments.filter((f) => w.text.includes(f)).map((f) => `${w.where}: "${w.text}" has "${f}"`));
    expect(leaks).toEqual([]);

    // 2. Element by element, the same view's wording changed wherever the two catalogues differ: a
    //    string that stayed the same must be one both catalogues share (a brand, a key name, a number).
    expect(korean.map((w) => w.where)).toEqual(english.map((w) => w.where));
    const shared = new Set<string>(Object.keys(en).filter((k) => en[k as keyof typeof en] === ko[k as keyof typeof ko]).map((k) => en[k as keyof typeof en]));
    const unchanged = english
      .map((w, i) => ({ where: w.where, en: w.text, ko: korean[i]!.text }))
      .filter((p) => p.en === p.ko && /[A-Za-z]{3}/.test(p.en) && !shared.has(p.en) && !isDataOrName(p.en));
    expect(unchanged).toEqual([]);
    // Korean really is on screen: the buttons of the call and the VOC form.
    expect(await testIdText(page, 'call-hold')).toBe(ko['call.hold']);
    expect(await testIdText(page, 'voc-submit')).toBe(ko['voc.submit']);

    expect(await seriousAxeViolations(page), 'axe in Korean').toEqual([]);
  });
});

/** Wording that is data, not UI: language names in their own language, queue ids. */
function isDataOrName(text: string): boolean {
  return text === 'English' || text === '한국어' || /^[a-z_]+$/.test(text);
}
