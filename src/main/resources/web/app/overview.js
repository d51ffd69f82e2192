// The overview: the whole fleet on one screen, from /api/ws?view=overview (a line per pair and database). Pure
// functions of the overview and the view's state (state.js); app.js patches their output into the page.
import { ago, bytes, bytesText, count, esc, muted, number } from './format.js';
import { badge, icon } from './icons.js';
import { COLUMNS, pageOf, selectDatabases, selectPairs } from './state.js';
import { card, eta, initialCopy, lagTime, miniStateBar, table, td, VERDICTS, worstOf } from './view.js';

export const pairHref = (name) => `#/pairs/${encodeURIComponent(name)}`;
export const databaseHref = (name) => `#/databases/${encodeURIComponent(name)}`;

// ---- Summary cards -------------------------------------------------------------------------------------------

// A list of names as a count, the names one click away: a card never grows with the fleet.
function names(list, what) {
  if (list.length <= 2) return esc(list.join(', '));
  return `<details><summary class="cursor-pointer rounded focus-visible:outline-2 focus-visible:outline-sky-700">${count(list.length)} ${esc(what)}</summary>
    <ul class="mt-1 max-h-40 overflow-y-auto">${list.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></details>`;
}

export function summary(o) {
  const m = o.summary;
  const byRole = (role) => o.databases.filter((d) => d.role === role);
  const up = (dbs) => dbs.filter((d) => d.reachable).length;
  const sources = byRole('source'), targets = byRole('target');
  const worst = o.pairs.find((p) => p.name === m.worstLagPair);
  const firing = o.alerts.active.filter((a) => a.state === 'firing');
  const pending = o.alerts.active.length - firing.length;
  const healthyPairs = o.pairs.filter((p) => p.status === 'healthy').length;
  const ready = o.pairs.filter((p) => p.verdict === 'ready').length;
  const roleStatus = (dbs) => (dbs.some((d) => !d.reachable) ? 'down' : worstOf(dbs.map((d) => d.status)));
  const databases = ['healthy', 'warning', 'critical', 'down'].map((k) => `<span class="whitespace-nowrap">${count(m[k])} ${k}</span>`).join(' · ');
  return [
    card('Overall', badge(o.status), `${databases} <span class="sr-only">databases</span>`, o.status),
    card('Sources', count(sources.length), `${count(up(sources))} reachable`, roleStatus(sources)),
    card('Targets', count(targets.length), `${count(up(targets))} reachable`, roleStatus(targets)),
    card('Pairs', count(o.pairs.length), `${count(healthyPairs)} healthy · ${count(ready)} ready to cut over`, worstOf(o.pairs.map((p) => p.status))),
    card('Worst lag', worst ? `${bytes(worst.lagBytes)} <span class="text-sm font-normal text-slate-600">· ${lagTime(worst)}</span>` : muted('none'),
      !worst ? 'no pair' : worst.lagBytes ? `<a class="underline" href="${pairHref(worst.name)}">${esc(worst.name)}</a>` : 'every pair caught up', worst ? worst.status : null),
    card('Slots at risk', count(o.slotsAtRisk.length), o.slotsAtRisk.length ? names(o.slotsAtRisk, 'slots') : `of ${count(o.slots)} slots`,
      o.slotsAtRisk.length ? 'warning' : 'healthy'),
    card('Active alerts', count(firing.length), pending ? `${count(pending)} pending` : `${count(o.alerts.recent)} recently resolved`,
      firing.length ? worstOf(firing.map((a) => a.severity)) : pending ? 'warning' : 'healthy'),
    card('Last update', ago(o.takenAt), `poll took ${esc(o.tookMillis)} ms · every ${esc(Math.round(o.intervalMillis / 100) / 10)} s`),
  ].join('');
}

// ---- Pairs table ---------------------------------------------------------------------------------------------

// The lag of the last minutes as a line; its scale is the pair's own peak, which the label says.
function sparkline(p, seconds) {
  const points = (p.spark || []).map((v, i) => [i, v]).filter(([, v]) => v !== null);
  if (points.length < 2) return muted('—', 'not enough history yet');
  const n = p.spark.length - 1;
  const xy = points.map(([i, v]) => `${(i / n * 96 + 2).toFixed(1)},${(22 - v / 100 * 20).toFixed(1)}`).join(' ');
  return `<svg viewBox="0 0 100 24" preserveAspectRatio="none" class="h-6 w-24 text-sky-700" role="img"
    aria-label="Lag over the last ${esc(Math.round(seconds / 60))} min, peak ${esc(bytesText(p.lagPeak || 0))}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke" points="${xy}"/></svg>`;
}

