// Markup for each part of the page, from one snapshot (the JSON of /api/snapshot). Pure functions of their input;
// app.js patches their output into the page.
import { ago, bytes, bytesText, count, esc, lsn, muted, number, rate, seconds, yesNo } from './format.js';
import { badge, icon, tone } from './icons.js';
import { lagChart } from './chart.js';

const STATE_NAMES = { i: 'initializing', d: 'copying data', f: 'copy finished', s: 'synchronized', r: 'ready' };
const STATE_COLOURS = { i: 'fill-slate-400', d: 'fill-sky-500', f: 'fill-indigo-500', s: 'fill-violet-500', r: 'fill-emerald-500' };
const STATE_DOTS = { i: 'bg-slate-400', d: 'bg-sky-500', f: 'bg-indigo-500', s: 'bg-violet-500', r: 'bg-emerald-500' };

// Wide tables scroll sideways in their own box; the box is focusable so the keyboard can scroll it too.
const scroll = (table, label) => `<div class="overflow-x-auto rounded border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-sky-700" tabindex="0" role="region" aria-label="${esc(label)}">${table}</div>`;
// A heading cell is its text, or {label, sort} for a sortable column (sort: ascending, descending or none).
const th = (cells) => `<thead class="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600"><tr>${
  cells.map((c) => (typeof c === 'string' ? { label: c } : c)).map((c) => `<th scope="col"${c.sort ? ` aria-sort="${c.sort}"` : ''} class="whitespace-nowrap px-3 py-2 font-semibold">${c.label}</th>`).join('')}</tr></thead>`;
// The cells' padding is the table's rule, not each cell's classes: a page of rows parses less on every update.
export const td = (content, extra = '', attrs = '') => `<td${extra ? ` class="${extra}"` : ''}${attrs ? ` ${attrs}` : ''}>${content}</td>`;
// Rows given as markup are part of the table's markup; rows given as null are left to dom.js patchRows, which owns the
// body (data-own-content: patching the table never touches them).
export const table = (label, head, rows, key) => (key ? `<div data-key="${key}">` : '<div>')
  + scroll(`<table class="min-w-full divide-y divide-slate-200 text-sm [&_td]:px-3 [&_td]:py-2 [&_td]:align-top">${th(head)}${
    rows ? `<tbody class="divide-y divide-slate-100">${rows.join('')}</tbody>` : '<tbody class="divide-y divide-slate-100" data-rows data-own-content></tbody>'}</table>`, label) + '</div>';

// A part that may be empty keeps its place (hidden while empty), so the parts after it are matched by key, not by
// position, when it comes and goes: their state (an opened checklist) is kept.
const slot = (key, html) => `<div data-key="${key}" class="empty:hidden space-y-3">${html}</div>`;

export function reasons(health, extra = '') {
  if (!health || !health.reasons.length) return '';
  const t = tone(health.status);
  return `<ul class="space-y-0.5 text-sm ${t.text} ${extra}">${health.reasons.map((r) => `<li class="flex gap-1.5">${icon(t.icon, 'size-3.5 mt-0.5')}<span>${esc(r)}</span></li>`).join('')}</ul>`;
}

// ---- Summary cards -------------------------------------------------------------------------------------------

// Room for three lines of detail whatever the numbers, so the cards hold still as they change; never cut: a longer
// text makes its row taller rather than hiding a number.
export function card(label, value, detail, status) {
  const accent = status ? `border-l-4 ${tone(status).bar}` : '';
  return `<div class="min-h-32 min-w-0 rounded-lg border border-slate-200 bg-white p-3 shadow-sm ${accent}" data-card="${esc(label)}">
    <div class="text-xs font-medium uppercase tracking-wide text-slate-600">${esc(label)}</div>
    <div class="mt-1 break-words text-lg font-semibold leading-tight">${value}</div>
    <div class="mt-0.5 break-words text-xs text-slate-600">${detail}</div></div>`;
}

