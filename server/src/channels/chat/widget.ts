// The web chat widget: one script a tenant puts on their site,
//   <script src="https://center.example.com/chat/widget.js" data-tenant="acme" defer></script>
// served by the center with the socket.io client inside it (wrapped, so the site's globals are left
// alone). It draws a "Chat with us" button and a panel in a shadow root (the site's styles and ours
// never mix), opens a visitor session (POST /chat/session, with the site's signed identity when
// the site gives one: data-identity='{"externalId":…,"email":…,"name":…,"ts":…,"sig":…}' or
// EarshotChat.identify({...}) before the chat is opened), and talks on the `/visitor` namespace.
// The session (token, conversation) is kept in the tab's sessionStorage: a reload opens the chat
// again with its messages, and a reconnect catches up from the last message the page shows, without
// duplicates. Messages not
// yet acknowledged are sent again with their own id after a reconnect (the center stores each once).
// Every text is written with textContent, never as HTML. Once an agent has answered, and when the
// tenant sends mail, "Email me this conversation" asks the center to mail the transcript (`chat:transcript`;
// the address is prefilled with the one the site signed).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const WIDGET = String.raw`
(function () {
  'use strict';
  if (window.EarshotChat && window.EarshotChat.loaded) return;
  var script = document.currentScript;
  var origin = new URL(script.src, location.href).origin;
  var tenant = script.getAttribute('data-tenant') || '';
  var lang = (script.getAttribute('data-lang') || navigator.language || 'en').toLowerCase().indexOf('ko') === 0 ? 'ko' : 'en';
  var identity = null;
  try { identity = script.getAttribute('data-identity') ? JSON.parse(script.getAttribute('data-identity')) : null; } catch (e) { identity = null; }
  var TEXT = {
    en: { open: 'Chat with us', title: 'Chat with us', close: 'Close chat', placeholder: 'Write a message…', send: 'Send', connecting: 'Connecting…', online: 'Connected. An agent will answer shortly.', offline: 'Reconnecting… your messages are kept.', typing: '{name} is typing…', agent: 'Agent', you: 'You', failed: 'Not sent: {reason}', retry: 'Send again', pending: 'Sending…', error: 'The chat cannot open: {reason}', tOpen: 'Email me this conversation', tLabel: 'Your email address', tSend: 'Send', tCancel: 'Cancel', tSending: 'Sending…', tSent: 'Sent to {email}.', tFailed: 'Not sent: {reason}' },
    ko: { open: '채팅 상담', title: '채팅 상담', close: '채팅 닫기', placeholder: '메시지를 입력하세요…', send: '보내기', connecting: '연결 중…', online: '연결되었습니다. 곧 상담사가 답변드립니다.', offline: '다시 연결하는 중… 보낸 메시지는 보관됩니다.', typing: '{name} 상담사가 입력 중…', agent: '상담사', you: '나', failed: '보내지 못했습니다: {reason}', retry: '다시 보내기', pending: '보내는 중…', error: '채팅을 열 수 없습니다: {reason}', tOpen: '이 대화를 이메일로 받기', tLabel: '받을 이메일 주소', tSend: '보내기', tCancel: '취소', tSending: '보내는 중…', tSent: '{email}(으)로 보냈습니다.', tFailed: '보내지 못했습니다: {reason}',
      tErrors: { forbidden: '이 사이트에서는 대화를 이메일로 보낼 수 없습니다.', not_found: '상담사가 답변한 뒤에 보낼 수 있습니다.', rate_limited: '지금은 더 보낼 수 없습니다. 잠시 후 다시 시도하세요 (대화당 최대 3회).', bad_request: '이메일 주소를 확인하세요.', internal: '지금은 보낼 수 없습니다. 잠시 후 다시 시도하세요.' } }
  }[lang];
  var t = function (key, vars) { return TEXT[key].replace(/\{(\w+)\}/g, function (_, k) { return vars && vars[k] != null ? vars[k] : ''; }); };
  var storeKey = 'earshot-chat:' + tenant;
  var saved = {};
  try { saved = JSON.parse(sessionStorage.getItem(storeKey) || '{}') || {}; } catch (e) { saved = {}; }
  var save = function () { try { sessionStorage.setItem(storeKey, JSON.stringify(saved)); } catch (e) { /* private mode: this tab only */ } };
  var uuid = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  };

  var host = document.createElement('div');
  host.setAttribute('data-earshot-chat', '');
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML = '<style>' +
    ':host{all:initial}*{box-sizing:border-box;font-family:system-ui,"Noto Sans KR",sans-serif}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#1f5fbf;color:#fff;font-size:15px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '.panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:min(360px,calc(100vw - 40px));height:min(520px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;color:#1b1f24;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}' +
    '.panel[hidden],.launcher[hidden]{display:none}' +
    'header{display:flex;justify-content:space-between;align-items:center;padding:10px 14px;background:#1f5fbf;color:#fff}header h2{font-size:16px;margin:0}header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}' +
    '.status{font-size:12px;padding:6px 14px;background:#eef3fb;color:#33415c}' +
    '.log{flex:1;overflow-y:auto;padding:10px 14px;margin:0;list-style:none}' +
    '.msg{margin:6px 0;max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px;line-height:1.4}' +
    '.msg .who{display:block;font-size:11px;opacity:.75;margin-bottom:2px}' +
    '.visitor{margin-left:auto;background:#1f5fbf;color:#fff}.agent{background:#eef1f5}.pending{opacity:.6}.failed{background:#fdecea;color:#8a1c12}' +
    '.msg button{margin-top:4px;font-size:12px}' +
    '.typing{font-size:12px;color:#5b6573;padding:0 14px 4px;min-height:18px}' +
    '[hidden]{display:none!important}' +
    'form.compose{display:flex;gap:6px;padding:10px;border-top:1px solid #dde3ea}textarea{flex:1;resize:none;height:44px;padding:6px 8px;border:1px solid #b8c2cf;border-radius:8px;font-size:14px}' +
    'form.compose button,.tform button[type=submit]{border:0;border-radius:8px;background:#1f5fbf;color:#fff;padding:0 14px;font-size:14px;cursor:pointer}' +
    '.transcript{padding:0 10px 8px;font-size:12px}.transcript .link{background:none;border:0;color:#1f5fbf;text-decoration:underline;cursor:pointer;padding:0;font-size:12px}' +
    '.tform{display:flex;gap:6px;align-items:center;flex-wrap:wrap}.tform input{flex:1;min-width:140px;padding:4px 6px;border:1px solid #b8c2cf;border-radius:6px;font-size:13px}.tform button{padding:4px 10px;font-size:13px;border-radius:6px}' +
    '.tstatus{margin:4px 0 0;color:#33415c;min-height:0}' +
    '.error{color:#8a1c12;font-size:12px;padding:0 14px 6px;min-height:0}' +
    '</style>' +
    '<button class="launcher" type="button" data-testid="chat-launcher"></button>' +
    '<section class="panel" hidden data-testid="chat-panel" role="dialog">' +
    '<header><h2></h2><button type="button" class="close" data-testid="chat-close">×</button></header>' +
    '<p class="status" role="status" data-testid="chat-status"></p>' +
    '<ol class="log" role="log" aria-live="polite" data-testid="chat-log"></ol>' +
    '<p class="typing" data-testid="chat-typing" aria-live="polite"></p>' +
    '<p class="error" role="alert" data-testid="chat-error"></p>' +
    '<form class="compose"><textarea data-testid="chat-input" maxlength="4000"></textarea><button type="submit" data-testid="chat-send"></button></form>' +
    '<div class="transcript" hidden data-testid="chat-transcript"><button type="button" class="link" data-testid="chat-transcript-open"></button>' +
    '<form class="tform" hidden data-testid="chat-transcript-form"><input type="email" maxlength="254" required autocomplete="email" data-testid="chat-transcript-email">' +
    '<button type="submit" data-testid="chat-transcript-send"></button><button type="button" class="cancel"></button></form>' +
    '<p class="tstatus" role="status" data-testid="chat-transcript-status"></p></div>' +
    '</section>';
  var $ = function (sel) { return root.querySelector(sel); };
  var launcher = $('.launcher'), panel = $('.panel'), log = $('.log'), input = $('textarea'), statusEl = $('.status'), typingEl = $('.typing'), errorEl = $('.error');
  launcher.textContent = t('open');
  $('header h2').textContent = t('title');
  panel.setAttribute('aria-label', t('title'));
  $('.close').setAttribute('aria-label', t('close'));
  input.setAttribute('placeholder', t('placeholder'));
  input.setAttribute('aria-label', t('placeholder'));
  $('form.compose button').textContent = t('send');
  var transcriptEl = $('.transcript'), tOpen = $('.transcript .link'), tForm = $('.tform'), tEmail = $('.tform input'), tStatus = $('.tstatus');
  tOpen.textContent = t('tOpen');
  tEmail.setAttribute('aria-label', t('tLabel'));
  tEmail.setAttribute('placeholder', t('tLabel'));
  $('.tform button[type=submit]').textContent = t('tSend');
  $('.tform .cancel').textContent = t('tCancel');
  var offer = null; // what the center offers: { available, email, remaining }
  var showOffer = function (o) {
    if (!o) return;
    offer = o;
    transcriptEl.hidden = !o.available;
    if (o.email && !tEmail.value) tEmail.value = o.email;
  };

  var socket = null;
  var shown = {}; // conversationId:seq -> true
  var lastSeq = 0; // the last message of the conversation this page shows (a reload starts from 0)
  var pending = []; // { id, text, el, sent }
  var typingTimer = null, agentTypingTimer = null, lastTyping = 0;

  var render = function (m) {
    var key = m.conversationId + ':' + m.seq;
    if (shown[key]) return;
    shown[key] = true;
    if (m.clientMessageId) {
      pending = pending.filter(function (p) { if (p.id === m.clientMessageId) { p.el.remove(); return false; } return true; });
    }
    var li = document.createElement('li');
    li.className = 'msg ' + m.from;
    li.setAttribute('data-testid', 'chat-message');
    li.setAttribute('data-seq', String(m.seq));
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = m.from === 'agent' ? m.author : t('you');
    li.appendChild(who);
    li.appendChild(document.createTextNode(m.text));
    var firstPending = pending.length ? pending[0].el : null;
    log.insertBefore(li, firstPending);
    if (m.from === 'agent') { typingEl.textContent = ''; }
    if (m.conversationId !== saved.conversationId) { saved.conversationId = m.conversationId; save(); lastSeq = 0; }
    if (m.seq > lastSeq) lastSeq = m.seq;
    log.scrollTop = log.scrollHeight;
  };

  var transmit = function (p) {
    if (!socket || !socket.connected) return;
    p.sent = true;
    socket.timeout(10000).emit('chat:send', { clientMessageId: p.id, text: p.text }, function (err, res) {
      if (err) { p.sent = false; return; } // no answer: sent again after the reconnect
      if (!res.ok) {
        p.el.className = 'msg visitor failed';
        p.el.querySelector('.who').textContent = t('failed', { reason: res.error.message });
        if (!p.el.querySelector('button')) {
          var again = document.createElement('button');
          again.type = 'button';
          again.textContent = t('retry');
          again.addEventListener('click', function () { p.el.className = 'msg visitor pending'; p.el.querySelector('.who').textContent = t('pending'); again.remove(); transmit(p); });
          p.el.appendChild(again);
        }
      }
    });
  };

  var connect = function () {
    statusEl.textContent = t('connecting');
    socket = EarshotIo(origin + '/visitor', { auth: { token: saved.token }, transports: ['websocket', 'polling'] });
    socket.on('connect', function () {
      statusEl.textContent = t('online');
      errorEl.textContent = '';
      socket.emit('chat:catchUp', { afterSeq: lastSeq }, function (res) {
        if (res && res.ok) {
          if (res.value.conversationId && res.value.conversationId !== saved.conversationId) { saved.conversationId = res.value.conversationId; save(); }
          res.value.messages.forEach(render);
          showOffer(res.value.transcript);
        }
        pending.forEach(function (p) { if (!p.sent || p.el.className.indexOf('failed') < 0) transmit(p); });
      });
    });
    socket.on('disconnect', function () { statusEl.textContent = t('offline'); pending.forEach(function (p) { p.sent = false; }); });
    socket.on('connect_error', function (err) {
      if (err && err.data && err.data.code === 'unauthenticated') {
        socket.close();
        saved = {};
        save();
        openSession().then(connect, fail);
      } else statusEl.textContent = t('offline');
    });
    socket.on('chat:message', function (m, ack) {
      render(m);
      if (typeof ack === 'function') ack();
      // An agent's answer may make the conversation one to email: ask what is offered now.
      if (m.from === 'agent' && !(offer && offer.available)) {
        socket.emit('chat:catchUp', { afterSeq: lastSeq }, function (res) { if (res && res.ok) { res.value.messages.forEach(render); showOffer(res.value.transcript); } });
      }
    });
    socket.on('chat:agentTyping', function (e) {
      clearTimeout(agentTypingTimer);
      typingEl.textContent = e && e.typing ? t('typing', { name: t('agent') }) : '';
      if (e && e.typing) agentTypingTimer = setTimeout(function () { typingEl.textContent = ''; }, 6000);
    });
  };

  var fail = function (err) { errorEl.textContent = t('error', { reason: err && err.message ? err.message : String(err) }); };

  var openSession = function () {
    if (saved.token && saved.expiresAt && Date.parse(saved.expiresAt) > Date.now() + 60000) return Promise.resolve();
    var body = { tenant: tenant };
    if (identity) body.identity = identity;
    return fetch(origin + '/chat/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) { return res.json().then(function (j) { if (!res.ok) throw new Error(j && j.error ? j.error.message : 'HTTP ' + res.status); return j; }); })
      .then(function (s) { saved = { token: s.token, expiresAt: s.expiresAt, visitorId: s.visitorId, conversationId: null }; save(); });
  };

  var open = function () {
    launcher.hidden = true;
    panel.hidden = false;
    input.focus();
    if (!socket) openSession().then(connect, fail);
  };
  launcher.addEventListener('click', open);
  $('.close').addEventListener('click', function () { panel.hidden = true; launcher.hidden = false; launcher.focus(); });
  tOpen.addEventListener('click', function () { tForm.hidden = false; tOpen.hidden = true; tStatus.textContent = ''; tEmail.focus(); });
  $('.tform .cancel').addEventListener('click', function () { tForm.hidden = true; tOpen.hidden = false; });
  tForm.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!socket || !socket.connected) return;
    var email = tEmail.value.trim();
    var zone = '';
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (err) { zone = ''; }
    var req = { email: email, lang: lang };
    if (zone) req.timeZone = zone;
    tStatus.textContent = t('tSending');
    socket.timeout(30000).emit('chat:transcript', req, function (err, res) {
      if (err) { tStatus.textContent = t('tFailed', { reason: t('offline') }); return; }
      if (res.ok) {
        tStatus.textContent = t('tSent', { email: email });
        tForm.hidden = true;
        tOpen.hidden = res.value.remaining === 0;
        if (offer) offer.remaining = res.value.remaining;
        return;
      }
      var reason = TEXT.tErrors && TEXT.tErrors[res.error.code] ? TEXT.tErrors[res.error.code] : res.error.message;
      tStatus.textContent = t('tFailed', { reason: reason });
    });
  });
  $('form.compose').addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    var li = document.createElement('li');
    li.className = 'msg visitor pending';
    li.setAttribute('data-testid', 'chat-message');
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = t('pending');
    li.appendChild(who);
    li.appendChild(document.createTextNode(text));
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    var p = { id: uuid(), text: text, el: li, sent: false };
    pending.push(p);
    transmit(p);
    if (socket) socket.emit('chat:typing', { typing: false });
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); $('form.compose').requestSubmit(); }
  });
  input.addEventListener('input', function () {
    if (!socket || !socket.connected) return;
    var now = Date.now();
    if (now - lastTyping > 2000) { lastTyping = now; socket.emit('chat:typing', { typing: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { lastTyping = 0; socket.emit('chat:typing', { typing: false }); }, 3000);
  });

  window.EarshotChat = { loaded: true, open: open, identify: function (i) { identity = i; } };
  var mount = function () { document.body.appendChild(host); if (saved.token) open(); };
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
`;

let cached: string | null = null;

/** The widget script: the socket.io client (as a CommonJS module, so no global is set) and the widget. */
export function widgetScript(): string {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  // The minified browser build sits beside the exported package.json (the package exports no path to it).
  const dir = path.dirname(require.resolve('socket.io-client/package.json'));
  const client = readFileSync(path.join(dir, 'dist/socket.io.min.js'), 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
  cached = `/* Earshot web chat widget */\nvar EarshotIo = (function () { var module = { exports: {} }; var exports = module.exports; var define; ${client}\n; return module.exports; })();\n${WIDGET}`;
  return cached;
}

/** The demo page's own script: the customer's mail form and the replies the demo mailbox received. */
export const demoScript = String.raw`
(function () {
  var form = document.getElementById('mail-form');
  if (!form) return;
  var status = document.getElementById('mail-status');
  var list = document.getElementById('mailbox');
  var ko = document.documentElement.lang === 'ko';
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var body = { from: form.from.value, name: form.name.value || undefined, subject: form.subject.value, text: form.text.value };
    status.textContent = ko ? '보내는 중…' : 'Sending…';
    fetch('/chat/demo/mail', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error.message); }); })
      .then(function () { status.textContent = ko ? '보냈습니다. 상담사 데스크에 곧 나타납니다.' : 'Sent. It reaches an agent’s desk in a moment.'; form.text.value = ''; },
            function (err) { status.textContent = err.message; });
  });
  var refresh = function () {
    fetch('/chat/demo/mailbox').then(function (r) { return r.json(); }).then(function (j) {
      list.textContent = '';
      j.mails.forEach(function (m) {
        var li = document.createElement('li');
        li.setAttribute('data-testid', 'mailbox-mail');
        var h = document.createElement('strong');
        h.textContent = m.subject + ' → ' + m.to;
        var p = document.createElement('p');
        p.textContent = m.text;
        li.appendChild(h);
        li.appendChild(p);
        list.appendChild(li);
      });
    }, function () {});
  };
  refresh();
  setInterval(refresh, 3000);
})();
`;

/** A demo shop page with the widget (and with mail, the customer's mail form and mailbox), for `npm start`. */
export function demoPage(tenantId: string, lang: 'en' | 'ko', withMail = false): string {
  const ko = lang === 'ko';
  const tenant = tenantId.replace(/[^A-Za-z0-9_.-]/g, '');
  const mail = withMail
    ? `<section><h2>${ko ? '고객으로 이메일 보내기' : 'Email the shop as a customer'}</h2>