const SHORT_VERDICTS = { ready: 'Ready', 'not-ready': 'Not ready', unknown: 'Unknown' };

function verdictCell(p) {
  if (!p.verdict) return muted('not judged yet');
  const [status] = VERDICTS[p.verdict] || VERDICTS.unknown;
  return `${badge(status, SHORT_VERDICTS[p.verdict] || p.verdict)}<div class="mt-0.5 text-xs tabular-nums text-slate-600">${number(p.passedChecks)} of ${number(p.checks)} checks pass</div>`;
}

function healthCell(p) {
  const reason = p.reason
    ? `<div class="mt-0.5 max-w-56 truncate text-xs text-slate-700" title="${esc(p.reason)}">${esc(p.reason)}${p.reasons > 1 ? ` (+${p.reasons - 1})` : ''}</div>` : '';
  return `<span data-field="health">${badge(p.status)}</span>${reason}`;
}

function catchUp(p) {
  const copy = initialCopy(p.tableStates);
  if (copy) return copy[0];
  if (!p.trend) return muted('not known yet');
  return eta({ direction: p.trend, etaSeconds: p.etaSeconds ?? null, text: '' })[0];
}

const HEADS = [
  ['name', 'Pair'], ['health', 'Health'], ['verdict', 'Cutover'], ['lag', 'Lag'], ['lagtime', 'Lag (time)'],
  ['eta', 'Catch-up'], ['tables', 'Tables'], [null, 'Last 15 min'],
];

function head(state) {
  return HEADS.map(([column, label]) => {
    if (!column) return { label: esc(label) };
    const active = state.sort === column;
    const sort = active ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    const arrow = active ? (state.dir === 'asc' ? '▲' : '▼') : '';
    return {
      sort,
      label: `<button type="button" data-sort="${column}" class="inline-flex items-center gap-1 rounded uppercase hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-700">${esc(label)}<span aria-hidden="true" class="w-2">${arrow}</span></button>`,
    };
  });
}

function pager(kind, at, total, all, size) {
  if (total <= size) return `<p class="text-xs text-slate-600" data-part="${kind}-count">${count(total)} of ${count(all)} ${kind}</p>`;
  const button = (page, label, disabled) => `<button type="button" data-${kind}-page="${page}" ${disabled ? 'disabled' : ''}
    class="rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-sky-700">${label}</button>`;
  return `<nav class="flex flex-wrap items-center gap-2" aria-label="Pages of ${esc(kind)}">
    ${button(at.page - 1, '← Previous', at.page <= 1)}
    <span class="text-xs text-slate-700" data-part="${kind}-count">${count(at.from)}–${count(at.from + at.items.length - 1)} of ${count(total)} ${kind}${total < all ? ` (${count(all)} in all)` : ''} · page ${count(at.page)} of ${count(at.pages)}</span>
    ${button(at.page + 1, 'Next →', at.page >= at.pages)}</nav>`;
}

// The pairs' part as {frame, rows}: the frame is the table without its rows (heads, pager), the rows are patched
// into its body cell by cell (dom.js patchRows).
export function pairs(o, state) {
  if (!o.pairs.length) return { frame: `<p class="text-slate-600">No subscription on a target matches a slot on a source yet.</p>`, rows: [] };
  const selected = selectPairs(o.pairs, state);
  const at = pageOf(selected, state.page, state.size);
  const down = new Set(o.databases.filter((d) => !d.reachable).map((d) => d.name));
  const rows = at.items.map((p) => ({
    key: p.name,
    open: `<tr data-key="${esc(p.name)}" data-pair="${esc(p.name)}">`,
    cells: [
      td(`<a href="${pairHref(p.name)}" class="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-700">${esc(p.name)}</a>
      <div class="whitespace-nowrap text-xs text-slate-600">${esc(p.sourceDatabase ?? '?')} → ${esc(p.targetDatabase)}${p.missingTables ? ` · <span class="text-red-700">${count(p.missingTables)} tables not subscribed</span>` : ''}</div>`),
      td(healthCell(p)),
      td(verdictCell(p), 'whitespace-nowrap', 'data-field="verdict"'),
      td(bytes(p.lagBytes), 'whitespace-nowrap text-right', 'data-field="lag-bytes"'),
      td(lagTime(p), 'whitespace-nowrap text-right', 'data-field="lag-seconds"'),
      td(catchUp(p), 'whitespace-nowrap', 'data-field="eta"'),
      td(down.has(p.targetDatabase) ? muted('not known', 'the target is unreachable') : miniStateBar(p.tableStates), 'min-w-28', 'data-field="tables"'),
      td(sparkline(p, o.sparkSeconds)),
    ],
  }));
  const body = rows.length ? table('Pairs', head(state), null, 'pairs-table')
    : `<p class="rounded border border-slate-200 bg-white p-3 text-sm text-slate-600">No pair matches the filters and the search.</p>`;
  return { frame: `${body}<div data-key="pager" class="mt-2" aria-live="polite">${pager('pairs', at, selected.length, o.pairs.length, state.size)}</div>`, rows };
}