// The tab's title carries the verdict, so a dashboard left in a background tab still says how things are.
export function title(s) {
  const worst = s.pairs.find((p) => p.name === s.summary.worstLagPair);
  return `${tone(s.status).word}${worst && worst.lagBytes ? ` · ${bytesText(worst.lagBytes)} behind` : ''} — PostgreSQL replication`;
}

const ORDER = ['healthy', 'warning', 'critical', 'down'];
export function worstOf(statuses) {
  return statuses.reduce((w, x) => (ORDER.indexOf(x) > ORDER.indexOf(w) ? x : w), 'healthy');
}

// ---- Pairs ---------------------------------------------------------------------------------------------------

export const VERDICTS = {
  ready: ['healthy', 'Ready to cut over'],
  'not-ready': ['critical', 'Not ready to cut over'],
  unknown: ['unknown', 'Cutover: not known yet'],
};
const RESULTS = { pass: ['healthy', 'Pass'], fail: ['critical', 'Fail'], unknown: ['unknown', 'Unknown'] };

function metric(label, value, detail = '', field = '') {
  return `<div class="min-w-0"${field ? ` data-field="${field}"` : ''}>
    <div class="text-xs font-medium uppercase tracking-wide text-slate-600">${esc(label)}</div>
    <div class="text-xl font-semibold leading-tight">${value}</div>
    <div class="line-clamp-2 min-h-8 text-xs text-slate-600">${detail}</div></div>`;
}

export function lagTime(p) {
  if (p.lagSeconds === null || p.lagSeconds === undefined) return seconds(null);
  return `${p.lagMethod === 'lower-bound' ? '≥ ' : ''}${seconds(p.lagSeconds)}`;
}

// A few words for the card per lag method code; the estimator's sentence shows on hover.
const METHODS = {
  heartbeat: 'by the heartbeat row', 'caught-up': 'caught up', 'replay-lag': "by the walsender's replay_lag",
  'lower-bound': 'lower bound: the slot is not moving', 'apply-rate': 'bytes behind ÷ apply rate', unknown: 'not measurable yet',
};
function method(p) {
  return `<abbr class="cursor-help no-underline" title="${esc(p.lagMethodText || '')}">${esc(METHODS[p.lagMethod] || p.lagMethod || '')}</abbr>`;
}

export function eta(trend) {
  if (!trend || trend.direction === 'unknown') return [muted('not known yet'), esc(trend ? trend.text : 'no trend yet')];
  const word = { 'caught-up': 'Caught up', 'catching-up': 'Catching up', 'falling-behind': 'Falling behind', steady: 'Steady' }[trend.direction] || trend.direction;
  const ic = { 'caught-up': 'healthy', 'catching-up': 'catchingUp', 'falling-behind': 'fallingBehind', steady: 'steady' }[trend.direction] || 'steady';
  const value = trend.direction === 'catching-up' && trend.etaSeconds !== null ? `in ${seconds(trend.etaSeconds)}` : esc(word);
  return [`<span class="inline-flex items-center gap-1.5">${icon(ic)}${value}</span>`, `<span title="${esc(trend.text)}">${esc(trend.text)}</span>`];
}

// While tables are still in their initial copy, the apply slot may well be caught up: the copy is what to wait for.
function tableCounts(states) {
  const entries = Object.entries(states || {});
  return { entries, total: entries.reduce((n, [, v]) => n + v, 0), ready: (states && states.r) || 0 };
}

export function initialCopy(states) {
  const { total, ready } = tableCounts(states);
  if (!total || ready === total) return null;
  return [`<span class="inline-flex items-center gap-1.5">${icon('hourglass')}Initial copy</span>`, `${ready} of ${total} tables ready`];
}

