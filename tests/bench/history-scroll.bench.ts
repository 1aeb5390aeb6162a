// Scrolling a 10,000-item history in Chromium: the real HistoryPanel (virtualised, rows measured)
// with the renderer's styles, built by Vite into a throw-away page, scrolled top to bottom one step
// per animation frame. Figures: the longest long task (PerformanceObserver 'longtask') while
// scrolling — goal none over 50 ms — and the first render. Baseline, in the same run: the same
// scroll over a plain, non-virtualised list of the same 10,000 rows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { percentile, type Benchmark, type BenchRow } from './harness';
import { serveStatic } from './static-page';

const root = path.resolve(import.meta.dirname, '../..');
const ITEMS = Number(process.env.BENCH_HISTORY_ITEMS ?? 10_000);
const STEP_PX = 400;

/** The page: the real store and HistoryPanel, fed ITEMS contacts; `?plain` renders a plain list instead. */
function entrySource(): string {
  const r = (p: string) => JSON.stringify(path.join(root, 'renderer', p));
  return `
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { createAppStore } from ${r('app/store.ts')};
import { HistoryPanel } from ${r('features/history/HistoryPanel.tsx')};
import { historyLoaded } from ${r('features/history/history-slice.ts')};
import ${r('styles.css')};

const CHANNELS = ['call', 'email', 'chat', 'sms', 'web_board', 'social', 'visit', 'mail'];
const TYPES = ['inquiry', 'complaint', 'praise', 'suggestion', 'want_slip'];
const hex = (n, w) => n.toString(16).padStart(w, '0');
const customerId = '00000000-0000-4000-8000-000000000001';
const items = Array.from({ length: ${ITEMS} }, (_, i) => {
  const id = '7e57a000-0000-4000-8000-' + hex(i + 1, 12);
  const at = new Date(Date.UTC(2026, 10, 20) - i * 3_600_000).toISOString();
  const text = 'Customer called about the invoice again; '.repeat(1 + (i % 7)) + 'note ' + i;
  return {
    id, customerId, channel: CHANNELS[i % CHANNELS.length], direction: 'inbound', queue: 'general', agent: 'agent' + (1 + (i % 20)),
    startedAt: at, answeredAt: at, endedAt: at, ani: null, dnis: null, disposition: i % 3 ? 'resolved' : null, subject: i % 5 ? null : 'Subject line ' + i,
    notes: i % 2 ? [] : [{ id: '7e57b000-0000-4000-8000-' + hex(i + 1, 12), customerId, interactionId: id, author: 'agent1', text, revision: 1, createdAt: at, updatedAt: at }],
    vocItems: i % 4 ? [] : [{ id: '7e57c000-0000-4000-8000-' + hex(i + 1, 12), customerId, interactionId: id, type: TYPES[i % TYPES.length], topic: 'topic ' + i, description: 'd', status: 'raised', createdBy: 'agent1', createdAt: at }],
  };
});

const container = document.getElementById('root');
const t0 = performance.now();
if (location.search.includes('plain')) {
  const viewport = document.createElement('div');
  viewport.className = 'history-viewport';
  viewport.id = 'history-list';
  const ul = document.createElement('ul');
  for (const item of items) {
    const li = document.createElement('li');
    li.className = 'history-item';
    li.textContent = item.channel + ' ' + item.startedAt + ' ' + item.agent + ' ' + (item.notes[0]?.text ?? '');
    ul.appendChild(li);
  }
  viewport.appendChild(ul);
  container.appendChild(viewport);
  requestAnimationFrame(() => setTimeout(() => { window.__renderMs = performance.now() - t0; window.__ready = true; }));
} else {
  const api = { invoke: async () => ({ ok: false, error: { code: 'bench', message: 'no desktop in this page' } }), on: () => () => {} };
  const { store } = createAppStore(api, { locale: 'en', storage: null });
  store.dispatch(historyLoaded(items));
  createRoot(container).render(createElement(Provider, { store }, createElement(HistoryPanel)));
  requestAnimationFrame(() => setTimeout(() => { window.__renderMs = performance.now() - t0; window.__ready = true; }));
}
`;
}

async function buildPage(dir: string): Promise<void> {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  writeFileSync(path.join(dir, 'entry.js'), entrySource());
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>history scroll</title></head><body><div id="root"></div><script type="module" src="./entry.js"></script></body></html>');
  await build({ root: dir, base: './', logLevel: 'warn', configFile: false, plugins: [react()], build: { outDir: path.join(dir, 'dist'), emptyOutDir: true } });
}

interface ScrollRun {
  renderMs: number;
  longest: number;
  longTasks: number;
  frames: number[];
  rowsSeen: number;
}

async function scrollRun(page: Page, url: string): Promise<ScrollRun> {
  await page.goto(url);
  await page.waitForFunction('window.__ready === true', undefined, { timeout: 120_000 });
  // A string: tsx's helpers do not exist in the page.
  return page.evaluate(`(async () => {
    const tasks = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push(e.duration); });
    observer.observe({ type: 'longtask' });
    const el = document.getElementById('history-list');
    const frames = [];
    const seen = new Set();
    let last = performance.now();
    await new Promise((resolve) => {
      const step = () => {
        const now = performance.now();
        frames.push(now - last);
        last = now;
        for (const li of el.querySelectorAll('[aria-posinset]')) seen.add(li.getAttribute('aria-posinset'));
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return resolve();
        el.scrollTop += ${STEP_PX};
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    await new Promise((r) => setTimeout(r, 300));
    for (const li of el.querySelectorAll('[aria-posinset]')) seen.add(li.getAttribute('aria-posinset'));
    observer.disconnect();
    return { renderMs: window.__renderMs, longest: Math.max(0, ...tasks), longTasks: tasks.length, frames: frames.slice(1), rowsSeen: seen.size };
  })()`) as Promise<ScrollRun>;
}

const bench: Benchmark = {
  name: 'history-scroll',
  async run() {
    // Inside the repository, so the page's imports (react, …) resolve from its node_modules.
    const cache = path.join(root, 'node_modules/.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(path.join(cache, 'earshot-bench-history-'));
    const browser = await chromium.launch({
      executablePath: process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    let server: Server | null = null;
    try {
      await buildPage(dir);
      server = await serveStatic(path.join(dir, 'dist'));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const panel = await scrollRun(page, base);
      const plain = await scrollRun(page, `${base}?plain`);
      if (panel.rowsSeen < ITEMS) throw new Error(`the scroll showed ${panel.rowsSeen} of ${ITEMS} rows`);
      const sortedFrames = (f: number[]) => [...f].sort((a, b) => a - b);
      const load = os.loadavg().map((l) => l.toFixed(1)).join('/');
      const rows: BenchRow[] = [
        {
          figure: `longest long task while scrolling ${ITEMS} items (load ${load})`,
          unit: 'ms',
          value: panel.longest,
          baseline: plain.longest,
          goal: { text: 'none over 50 ms', met: panel.longest <= 50 },
        },
        { figure: 'long tasks while scrolling (count)', unit: 'tasks', value: panel.longTasks, baseline: plain.longTasks },
        { figure: `frame interval p95 (${panel.frames.length} frames)`, unit: 'ms', value: percentile(sortedFrames(panel.frames), 95), baseline: percentile(sortedFrames(plain.frames), 95) },
        { figure: 'first render of the history', unit: 'ms', value: panel.renderMs, baseline: plain.renderMs },
      ];
      return rows;
    } finally {
      server?.close();
      await browser.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