// ---- Alerts --------------------------------------------------------------------------------------------------

const ALERT_LIMIT = 10;
export function alerts(o) {
  const a = o.alerts;
  const notifiers = a.notifiers.filter((n) => n.lastError).map((n) => `<li class="flex gap-1.5 text-red-700">${icon('bell', 'size-3.5 mt-0.5')}<span>Webhook ${esc(n.name)}: ${esc(n.lastError)} (${ago(n.lastErrorAt)})</span></li>`).join('');
  const subjectLink = (x) => (x.kind === 'pair' ? pairHref(x.subject) : databaseHref(x.subject.split('/')[0]));
  const list = a.active.length
    ? table('Active alerts', [{ label: 'Subject' }, { label: 'Severity' }, { label: 'State' }, { label: 'Since' }, { label: 'Reasons' }],
      a.active.slice(0, ALERT_LIMIT).map((x) => `<tr data-key="${esc(x.kind)}/${esc(x.subject)}/${esc(x.since)}">
        ${td(`${esc(x.kind)} <a class="font-medium underline-offset-2 hover:underline" href="${subjectLink(x)}">${esc(x.subject)}</a>`, 'whitespace-nowrap')}${td(badge(x.severity))}${td(esc(x.state))}${td(ago(x.since), 'whitespace-nowrap')}${td(esc(x.reasons.join('; ')))}</tr>`))
      + (a.active.length > ALERT_LIMIT ? `<p class="text-xs text-slate-600">… and ${count(a.active.length - ALERT_LIMIT)} more active alerts (every one in /api/overview).</p>` : '')
    : `<p class="flex items-center gap-1.5 text-slate-600">${icon('healthy', 'size-4 text-emerald-600')}No active alerts${a.recent ? ` · ${count(a.recent)} recently resolved` : ''}.</p>`;
  return list + (notifiers ? `<ul class="mt-2 space-y-1 text-sm">${notifiers}</ul>` : '');
}

// ---- Databases -----------------------------------------------------------------------------------------------

// The databases' part, as the pairs' is.
export function databases(o, state) {
  const selected = selectDatabases(o.databases, state);
  const at = pageOf(selected, state.dbPage, state.size);
  const rows = at.items.map((d) => ({
    key: d.name,
    open: `<tr data-key="${esc(d.name)}" data-database="${esc(d.name)}">`,
    cells: [
      td(`<a href="${databaseHref(d.name)}" class="inline-flex items-center gap-1 font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-700">${icon('database', 'size-3.5')}${esc(d.name)}</a>`, 'whitespace-nowrap'),
      td(`<span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium uppercase text-slate-700">${esc(d.role)}</span>`),
      td(`<span data-field="health">${badge(d.status, d.reachable ? undefined : 'Unreachable')}</span>`, 'whitespace-nowrap'),
      td(d.reason ? `<div class="max-w-md text-xs ${d.reachable ? 'text-slate-700' : 'text-red-800'}" data-field="${d.reachable ? 'reason' : 'error'}">${esc(d.reason)}${d.reasons > 1 ? ` (+${d.reasons - 1})` : ''}${d.reachable ? '' : ` · last success ${ago(d.lastSuccessAt)}`}</div>` : muted('—')),
      td(d.version ? `PostgreSQL ${esc(d.version)}${d.standby ? ' · standby' : ''}` : muted('not reached yet'), 'whitespace-nowrap'),
      td(`${esc(d.host)}:${esc(d.port)}/${esc(d.dbname)}`, 'whitespace-nowrap text-xs text-slate-600'),
    ],
  }));
  const body = rows.length ? table('Databases', ['Database', 'Role', 'Health', 'Problem', 'Server', 'Address'].map((label) => ({ label })), null, 'databases-table')
    : `<p class="rounded border border-slate-200 bg-white p-3 text-sm text-slate-600">No database matches the filters and the search.</p>`;
  return { frame: `${body}<div data-key="pager" class="mt-2" aria-live="polite">${pager('databases', at, selected.length, o.databases.length, state.size)}</div>`, rows };
}

export { COLUMNS };