// The table states as one bar of coloured parts, its words as its label; `height` in the viewBox's units.
function statesSvg(entries, total, height, size) {
  let x = 0;
  const rects = entries.map(([k, v]) => {
    const w = v / total * 100;
    const r = `<rect x="${x.toFixed(2)}" width="${w.toFixed(2)}" height="${height}" class="${STATE_COLOURS[k] || 'fill-slate-300'}"/>`;
    x += w;
    return r;
  }).join('');
  const words = entries.map(([k, v]) => `${v} ${STATE_NAMES[k] || k}`).join(', ');
  return `<svg viewBox="0 0 100 ${height}" preserveAspectRatio="none" class="${size} w-full overflow-hidden rounded" role="img" aria-label="Tables: ${esc(words)}">${rects}</svg>`;
}

// The bar with no legend, for a line of the overview.
export function miniStateBar(states) {
  const { entries, total, ready } = tableCounts(states);
  if (!total) return muted('none');
  return `${statesSvg(entries, total, 6, 'h-1.5')}
    <div class="mt-1 whitespace-nowrap text-xs tabular-nums text-slate-700">${number(ready)} of ${number(total)} ready</div>`;
}

function stateBar(states, targetReachable) {
  const { entries, total } = tableCounts(states);
  if (!targetReachable) return muted('not known: the target is unreachable');
  if (!total) return muted('no tables subscribed');
  const legend = entries.map(([k, v]) => `<span class="inline-flex items-center gap-1"><span class="size-2 rounded-full ${STATE_DOTS[k] || 'bg-slate-300'}"></span>${esc(STATE_NAMES[k] || k)} ${count(v)}</span>`).join('');
  return `${statesSvg(entries, total, 8, 'h-2')}
    <div class="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700">${legend}</div>`;
}

function copyProgress(copy) {
  if (!copy) return muted('waiting for a sync worker');
  const pct = copy.percent === null ? null : Math.min(100, copy.percent);
  const label = `${pct === null ? '' : `≈${esc(pct)}% · `}${bytes(copy.bytesProcessed)}${copy.sourceBytes === null ? '' : ` of ≈${bytes(copy.sourceBytes)}`} · ${count(copy.tuplesProcessed)} rows`;
  return `<div class="flex items-center gap-2"><progress max="100" value="${esc(pct ?? 0)}" aria-label="initial copy ${pct === null ? 'progress unknown' : `${esc(pct)}%`}"
      class="h-2 w-28 shrink-0 overflow-hidden rounded bg-slate-200 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-sky-500 [&::-moz-progress-bar]:bg-sky-500"></progress>
    <span class="text-xs text-slate-700">${label}</span></div>`;
}

// A database with thousands of tables must not make thousands of rows on every update: the ones being copied come
// first, then the first others, and a line says how many more there are.
const LIST_LIMIT = 50;
const more = (n, what) => (n > 0 ? `<p class="text-xs text-slate-600">… and ${count(n)} more ${esc(what)} (all of them in /api/snapshot).</p>` : '');

export function syncTables(tables) {
  const pending = (tables || []).filter((t) => t.state !== 'r').sort((a, b) => (b.copy ? 1 : 0) - (a.copy ? 1 : 0));
  if (!pending.length) return '';
  return table('Tables in their initial copy', ['Table', 'State', 'Since', 'Initial copy'], pending.slice(0, LIST_LIMIT).map((t) => `<tr data-key="${esc(t.schema)}.${esc(t.name)}">
    ${td(`${esc(t.schema)}.${esc(t.name)}`, 'whitespace-nowrap font-medium')}${td(esc(t.stateName), 'whitespace-nowrap')}${td(ago(t.stateSince), 'whitespace-nowrap')}${td(copyProgress(t.copy))}</tr>`))
    + more(pending.length - LIST_LIMIT, 'tables not ready yet');
}

// The content comparison's progress: it can run for minutes on large tables.
function contentProgress(p) {
  if (!p) return '';
  const rate = p.rowsPerSecond != null ? `, ${count(Math.round(p.rowsPerSecond))} rows/s` : '';
  const left = p.secondsLeft != null ? `, about ${seconds(p.secondsLeft)} left` : '';
  return `<p class="mt-1 text-xs text-slate-600" data-part="content-progress">Content comparison ${p.running ? 'running' : 'last run'}:
    ${count(p.tablesDone)} of ${count(p.tables)} tables, ${count(p.rowsDone)} of ${count(p.rows)} rows in ${count(p.chunksDone)} key ranges${rate}${left}.</p>`;
}

