// The live page: receives what the current view needs on /api/ws after every poll (the fleet's overview, or one
// pair's or database's part of the snapshot), patches it into the page, reconnects with backoff, and says how fresh
// the data is. Where the page is and how the overview is sorted and filtered live in the URL (state.js).
import { patch, patchRows } from './dom.js';
import { durationText, esc, refreshTimes } from './format.js';
import { icon } from './icons.js';
import { forgetSeeds, record, seed } from './chart.js';
import * as view from './view.js';
import * as overview from './overview.js';
import { hashOf, route } from './state.js';

const $ = (id) => document.getElementById(id);
const MIN_BACKOFF = 500, MAX_BACKOFF = 10000;

let current = route();
let lastOverviewHash = '#/';
// The latest message of each view (the socket's query) and when it came, so that going back shows the overview at
// once, dimmed until its socket is live again.
const cache = new Map();
let latest = null;
let receivedAt = 0;
let socket = null;
// The view the connection serves, and its generation: a navigation to another view starts a new one, and whatever
// an older one was still doing (an access check, a retry timer, a socket) is dropped when it comes back.
let target = null;
let generation = 0;
let retryTimer = 0;
let backoff = MIN_BACKOFF;
let attempt = 0;
let retryAt = 0;
let socketOpen = false;

// A part whose markup is the same as last time is left alone: patching it would find nothing to change, after
// parsing and walking all of it.
const drawn = new WeakMap();
function show(el, html) {
  if (drawn.get(el) === html) return;
  drawn.set(el, html);
  patch(el, html);
}

// A part with a long table: its frame as above, then its rows cell by cell.
function showTable(el, { frame, rows }) {
  show(el, frame);
  const body = el.querySelector('tbody[data-rows]');
  if (body) patchRows(body, rows);
}

// ---- Access control ------------------------------------------------------------------------------------------
// With basic authentication the browser asks for the password on the first 401 and sends it on later requests,
// the WebSocket handshake included. With an API token the page asks for it, keeps it in this tab, and sends it as a
// header; for the WebSocket, whose browser API cannot set headers, as a sub-protocol that the server turns back into
// the header, so the token never appears in a URL.
const token = () => sessionStorage.getItem('pgrepmon-token');
const headers = () => (token() ? { Authorization: `Bearer ${token()}` } : {});

