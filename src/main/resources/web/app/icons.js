// Icons from Bootstrap Icons, imported one by one as SVG markup (the bundler inlines only these) so they take the
// surrounding text colour. Health is always shown with an icon and a word as well as a colour.
import { esc } from './format.js';
import healthy from 'bootstrap-icons/icons/check-circle-fill.svg';
import warning from 'bootstrap-icons/icons/exclamation-triangle-fill.svg';
import critical from 'bootstrap-icons/icons/x-octagon-fill.svg';
import down from 'bootstrap-icons/icons/slash-circle-fill.svg';
import unknown from 'bootstrap-icons/icons/question-circle-fill.svg';
import live from 'bootstrap-icons/icons/wifi.svg';
import reconnecting from 'bootstrap-icons/icons/arrow-repeat.svg';
import stale from 'bootstrap-icons/icons/clock-history.svg';
import database from 'bootstrap-icons/icons/database.svg';
import arrow from 'bootstrap-icons/icons/arrow-right.svg';
import bell from 'bootstrap-icons/icons/bell-fill.svg';
import hourglass from 'bootstrap-icons/icons/hourglass-split.svg';
import catchingUp from 'bootstrap-icons/icons/graph-down-arrow.svg';
import fallingBehind from 'bootstrap-icons/icons/graph-up-arrow.svg';
import steady from 'bootstrap-icons/icons/dash-circle.svg';
import lock from 'bootstrap-icons/icons/lock-fill.svg';
import play from 'bootstrap-icons/icons/play-fill.svg';

const SVG = {
  healthy, warning, critical, down, unknown, live, reconnecting, stale, database, arrow, bell,
  hourglass, catchingUp, fallingBehind, steady, lock, play,
};

// Each icon's paths once in the document, as a <symbol>; an icon on the page is a <use> of it. A table of hundreds of
// badges then parses and compares two small elements per icon instead of the whole drawing, on every update.
function sprite() {
  const symbols = Object.entries(SVG).map(([name, svg]) => {
    const viewBox = /viewBox="([^"]+)"/.exec(svg)[1];
    const inner = svg.slice(svg.indexOf('>') + 1, svg.lastIndexOf('</svg>')).trim();
    return `<symbol id="icon-${name}" viewBox="${viewBox}">${inner}</symbol>`;
  }).join('');
  const holder = document.createElement('div');
  holder.innerHTML = `<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" class="absolute size-0 overflow-hidden">${symbols}</svg>`;
  document.body.prepend(holder.firstChild);
}
if (typeof document !== 'undefined') sprite();

// Decorative: the word next to it carries the meaning for screen readers.
export function icon(name, size = 'size-4') {
  return `<svg class="inline-block shrink-0 ${size}" fill="currentColor" aria-hidden="true"><use href="#icon-${name}"></use></svg>`;
}

// Colour, icon and word for a status of the snapshot (healthy, warning, critical, down) or of a cutover check.
export const TONES = {
  healthy: { word: 'Healthy', icon: 'healthy', badge: 'border-emerald-300 bg-emerald-50 text-emerald-800', text: 'text-emerald-700', bar: 'border-l-emerald-500' },
  warning: { word: 'Warning', icon: 'warning', badge: 'border-amber-300 bg-amber-50 text-amber-900', text: 'text-amber-700', bar: 'border-l-amber-500' },
  critical: { word: 'Critical', icon: 'critical', badge: 'border-red-300 bg-red-50 text-red-800', text: 'text-red-700', bar: 'border-l-red-600' },
  down: { word: 'Down', icon: 'down', badge: 'border-slate-400 bg-slate-200 text-slate-900', text: 'text-slate-800', bar: 'border-l-slate-700' },
  unknown: { word: 'Unknown', icon: 'unknown', badge: 'border-slate-300 bg-slate-50 text-slate-700', text: 'text-slate-600', bar: 'border-l-slate-400' },
};

export const tone = (status) => TONES[status] || TONES.unknown;

export function badge(status, word) {
  const t = tone(status);
  return `<span class="inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-semibold ${t.badge}" data-status="${esc(status)}">${icon(t.icon, 'size-3.5')}${esc(word ?? t.word)}</span>`;
}