function checklist(c) {
  if (!c) return '';
  const [status, word] = VERDICTS[c.verdict] || VERDICTS.unknown;
  const failing = c.checks.filter((k) => k.result !== 'pass');
  const rows = c.checks.map((k) => {
    const [rs, rw] = RESULTS[k.result] || RESULTS.unknown;
    const items = k.items.length ? `<ul class="mt-1 list-inside list-disc text-xs text-slate-700">${k.items.slice(0, 20).map((i) => `<li>${esc(i)}</li>`).join('')}${k.items.length > 20 ? `<li>… ${k.items.length - 20} more</li>` : ''}</ul>` : '';
    return `<li class="flex gap-3 py-2" data-key="${esc(k.id)}" data-check="${esc(k.id)}">
      <div class="w-20 shrink-0">${badge(rs, rw)}</div>
      <div class="min-w-0 text-sm"><div class="font-medium">${esc(k.title)}</div><div class="text-slate-700">${esc(k.evidence)}</div>${items}</div></li>`;
  }).join('');
  const sequences = c.sequences.length ? `<details class="mt-2"><summary class="cursor-pointer rounded text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-700">Sequence report (${c.sequences.length})</summary>
    <div class="mt-2">${table('Sequence report', ['Sequence', 'Source', 'Target', 'Status', 'Statement for the target (never run by the monitor)'], c.sequences.map((q) => `<tr data-key="${esc(q.sequence)}">
      ${td(esc(q.sequence))}${td(esc(q.sourceValue ?? '—'), 'tabular-nums')}${td(esc(q.targetValue ?? '—'), 'tabular-nums')}${td(esc(q.status))}${td(`<code class="text-xs">${esc(q.fix ?? '')}</code>`)}</tr>`))}</div></details>` : '';
  return `<details class="rounded border border-slate-200 bg-slate-50 px-3 py-2" data-part="cutover">
    <summary class="flex cursor-pointer flex-wrap items-center gap-2 rounded text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">Cutover checklist ${badge(status, word)}
      <span class="font-normal text-slate-600">${c.checks.length - failing.length} of ${c.checks.length} checks pass${failing.length ? ` · open: ${esc(failing.map((k) => k.id).join(', '))}` : ''}</span></summary>
    <p class="mt-2 text-sm text-slate-700">${esc(c.summary)}</p>
    <ul class="divide-y divide-slate-200">${rows}</ul>
    <div class="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-600">Deep checks (sequences, row counts, schema, content) ${c.deepCheckedAt ? `ran ${ago(c.deepCheckedAt)}` : 'have not run yet'}.
      <button type="button" data-action="deep-check" class="inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-2 py-1 font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-700">${icon('play', 'size-3.5')}Run deep checks now</button>
      <span data-part="deep-check-status" data-own-content role="status"></span></div>
    ${contentProgress(c.contentProgress)}
    ${sequences}</details>`;
}

