// Human units with the exact value on hover. Every function returns escaped HTML.

export const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const muted = (text, title) => `<span class="text-slate-500"${title ? ` title="${esc(title)}"` : ''}>${esc(text)}</span>`;

export function bytesText(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Math.abs(n), u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  const sign = n < 0 ? '−' : '';
  return `${sign}${u === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

// One formatter each, made once: toLocaleString() builds a new one on every call, which a table of hundreds of
// numbers on every update feels.
const NUMBER = new Intl.NumberFormat('en-US');
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
export const number = (n) => NUMBER.format(n);

export function bytes(n, unknown = 'unknown') {
  if (n === null || n === undefined) return muted(unknown, 'not known');
  return `<span class="tabular-nums" title="${esc(number(n))} bytes" data-bytes="${esc(n)}">${bytesText(n)}</span>`;
}

export function durationText(s) {
  if (s < 1) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 172800) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function seconds(v, unknown = 'unknown') {
  if (v === null || v === undefined) return muted(unknown, 'not known');
  return `<span class="tabular-nums" title="${esc(v.toFixed(3))} seconds" data-seconds="${esc(v)}">${durationText(v)}</span>`;
}

export function agoText(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 172800) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

// A relative time that the page's clock refreshes every second (see refreshTimes), so the markup itself does not
// change from one second to the next and re-rendering does not touch it.
export function ago(iso, never = 'never') {
  if (!iso) return muted(never);
  return `<time class="tabular-nums" datetime="${esc(iso)}" title="${esc(DATE_TIME.format(new Date(iso)))} (${esc(iso)})"></time>`;
}

export function refreshTimes(root, now = Date.now()) {
  for (const t of root.querySelectorAll('time[datetime]')) {
    const text = agoText(now - Date.parse(t.getAttribute('datetime')));
    if (t.textContent !== text) t.textContent = text;
  }
}

export const count = (n) => `<span class="tabular-nums">${esc(number(n))}</span>`;

export const rate = (bytesPerSecond) => bytesPerSecond === null || bytesPerSecond === undefined
  ? muted('—', 'not measured yet')
  : `${bytes(Math.round(bytesPerSecond))}/s`;

export const yesNo = (v) => v === null || v === undefined ? muted('n/a', 'not offered by this server version') : (v ? 'yes' : 'no');

export const lsn = (v) => v ? `<code class="text-xs">${esc(v)}</code>` : muted('—');

export { muted };
