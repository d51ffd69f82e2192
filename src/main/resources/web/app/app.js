// The live page: receives a snapshot on /api/ws after every poll, patches it into the page, reconnects with
// backoff, and says how fresh the data is.
import { patch } from './dom.js';
import { refreshTimes, durationText } from './format.js';
import { icon } from './icons.js';
import { forgetSeeds, record, seed } from './chart.js';
import * as view from './view.js';

const $ = (id) => document.getElementById(id);
const MIN_BACKOFF = 500, MAX_BACKOFF = 10000;

let latest = null;
let receivedAt = 0;
let backoff = MIN_BACKOFF;
let attempt = 0;
let retryAt = 0;
let socketOpen = false;

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
  connect();
});

// ---- Connection state ----------------------------------------------------------------------------------------

const CONNECTION = {
  live: ['border-emerald-300 bg-emerald-50 text-emerald-800', 'live'],
  reconnecting: ['border-amber-300 bg-amber-50 text-amber-900', 'reconnecting'],
  stale: ['border-amber-300 bg-amber-50 text-amber-900', 'stale'],
  unauthorized: ['border-red-300 bg-red-50 text-red-800', 'lock'],
};

function showConnection(state, text) {
  const el = $('connection');
  const [classes, ic] = CONNECTION[state];
  const html = `${icon(ic)}<span>${text}</span>`;
  if (el.dataset.state !== state) $('connection-announce').textContent = text;
  el.dataset.state = state;
  el.className = `inline-flex min-h-8 shrink-0 items-center gap-1.5 rounded-full border px-3 py-1 text-sm ${classes}`;
  patch(el, html);
  // A background tab's title says the verdict while live, and otherwise that the page is not current.
  document.title = state === 'live' && latest ? view.title(latest) : `${text} — PostgreSQL replication`;
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
  }
}

// ---- Rendering -----------------------------------------------------------------------------------------------

function render() {
  if (!latest) return;
  record(latest);
  patch($('summary'), view.summary(latest));
  patch($('pairs'), view.pairs(latest));
  patch($('alerts'), view.alerts(latest));
  patch($('databases'), view.databases(latest));
  refreshTimes(document.body);
}

// The deep-check buttons live inside re-rendered parts: one listener on the section, by delegation.
$('pairs').addEventListener('click', async (e) => {
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

// ---- WebSocket -----------------------------------------------------------------------------------------------

function retry() {
  socketOpen = false;
  attempt += 1;
  retryAt = Date.now() + backoff;
  setTimeout(connect, backoff);
  backoff = Math.min(backoff * 2, MAX_BACKOFF);
  updateConnection();
}

// Before opening the socket, one plain request tells whether credentials are needed (a failed WebSocket
// handshake does not say why). The history catalogue answers 200 to anyone authorized, even before the first poll
// (when /api/snapshot says 503).
async function authorized() {
  const response = await fetch('/api/history', { headers: headers(), credentials: 'same-origin' });
  if (response.status !== 401) return true;
  if ((response.headers.get('WWW-Authenticate') || '').startsWith('Bearer')) {
    sessionStorage.removeItem('pgrepmon-token');
    $('login').hidden = false;
    showConnection('unauthorized', 'API token required');
  } else {
    showConnection('unauthorized', 'Not authorized');
  }
  return false;
}

async function connect() {
  retryAt = 0;
  try {
    if (!(await authorized())) return;
  } catch (e) {
    retry();
    return;
  }
  const protocols = ['pgrepmon'];
  if (token()) protocols.push(`quarkus-http-upgrade#Authorization#${encodeURIComponent(`Bearer ${token()}`)}`);
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`, protocols);
  ws.onopen = () => {
    socketOpen = true;
    backoff = MIN_BACKOFF;
    attempt = 0;
    forgetSeeds();
  };
  ws.onmessage = (e) => {
    latest = JSON.parse(e.data);
    receivedAt = Date.now();
    seed(latest.pairs.map((p) => p.name), fetchJson).then((fetched) => fetched && render());
    render();
    updateConnection();
  };
  ws.onclose = retry;
}

setInterval(() => {
  updateConnection();
  refreshTimes(document.body);
}, 1000);

connect();