export function pairs(s) {
  if (!s.pairs.length) return `<p class="text-slate-600">No subscription on a target matches a slot on a source yet.</p>`;
  const targetOf = (p) => s.databases.find((d) => d.name === p.targetDatabase);
  const subscriptionOf = (p) => {
    const db = targetOf(p);
    return db ? db.subscriptions.find((x) => x.name === p.subscription) : null;
  };
  return s.pairs.map((p) => {
    const t = tone(p.health.status);
    const trend = s.trends.find((x) => x.kind === 'lag' && x.subject === p.name);
    const [etaValue, etaDetail] = initialCopy(p.tableStates) || eta(trend);
    const sub = subscriptionOf(p);
    const cut = s.cutover.find((c) => c.pair === p.name);
    const missing = p.missingTables.length ? `<p class="text-sm text-red-700">${icon('critical', 'size-3.5 align-text-bottom')} Published but not in the subscription (run ALTER SUBSCRIPTION … REFRESH PUBLICATION): ${esc(p.missingTables.join(', '))}</p>` : '';
    return `<article class="space-y-3 rounded-lg border border-slate-200 border-l-4 ${t.bar} bg-white p-4 shadow-sm" data-key="${esc(p.name)}" data-pair="${esc(p.name)}" aria-labelledby="pair-${esc(p.name)}">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h3 id="pair-${esc(p.name)}" class="flex min-w-0 flex-wrap items-center gap-x-2 text-base font-semibold">
          <span>${esc(p.name)}</span>
          <span class="inline-flex flex-wrap items-center gap-1 text-sm font-normal text-slate-600">${esc(p.sourceDatabase ?? '?')} / ${esc(p.slotName ?? '?')} ${icon('arrow', 'size-3.5')} ${esc(p.targetDatabase)} / ${esc(p.subscription)}</span>
        </h3>
        <div class="flex flex-wrap items-center gap-2"><span data-field="health">${badge(p.health.status)}</span>${cut ? `<span data-field="verdict">${badge(...(VERDICTS[cut.verdict] || VERDICTS.unknown))}</span>` : ''}</div>
      </div>
      ${slot('reasons', reasons(p.health))}
      <div data-key="metrics" class="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        ${metric('Lag', bytes(p.lagBytes), 'not yet confirmed by the target', 'lag-bytes')}
        ${metric('Lag (time)', lagTime(p), method(p), 'lag-seconds')}
        ${metric('Apply rate', rate(p.applyRateBytesPerSecond), 'over the last minute', 'apply-rate')}
        ${metric('Catch-up', etaValue, etaDetail, 'eta')}
        ${metric('Walsender', esc(p.walSender ?? 'none'), p.linkedBy ? `linked by ${esc(p.linkedBy)}` : '', 'walsender')}
      </div>
      ${slot('chart', lagChart(p.name))}
      <div data-key="tables"><div class="mb-1 text-xs font-medium uppercase tracking-wide text-slate-600">Tables</div>${stateBar(p.tableStates, targetOf(p)?.reachable ?? false)}</div>
      ${slot('missing', missing)}
      ${slot('sync', sub ? syncTables(sub.tables) : '')}
      ${slot('cutover', checklist(cut))}
    </article>`;
  }).join('');
}

// ---- Alerts --------------------------------------------------------------------------------------------------

export function alerts(s) {
  const a = s.alerts;
  const rows = a.active.concat(a.recent.slice(0, 10));
  const notifiers = a.notifiers.filter((n) => n.lastError).map((n) => `<li class="flex gap-1.5 text-red-700">${icon('bell', 'size-3.5 mt-0.5')}<span>Webhook ${esc(n.name)}: ${esc(n.lastError)} (${ago(n.lastErrorAt)})</span></li>`).join('');
  const list = rows.length
    ? table('Alerts', ['Subject', 'Severity', 'State', 'Since', 'Reasons'], rows.map((x) => `<tr data-key="${esc(x.kind)}/${esc(x.subject)}/${esc(x.since)}">
        ${td(`${esc(x.kind)} <span class="font-medium">${esc(x.subject)}</span>`, 'whitespace-nowrap')}${td(badge(x.severity))}${td(esc(x.state))}${td(ago(x.since), 'whitespace-nowrap')}${td(esc(x.reasons.join('; ')))}</tr>`))
    : `<p class="flex items-center gap-1.5 text-slate-600">${icon('healthy', 'size-4 text-emerald-600')}No alerts.</p>`;
  return list + (notifiers ? `<ul class="mt-2 space-y-1 text-sm">${notifiers}</ul>` : '');
}

// ---- Databases -----------------------------------------------------------------------------------------------

