// The wallboard page: plain HTML, CSS and a small script served by the center (no app bundle).
// The script takes its token from the page URL's fragment (#token=…, never sent to the center), keeps it
// in the screen's local storage and takes it out of the address bar, so a reload or a power cut finds it
// again and it shows in no URL; then it polls GET /wallboard/data once a second with it as a bearer.
// All data is written with textContent, never as HTML.
export const WALLBOARD_POLL_MS = 1000;

export const wallboardHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Earshot wallboard</title>
<link rel="stylesheet" href="/wallboard/app.css">
<script src="/wallboard/app.js" defer></script>
</head>
<body>
<header><h1 id="title">Earshot wallboard</h1><p id="status" role="status" aria-live="polite">Connecting…</p></header>
<main id="queues" data-testid="wallboard"></main>
</body>
</html>
`;

export const wallboardCss = `
:root { color-scheme: dark; --ok: #e8f5e9; --amber: #ffb300; --red: #ff5252; }
* { box-sizing: border-box; }
body { margin: 0; padding: 2vh 2vw; background: #101418; color: #f2f4f6; font-family: system-ui, "Noto Sans KR", sans-serif; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 2vw; }
h1 { font-size: 3.2vh; margin: 0 0 1.5vh; font-weight: 600; }
#status { font-size: 2.2vh; margin: 0; color: #9aa5b1; }
#status.stale { color: var(--red); font-weight: 700; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(30vw, 1fr)); gap: 2vh 2vw; }
.queue { background: #1b2228; border-radius: 1vh; padding: 2vh 1.5vw; }
.queue h2 { font-size: 3.6vh; margin: 0 0 1vh; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1vh 1vw; }
.figure { display: flex; flex-direction: column; }
.figure .value { font-size: 7.5vh; font-weight: 700; line-height: 1.05; font-variant-numeric: tabular-nums; white-space: nowrap; }
.figure .label { font-size: 2vh; color: #9aa5b1; }
.figure.small .value { font-size: 4.2vh; }
.channels { display: grid; grid-template-columns: auto repeat(3, 1fr); gap: 0.3vh 1vw; align-items: baseline; margin-top: 1.2vh; padding-top: 1vh; border-top: 1px solid #2c353d; }
.channels .head { font-size: 2vh; color: #9aa5b1; }
.channels .name { font-size: 2.6vh; font-weight: 600; color: #c9d1d9; }
.figure.cell .value { font-size: 4.2vh; }
.level-amber .value { color: var(--amber); }
.level-red .value { color: var(--red); }
.level-amber .value::after { content: " ▲"; font-size: 0.5em; }
.level-red .value::after { content: " ▲▲"; font-size: 0.5em; }
`;

export const wallboardJs = `(() => {
  'use strict';
  const KEY = 'earshot.wallboard.token';
  const given = new URLSearchParams(location.hash.slice(1)).get('token');
  if (given) {
    try { localStorage.setItem(KEY, given); } catch (e) { /* private mode: this page load only */ }
    history.replaceState(null, '', location.pathname);
  }
  let token = given;
  try { token = token || localStorage.getItem(KEY); } catch (e) { /* no storage */ }
  token = token || '';
  const main = document.getElementById('queues');
  const status = document.getElementById('status');
  const title = document.getElementById('title');
  let lastOk = 0;
  const pct = (v) => (v === null || v === undefined ? '–' : Math.round(v * 100) + '%');
  const two = (n) => String(n).padStart(2, '0');
  const dur = (s) => {
    if (s === null || s === undefined) return '–';
    s = Math.round(s); const h = Math.floor(s / 3600); const m = Math.floor(s / 60) % 60;
    return h > 0 ? h + 'h ' + two(m) + 'm' : m > 0 ? m + ':' + two(s % 60) : s + 's';
  };
  function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function figure(name, label, value, level, small) {
    const f = el('div', 'figure' + (small ? ' small' : '') + ' level-' + (level || 'ok'));
    f.dataset.figure = name; f.dataset.level = level || 'ok';
    f.append(el('span', 'value', value), el('span', 'label', label));
    return f;
  }
  /** A figure in the chats-and-emails grid: the value only (the grid's head row names it). */
  function cell(name, value, level) {
    const f = el('div', 'figure cell level-' + (level || 'ok'));
    f.dataset.figure = name; f.dataset.level = level || 'ok';
    f.append(el('span', 'value', value));
    return f;
  }
  function render(d) {
    title.textContent = d.tenant + ' — ' + d.label;
    const win = d.windowMin ? ' (' + d.windowMin + ' min)' : '';
    const tiles = d.queues.map((q) => {
      const tile = el('section', 'queue'); tile.dataset.queue = q.queue; tile.setAttribute('aria-label', q.name);
      const figs = el('div', 'figures');
      figs.append(
        figure('waiting', 'Waiting now', String(q.waitingNow), q.levels.waitingNow),
        figure('longest-wait', 'Longest wait', dur(q.longestWaitSec), q.levels.longestWait),
        figure('service-level', 'Service level' + win + ', ' + q.slThresholdSec + ' s', pct(q.serviceLevel), q.levels.serviceLevel),
        figure('abandon-rate', 'Abandoned' + win, pct(q.abandonRate), q.levels.abandonRate, true),
        figure('asa', 'Avg speed of answer', dur(q.asaSec), 'ok', true),
        figure('counts', 'Offered / answered', q.offered + ' / ' + q.answered, 'ok', true),
        figure('available', 'Agents available', String(q.agentsAvailable), 'ok', true),
      );
      tile.append(el('h2', '', q.name), figs);
      // Chats and emails, where the center reports them: one compact grid, a row per channel.
      if (q.channels) {
        const grid = el('div', 'channels');
        grid.append(el('span', 'head'), el('span', 'head', 'Waiting'), el('span', 'head', 'Oldest'), el('span', 'head', 'First response (30 min)'));
        for (const [key, name] of [['chat', 'Chat'], ['email', 'Email']]) {
          const c = q.channels[key];
          if (!c) continue;
          grid.append(
            el('span', 'name', name),
            cell(key + '-waiting', String(c.waitingNow), c.levels.waitingNow),
            cell(key + '-oldest', c.waitingNow > 0 ? dur(c.longestWaitSec) : '–', c.levels.longestWait),
            cell(key + '-first-response', dur(c.firstResponseSec), 'ok'),
          );
        }
        tile.append(grid);
      }
      return tile;
    });
    main.replaceChildren(...tiles);
    if (d.queues.length === 0) main.append(el('p', '', 'No queues yet.'));
  }
  async function poll() {
    try {
      const res = await fetch('/wallboard/data', { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' });
      if (res.status === 401) {
        try { localStorage.removeItem(KEY); } catch (e) { /* no storage */ }
        status.textContent = 'This wallboard needs a valid token (ask an administrator for a link).'; status.className = 'stale'; main.replaceChildren(); return;
      }
      if (!res.ok) throw new Error(String(res.status));
      render(await res.json());
      lastOk = Date.now();
      status.className = ''; status.textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (Date.now() - lastOk > 5000) { status.className = 'stale'; status.textContent = 'Not updating: the center cannot be reached. Figures may be old.'; }
    }
  }
  poll();
  setInterval(poll, ${WALLBOARD_POLL_MS});
})();
`;