<form id="mail-form" data-testid="demo-mail-form">
<label>${ko ? '보내는 주소' : 'Your address'} <input name="from" type="email" required value="mina.kim@example.com"></label>
<label>${ko ? '이름' : 'Name'} <input name="name" value="${ko ? '김민지' : 'Mina Kim'}"></label>
<label>${ko ? '제목' : 'Subject'} <input name="subject" required value="${ko ? '주문한 상품이 아직 안 왔어요' : 'My order has not arrived'}"></label>
<label>${ko ? '내용' : 'Message'} <textarea name="text" required rows="4"></textarea></label>
<button type="submit">${ko ? '보내기' : 'Send'}</button> <span id="mail-status" role="status"></span>
</form>
<h2>${ko ? '고객이 받은 답장' : 'Replies the customer received'}</h2>
<ol id="mailbox" data-testid="demo-mailbox"></ol></section>
<script src="/chat/demo.js" defer></script>`
    : '';
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${ko ? '데모 상점' : 'Demo shop'}</title>
<style>body{font-family:system-ui,"Noto Sans KR",sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}header{background:#263238;color:#fff;padding:18px 32px}main{padding:32px;max-width:760px}label{display:block;margin:8px 0}input,textarea{display:block;width:100%;max-width:520px;font:inherit;padding:4px}#mailbox li{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:8px 12px;margin:8px 0;white-space:pre-wrap}</style></head>
<body><header><h1>${ko ? '데모 상점' : 'Demo shop'}</h1></header>
<main><p>${ko ? '이 페이지는 Earshot 웹 채팅 위젯을 보여 줍니다. 오른쪽 아래 버튼을 눌러 고객으로 메시지를 보내면 Earshot 데스크의 상담사가 받습니다.' : 'This page shows the Earshot web chat widget. Press the button at the bottom right and write as a customer; an agent answers in the Earshot desk.'}</p>
<p>${ko ? '사이트에 넣는 코드:' : 'What a site adds:'}</p>
<pre>&lt;script src="/chat/widget.js" data-tenant="${tenant}" defer&gt;&lt;/script&gt;</pre>
${mail}</main>
<script src="/chat/widget.js" data-tenant="${tenant}" data-lang="${lang}" defer></script>
</body></html>`;
}