async function fetchJson(path) {
  const response = await fetch(path, { headers: headers(), credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('pgrepmon-token', $('token').value.trim());
  $('token').value = '';
  $('login').hidden = true;
  generation += 1;
  clearTimeout(retryTimer);
  connect();
});

// ---- Connection state ----------------------------------------------------------------------------------------

const CONNECTION = {
  live: ['border-emerald-300 bg-emerald-50 text-emerald-800', 'live'],
  reconnecting: ['border-amber-300 bg-amber-50 text-amber-900', 'reconnecting'],
  stale: ['border-amber-300 bg-amber-50 text-amber-900', 'stale'],
  connecting: ['border-slate-300 bg-slate-50 text-slate-700', 'reconnecting'],
  unauthorized: ['border-red-300 bg-red-50 text-red-800', 'lock'],
};

function showConnection(state, text) {
  const el = $('connection');
  const [classes, ic] = CONNECTION[state];
  if (el.dataset.state !== state) {
    $('connection-announce').textContent = text;
    el.dataset.state = state;
  }
  const className = `inline-flex min-h-8 shrink-0 items-center gap-1.5 rounded-full border px-3 py-1 text-sm ${classes}`;
  if (el.className !== className) el.className = className;
  show(el, `${icon(ic)}<span>${text}</span>`);
  // A background tab's title says the verdict while live, and otherwise that the page is not current.
  const title = state === 'live' && latest ? view.title(latest) : `${text} — PostgreSQL replication`;
  if (document.title !== title) document.title = title;
  // Old data stays visible but dimmed, so an operator never mistakes it for the present.
  $('main').classList.toggle('opacity-60', state !== 'live' && latest !== null);
}

// Called every second and on every change: what the header says follows from the socket and the last snapshot.
function updateConnection() {
  if (socketOpen && latest) {
    const age = Date.now() - receivedAt;
    if (age > 2 * latest.intervalMillis) {
      showConnection('stale', `Stale: no update for ${durationText(age / 1000)}`);
    } else {
      showConnection('live', 'Live');
    }
  } else if (retryAt) {
    const wait = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
    showConnection('reconnecting', `Reconnecting${wait ? ` in ${wait} s` : '…'} (attempt ${attempt})`);
  } else if ($('connection').dataset.state !== 'unauthorized') {
    showConnection('connecting', 'Connecting…');
  }
}

// ---- Navigation and rendering --------------------------------------------------------------------------------

const viewOf = (r) => (r.page === 'pair' ? `pair=${encodeURIComponent(r.name)}`
  : r.page === 'database' ? `database=${encodeURIComponent(r.name)}` : 'view=overview');

// The controls show the URL's state; a field being typed in is left alone.
function showControls(state) {
  const form = $('controls');
  if (document.activeElement !== $('q')) $('q').value = state.q;
  for (const box of form.querySelectorAll('input[type=checkbox]')) box.checked = state[box.name].includes(box.value);
  $('size').value = String(state.size);
}

function render() {
  performance.mark('render-start');
  const r = current;
  $('overview').hidden = r.page !== 'overview';
  $('detail').hidden = r.page === 'overview';
  if (r.page === 'overview') {
    if (latest) {
      show($('summary'), overview.summary(latest));
      showTable($('pairs'), overview.pairs(latest, r.state));
      show($('alerts'), overview.alerts(latest));
      showTable($('databases'), overview.databases(latest, r.state));
      refreshTimes($('overview'));
    }
  } else if (!latest) {
    show($('detail-body'), `<p class="text-slate-600">Loading ${r.page === 'pair' ? 'pair' : 'database'} ${esc(r.name)}…</p>`);
  } else {
    if (r.page === 'pair') record(latest);
    show($('detail-body'), r.page === 'pair' ? view.pairPage(latest, r.name) : view.databasePage(latest, r.name));
    refreshTimes($('detail-body'));
  }
  performance.measure('render', 'render-start');
  updateConnection();
}

// A change of the overview's state from the controls: the URL changes (without a new history entry for each key
// typed) and the page follows.
function setState(change) {
  const next = { ...current.state, ...change };
  history.replaceState(null, '', hashOf(next));
  navigate();
}

$('controls').addEventListener('submit', (e) => e.preventDefault());
$('q').addEventListener('input', () => setState({ q: $('q').value.trim(), page: 1, dbPage: 1 }));
$('size').addEventListener('change', () => setState({ size: Number($('size').value), page: 1, dbPage: 1 }));
$('controls').addEventListener('change', (e) => {
  if (e.target.type !== 'checkbox') return;
  const picked = [...$('controls').querySelectorAll(`input[name=${e.target.name}]:checked`)].map((b) => b.value);
  setState({ [e.target.name]: picked, page: 1, dbPage: 1 });
});

// Sorting and paging buttons live inside re-rendered parts: one listener each, by delegation.
$('pairs').addEventListener('click', (e) => {
  const sort = e.target.closest('[data-sort]');
  if (sort) {
    const column = sort.dataset.sort;
    const state = current.state;
    const dir = state.sort === column ? (state.dir === 'asc' ? 'desc' : 'asc') : overview.COLUMNS[column].dir;
    setState({ sort: column, dir, page: 1 });
    return;
  }
  const page = e.target.closest('[data-pairs-page]');
  if (page) setState({ page: Number(page.dataset.pairsPage) });
});
$('databases').addEventListener('click', (e) => {
  const page = e.target.closest('[data-databases-page]');
  if (page) setState({ dbPage: Number(page.dataset.databasesPage) });
});

$('detail-body').addEventListener('click', async (e) => {
  const button = e.target.closest('[data-action="deep-check"]');
  if (!button) return;
  const status = button.parentElement.querySelector('[data-part="deep-check-status"]');
  status.textContent = 'running…';
  button.disabled = true;
  try {
    const response = await fetch('/api/cutover/deep-check', { method: 'POST', headers: headers(), credentials: 'same-origin' });
    status.textContent = response.ok ? 'done: the next update includes them' : `failed (HTTP ${response.status})`;
  } catch (err) {
    status.textContent = `failed: ${err.message}`;
  } finally {
    button.disabled = false;
  }
});

// Follows the URL: the page shows what it names at once from what it has, and the socket is switched to that view.
function navigate() {
  const before = current;
  current = route();
  if (current.page === 'overview') {
    lastOverviewHash = location.hash || '#/';
    showControls(current.state);
  }
  $('back').setAttribute('href', lastOverviewHash);
  const wanted = viewOf(current);
  if (wanted !== target) {
    // Another view: its socket is not open yet, and what the cache has of it is as old as it is.
    const cached = cache.get(wanted);
    latest = cached ? cached.message : null;
    receivedAt = cached ? cached.at : 0;
    socketOpen = false;
  }
  setTitle();
  render();
  if (before.page !== current.page || before.name !== current.name) {
    // A new page: its heading takes the focus (a screen reader says where it is), back on the overview the link
    // that was followed does.
    if (current.page === 'overview') {
      const list = before.page === 'pair' ? '#pairs' : '#databases';
      const link = before.name && document.querySelector(`${list} tr[data-key="${CSS.escape(before.name)}"] a`);
      if (link) link.focus();
    } else {
      window.scrollTo(0, 0);
      $('detail-title').focus();
    }
  }
  if (wanted !== target) {
    target = wanted;
    generation += 1;
    const old = socket;
    socket = null;
    if (old) old.close();
    clearTimeout(retryTimer);
    retryAt = 0;
    backoff = MIN_BACKOFF;
    connect();
  }
}

// The page's own heading, outside the parts that wait for data, so that it can take the focus at once.
function setTitle() {
  if (current.page === 'overview') return;
  $('detail-title').textContent = `${current.page === 'pair' ? 'Pair' : 'Database'} ${current.name}`;
}

window.addEventListener('hashchange', navigate);

// The skip link moves the focus to the page's first heading without touching the URL, which holds the view.
$('skip').addEventListener('click', (e) => {
  e.preventDefault();
  $(current.page === 'overview' ? 'pairs-title' : 'detail-title').focus();
});

// ---- WebSocket -----------------------------------------------------------------------------------------------

function retry() {
  socketOpen = false;
  socket = null;
  attempt += 1;
  retryAt = Date.now() + backoff;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(connect, backoff);
  backoff = Math.min(backoff * 2, MAX_BACKOFF);
  updateConnection();
}

// Before opening the socket, one plain request tells whether credentials are needed (a failed WebSocket
// handshake does not say why). The history catalogue answers 200 to anyone authorized, even before the first poll
// (when /api/snapshot says 503).
// A token is forgotten only when it is the one refused (the operator may have typed a new one meanwhile).
async function authorized(sent) {
  const response = await fetch('/api/history', {
    headers: sent ? { Authorization: `Bearer ${sent}` } : {}, credentials: 'same-origin', signal: AbortSignal.timeout(10000),
  });
  if (response.status !== 401) return true;
  if ((response.headers.get('WWW-Authenticate') || '').startsWith('Bearer')) {
    if (token() === sent) sessionStorage.removeItem('pgrepmon-token');
    $('login').hidden = false;
    showConnection('unauthorized', 'API token required');
  } else {
    showConnection('unauthorized', 'Not authorized');
  }
  return false;
}

async function connect() {
  retryAt = 0;
  const mine = generation;
  const wanted = target;
  const sent = token();
  updateConnection();
  let allowed;
  try {
    allowed = await authorized(sent);
  } catch (e) {
    allowed = null;
  }
  // The page moved on to another view (or the login started anew) while this asked: that has its own connection.
  if (mine !== generation || socket) return;
  if (allowed === null) {
    retry();
    return;
  }
  if (!allowed) return;
  const protocols = ['pgrepmon'];
  if (sent) protocols.push(`quarkus-http-upgrade#Authorization#${encodeURIComponent(`Bearer ${sent}`)}`);
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws?${wanted}`, protocols);
  socket = ws;
  ws.onopen = () => {
    if (socket !== ws) return;
    socketOpen = true;
    backoff = MIN_BACKOFF;
    attempt = 0;
    forgetSeeds();
  };
  ws.onmessage = (e) => {
    if (socket !== ws) return;
    performance.mark('message');
    latest = JSON.parse(e.data);
    performance.measure('parse', 'message');
    receivedAt = Date.now();
    cache.set(wanted, { message: latest, at: receivedAt });
    if (current.page === 'pair') seed(latest.pairs.map((p) => p.name), fetchJson).then((fetched) => fetched && socket === ws && render());
    render();
    // From the message to the page drawn (parse, markup, patch, style, layout, paint): the browser tests' render
    // budget reads it. The frame after the render is where the browser draws it.
    requestAnimationFrame(() => setTimeout(() => performance.measure('update', 'message')));
  };
  ws.onclose = () => {
    if (socket === ws) retry();
  };
}

setInterval(() => {
  updateConnection();
  refreshTimes(document.body);
}, 1000);

navigate();