function slotsTable(slots) {
  if (!slots.length) return muted('No logical replication slots.');
  return table('Replication slots', ['Slot', 'Health', 'Active', 'Lag', 'WAL retained', 'wal_status', 'Safe WAL left', 'Confirmed flush', 'Two-phase / failover / conflicting', 'Decoded / spilled / streamed'],
    slots.map((x) => `<tr data-key="${esc(x.name)}">
      ${td(`<span class="font-medium">${esc(x.name)}</span> <span class="text-xs text-slate-600">${esc(x.plugin)}${x.temporary ? ' · temporary' : ''}${x.tableSync ? ' · table sync' : ''}</span>`)}
      ${td(badge(x.health.status) + reasons(x.health, 'mt-1 min-w-56'))}
      ${td(x.active ? `yes <span class="text-xs text-slate-600">pid ${esc(x.activePid)}</span>` : `no, since ${ago(x.inactiveSince, 'unknown')}`, 'whitespace-nowrap')}
      ${td(bytes(x.lagBytes), 'whitespace-nowrap text-right')}${td(bytes(x.retainedBytes), 'whitespace-nowrap text-right')}
      ${td(`${esc(x.walStatus ?? '—')}${x.invalidationReason ? ` <span class="text-red-700">${esc(x.invalidationReason)}</span>` : ''}`)}
      ${td(x.safeWalSize === null ? muted('unlimited', 'max_slot_wal_keep_size is -1') : bytes(x.safeWalSize), 'whitespace-nowrap text-right')}
      ${td(lsn(x.confirmedFlushLsn))}
      ${td(`${yesNo(x.twoPhase)} / ${yesNo(x.failover)} / ${yesNo(x.conflicting)}`, 'whitespace-nowrap')}
      ${td(x.stats ? `${bytes(x.stats.totalBytes)} / ${bytes(x.stats.spillBytes)} / ${bytes(x.stats.streamBytes)}` : muted('n/a', 'pg_stat_replication_slots is PostgreSQL 14+'), 'whitespace-nowrap')}</tr>`));
}

function walSendersTable(senders) {
  if (!senders.length) return muted('No logical walsender is connected.');
  return table('Walsenders', ['Walsender', 'Activity', 'State', 'Sent', 'Flushed by subscriber', 'Pending', 'Write / flush / replay lag', 'Last reply'],
    senders.map((w) => `<tr data-key="${esc(w.pid)}">
      ${td(`<span class="font-medium">${esc(w.slotName)}</span> <span class="text-xs text-slate-600">pid ${esc(w.pid)} · ${esc(w.applicationName)}</span>`)}
      ${td(`${badge(w.health.status, w.activity)}${reasons(w.health, 'mt-1 min-w-56')}`)}${td(esc(w.state))}
      ${td(lsn(w.sentLsn))}${td(lsn(w.flushLsn))}${td(bytes(w.pendingBytes), 'whitespace-nowrap text-right')}
      ${td([w.writeLagMillis, w.flushLagMillis, w.replayLagMillis].map((v) => v === null ? '—' : `${esc(v)} ms`).join(' / '), 'whitespace-nowrap tabular-nums')}
      ${td(ago(w.replyTime), 'whitespace-nowrap')}</tr>`));
}

function publicationsTable(pubs) {
  if (!pubs.length) return muted('No publications.');
  return table('Publications', ['Publication', 'Tables', 'Operations'], pubs.map((p) => `<tr data-key="${esc(p.name)}">
    ${td(esc(p.name), 'font-medium')}${td(p.allTables ? 'all tables' : count(p.tableCount))}${td(['insert', 'update', 'delete', 'truncate'].filter((k) => p[k]).join(', '))}</tr>`));
}

