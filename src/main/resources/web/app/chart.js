// Lag over time per pair: seeded once from /api/history (the server's bounded ring buffer), then extended with
// every snapshot the WebSocket delivers, so the chart moves with the numbers without polling the history again.
import { bytesText, esc, number } from './format.js';

const WINDOW_MS = 60 * 60 * 1000;
const series = new Map(); // pair name -> [{t, v}]
const seeded = new Set();

// Resolves to true when it fetched something (the page then renders again).
export async function seed(pairNames, fetchJson) {
  const missing = pairNames.filter((name) => !seeded.has(name));
  if (!missing.length) return false;
  await Promise.all(missing.map(async (name) => {
    seeded.add(name);
    try {
      const body = await fetchJson(`/api/history?series=${encodeURIComponent(`pair/${name}/lag-bytes`)}&window=60m`);
      const points = (body && body.points) || [];
      const known = series.get(name) || [];
      const first = known.length ? known[0].t : Infinity;
      series.set(name, points.filter((p) => p.t < first).concat(known));
    } catch (e) {
      seeded.delete(name); // tried again with the next snapshot
    }
  }));
  return true;
}

// After a reconnect the server may have restarted: its history is fetched again.
export function forgetSeeds() {
  seeded.clear();
}

export function record(snapshot) {
  const t = Date.parse(snapshot.takenAt);
  for (const p of snapshot.pairs) {
    if (p.lagBytes === null || p.lagBytes === undefined) continue;
    const points = series.get(p.name) || [];
    if (!points.length || points[points.length - 1].t < t) points.push({ t, v: p.lagBytes });
    while (points.length && points[0].t < t - WINDOW_MS) points.shift();
    series.set(p.name, points);
  }
}

// A fixed-size SVG (the box never changes height, whatever the data), scaled to its container's width.
export function lagChart(name) {
  const points = series.get(name) || [];
  const frame = (inner, caption) => `<figure class="space-y-1">
    <div class="h-20 w-full rounded border border-slate-200 bg-slate-50">${inner}</div>
    <figcaption class="flex justify-between text-xs text-slate-600">${caption}</figcaption></figure>`;
  if (points.length < 2) return frame('', '<span>Lag over time: collecting…</span>');
  const w = 600, h = 80;
  const t0 = points[0].t, t1 = points[points.length - 1].t, span = Math.max(1, t1 - t0);
  const peak = Math.max(...points.map((p) => p.v));
  const max = Math.max(1, peak);
  const xy = points.map((p) => `${((p.t - t0) / span * w).toFixed(1)},${(h - 3 - p.v / max * (h - 8)).toFixed(1)}`);
  const minutes = Math.max(1, Math.round(span / 60000));
  const svg = `<svg viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" class="size-full text-sky-700" role="img"
      aria-label="Lag of ${esc(name)} over the last ${minutes} min, peak ${esc(bytesText(peak))}, now ${esc(bytesText(points[points.length - 1].v))}">
      <polygon fill="currentColor" fill-opacity="0.12" points="0,${h} ${xy.join(' ')} ${w},${h}"/>
      <polyline fill="none" stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke" points="${xy.join(' ')}"/></svg>`;
  return frame(svg, `<span>Lag over the last ${minutes} min</span><span title="${esc(number(peak))} bytes">peak ${esc(bytesText(peak))}</span>`);
}