function problemTables(tables) {
  const bad = tables.filter((t) => t.health.status !== 'healthy');
  const line = `<p class="text-sm text-slate-600">${count(tables.length)} user tables, ${count(tables.filter((t) => t.publications.length).length)} published${bad.length ? `, ${bad.length} with a problem:` : ', none with a problem.'}</p>`;
  if (!bad.length) return line;
  return line + table('Tables with a problem', ['Table', 'Problem', 'Primary key', 'Replica identity', 'Size'], bad.slice(0, LIST_LIMIT).map((t) => `<tr data-key="${esc(t.schema)}.${esc(t.name)}">
    ${td(`${esc(t.schema)}.${esc(t.name)}`, 'font-medium')}${td(badge(t.health.status) + reasons(t.health, 'mt-1 min-w-56'))}${td(t.hasPrimaryKey ? 'yes' : 'no')}${td(esc(t.replicaIdentity))}${td(bytes(t.sizeBytes), 'whitespace-nowrap text-right')}</tr>`))
    + more(bad.length - LIST_LIMIT, 'tables with a problem');
}

function errorCounts(stats) {
  if (!stats) return muted('n/a', 'pg_stat_subscription_stats is PostgreSQL 15+');
  const fresh = stats.newApplyErrors + stats.newSyncErrors + (stats.newConflicts || 0);
  const text = `${stats.newApplyErrors} apply, ${stats.newSyncErrors} sync${stats.newConflicts === null ? '' : `, ${stats.newConflicts} conflicts`}`;
  return `<span class="${fresh ? 'font-semibold text-red-700' : ''}" title="new since the monitor started; totals ${esc(stats.applyErrors)} apply, ${esc(stats.syncErrors)} sync">${esc(text)}</span>${stats.lastIncreaseAt ? ` · latest ${ago(stats.lastIncreaseAt)}` : ''}`;
}

function subscriptionsPart(subs) {
  if (!subs.length) return muted('No subscriptions in this database.');
  const rows = subs.map((x) => `<tr data-key="${esc(x.name)}">${td(`<span class="font-medium">${esc(x.name)}</span> <span class="text-xs text-slate-600">${esc(x.publications.join(', '))}${x.streaming ? ` · streaming ${esc(x.streaming)}` : ''}</span>`)}
      ${td(badge(x.health.status) + reasons(x.health, 'mt-1 min-w-56'))}${td(x.enabled ? 'yes' : '<span class="font-semibold text-red-700">no</span>')}${td(esc(x.slotName))}
      ${td(x.workerPid ? `pid ${esc(x.workerPid)}${x.workerSince ? ` since ${ago(x.workerSince)}` : ''}` : '<span class="text-red-700">none</span>', 'whitespace-nowrap')}
      ${td(count(x.syncWorkers), 'whitespace-nowrap text-right')}${td(`${lsn(x.receivedLsn)} / ${lsn(x.latestEndLsn)}`, 'whitespace-nowrap')}
      ${td(ago(x.lastMsgReceiptTime), 'whitespace-nowrap')}${td(errorCounts(x.stats))}${td(Object.entries(x.tableStates).map(([k, v]) => `${esc(STATE_NAMES[k] || k)} ${v}`).join(', ') || muted('none'), 'whitespace-nowrap')}</tr>`);
  const syncing = subs.filter((x) => x.tables.some((t) => t.state !== 'r'))
    .map((x) => `<div data-key="sync/${esc(x.name)}">${part(`Initial copy of ${x.name}`, syncTables(x.tables))}</div>`).join('');
  return table('Subscriptions', ['Subscription', 'Health', 'Enabled', 'Slot', 'Apply worker', 'Sync workers', 'Received / latest end', 'Last message', 'New errors', 'Tables'], rows) + syncing;
}

function part(title, content) {
  return `<div class="space-y-2"><h4 class="text-sm font-semibold text-slate-700">${esc(title)}</h4>${content}</div>`;
}

export function databases(s) {
  return s.databases.map((d) => {
    const t = tone(d.reachable ? d.health.status : 'down');
    const version = d.server ? ` · PostgreSQL ${esc(d.server.version)}${d.server.inRecovery ? ' · standby' : ''}` : '';
    const body = !d.reachable ? ''
      : d.role === 'source'
        ? part('Replication slots', slotsTable(d.slots)) + part('Walsenders', walSendersTable(d.walSenders)) + part('Publications', publicationsTable(d.publications)) + part('Tables', problemTables(d.tables))
        : part('Subscriptions', subscriptionsPart(d.subscriptions));
    return `<article class="space-y-3 rounded-lg border border-slate-200 border-l-4 ${t.bar} bg-white p-4 shadow-sm" data-key="${esc(d.name)}" data-database="${esc(d.name)}" aria-labelledby="db-${esc(d.name)}">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h3 id="db-${esc(d.name)}" class="flex flex-wrap items-center gap-x-2 text-base font-semibold">${icon('database')}<span>${esc(d.name)}</span>
          <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium uppercase text-slate-700">${esc(d.role)}</span>
          <span class="text-sm font-normal text-slate-600">${esc(d.host)}:${esc(d.port)}/${esc(d.dbname)}${version}</span></h3>
        <span data-field="health">${badge(d.reachable ? d.health.status : 'down', d.reachable ? undefined : 'Unreachable')}</span>
      </div>
      ${slot('error', d.reachable ? '' : `<p class="rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800" data-field="error">${esc(d.error)} <span class="text-red-700">· last success ${ago(d.lastSuccessAt)}</span></p>`)}
      ${slot('reasons', reasons(d.health))}
      ${slot('privileges', d.privileges.length ? `<ul class="space-y-0.5 text-sm text-amber-800">${d.privileges.map((p) => `<li class="flex gap-1.5">${icon('lock', 'size-3.5 mt-0.5')}<span>${esc(p)}</span></li>`).join('')}</ul>` : '')}
      ${slot('body', body)}
      <p data-key="polled" class="text-xs text-slate-600">Polled ${ago(d.polledAt)} in ${esc(d.pollMillis)} ms${d.lastError && d.reachable ? ` · last error ${ago(d.lastErrorAt)}: ${esc(d.lastError)}` : ''}</p>
    </article>`;
  }).join('');
}

// ---- A pair's page and a database's page ---------------------------------------------------------------------

function updated(s) {
  return `<p data-part="updated" class="flex flex-wrap items-center gap-x-2 text-xs text-slate-600">Last update ${ago(s.takenAt)}
    · poll took ${esc(s.tookMillis)} ms · the whole fleet: ${badge(s.status)}</p>`;
}

const section = (key, title, content) => `<section data-key="${key}" class="space-y-3" aria-labelledby="detail-${key}">
  <h3 id="detail-${key}" class="text-base font-semibold">${esc(title)}</h3>${content}</section>`;

function missing(what, name) {
  return `<p class="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-part="missing">The latest snapshot has no ${esc(what)} named
    <strong>${esc(name)}</strong>. It may not exist yet (a subscription being created) or any more; this page shows it as soon as it appears.</p>`;
}

export function pairPage(s, name) {
  const head = updated(s);
  if (!s.pairs.length) return head + missing('pair', name);
  return `${head}<div data-key="pair">${pairs(s)}</div>${section('alerts', 'Alerts', alerts(s))}${section('databases', 'Its databases', databases(s))}`;
}

function pairLinks(s) {
  if (!s.pairs.length) return muted('No pair has this database as its source or target.');
  return table('Its pairs', ['Pair', 'Health', 'Cutover', 'Lag'], s.pairs.map((p) => {
    const cut = s.cutover.find((c) => c.pair === p.name);
    return `<tr data-key="${esc(p.name)}">${td(`<a class="font-medium text-sky-800 underline-offset-2 hover:underline" href="#/pairs/${encodeURIComponent(p.name)}">${esc(p.name)}</a>`)}
      ${td(badge(p.health.status))}${td(cut ? badge(...(VERDICTS[cut.verdict] || VERDICTS.unknown)) : muted('not judged yet'))}${td(bytes(p.lagBytes), 'text-right')}</tr>`;
  }));
}

export function databasePage(s, name) {
  const head = updated(s);
  if (!s.databases.length) return head + missing('database', name);
  return `${head}<div data-key="database">${databases(s)}</div>${section('pairs', 'Its pairs', pairLinks(s))}${section('alerts', 'Alerts', alerts(s))}`;
}
