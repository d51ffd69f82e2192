'use strict';
// Renders the snapshots pushed on /api/ws (the JSON of /api/snapshot). Reconnects with backoff.
(function () {
  const $ = (id) => document.getElementById(id);
  const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  let latest = null;
  let receivedAt = 0;
  let backoff = 500;

  function bytes(n) {
    if (n === null || n === undefined) return '<span class="muted" title="unknown">unknown</span>';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n, u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return `<span title="${n} bytes">${u === 0 ? v : v.toFixed(1)} ${units[u]}</span>`;
  }
  function ago(iso) {
    if (!iso) return '<span class="muted">never</span>';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    const text = s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 3600)} h ago`;
    return `<span title="${esc(iso)}">${text}</span>`;
  }
  function seconds(v) {
    if (v === null || v === undefined) return null;
    return v < 120 ? `${v.toFixed(1)} s` : v < 7200 ? `${Math.floor(v / 60)} min ${Math.round(v % 60)} s` : `${(v / 3600).toFixed(1)} h`;
  }
  const STATE_NAMES = { i: 'initializing', d: 'copying', f: 'copied', s: 'synchronized', r: 'ready' };
  const states = (m) => Object.keys(m || {}).length
    ? Object.entries(m).map(([k, n]) => `<span class="state state-${esc(k)}" title="${esc(STATE_NAMES[k] || k)}">${esc(STATE_NAMES[k] || k)} ${esc(n)}</span>`).join(' ')
    : '<span class="muted">no tables</span>';
  const yesNo = (v) => v === null || v === undefined ? '<span class="muted" title="not offered by this server version">n/a</span>' : (v ? 'yes' : 'no');
  const status = (s) => `<span class="status ${esc(s)}">${esc(s)}</span>`;
  const reasons = (h) => h && h.reasons.length ? `<ul class="reasons">${h.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '';
  const card = (label, value, title) => `<div class="card"${title ? ` title="${esc(title)}"` : ''}><div class="label">${esc(label)}</div><div class="value">${value}</div></div>`;

  function renderSummary(s) {
    const m = s.summary;
    $('summary').innerHTML = [
      card('Overall', status(s.status)),
      card('Sources', m.sources), card('Targets', m.targets), card('Pairs', m.pairs),
      card('Databases down', m.down),
      card('Worst lag', bytes(m.worstLagBytes), m.worstLagPair || ''),
      card('Slots active', `${m.activeSlots} / ${m.slots}`),
      card('Subscriptions enabled', `${m.enabledSubscriptions} / ${m.subscriptions}`),
      card('Tables ready', `${m.readyTables} / ${m.subscribedTables}`),
      card('Last update', ago(s.takenAt)),
    ].join('');
  }

  function renderPairs(s) {
    if (!s.pairs.length) { $('pairs').innerHTML = '<p class="muted">No subscription on a target matches a slot on a source.</p>'; return; }
    $('pairs').innerHTML = `<div class="scroll"><table><thead><tr><th>Pair</th><th>Health</th><th>Source / slot</th><th>Target / subscription</th><th>Lag</th><th>Lag (time)</th><th>Apply rate</th><th>Walsender</th><th>Tables</th></tr></thead><tbody>${
      s.pairs.map((p) => `<tr><td>${esc(p.name)}</td><td>${status(p.health.status)}${reasons(p.health)}</td>
        <td>${esc(p.sourceDatabase ?? '?')} / ${esc(p.slotName ?? '?')}${p.linkedBy ? ` <span class="muted">by ${esc(p.linkedBy)}</span>` : ''}</td>
        <td>${esc(p.targetDatabase)} / ${esc(p.subscription)}</td>
        <td class="num">${bytes(p.lagBytes)}</td>
        <td class="num"><abbr class="hint" title="${esc(p.lagMethod)}">${seconds(p.lagSeconds) ?? 'unknown'}</abbr></td>
        <td class="num">${p.applyRateBytesPerSecond === null ? '—' : bytes(p.applyRateBytesPerSecond) + '/s'}</td>
        <td>${esc(p.walSender ?? '—')}</td>
        <td>${states(p.tableStates)}${p.missingTables.length ? `<div class="error">not subscribed: ${esc(p.missingTables.join(', '))}</div>` : ''}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function slotsTable(slots) {
    if (!slots.length) return '<p class="muted">No logical slots.</p>';
    return `<div class="scroll"><table><thead><tr><th>Slot</th><th>Health</th><th>Active</th><th>Lag</th><th>WAL retained</th><th>wal_status</th><th>Safe WAL left</th><th>Confirmed flush</th><th>Two-phase / failover / conflicting</th><th>Decoded / spilled / streamed</th></tr></thead><tbody>${
      slots.map((s) => `<tr><td>${esc(s.name)} <span class="muted">${esc(s.plugin)}${s.temporary ? ' · temporary' : ''}${s.tableSync ? ' · table sync' : ''}</span></td><td>${status(s.health.status)}${reasons(s.health)}</td>
        <td>${s.active ? `yes (pid ${esc(s.activePid)})` : `no, since ${ago(s.inactiveSince)}`}</td><td class="num">${bytes(s.lagBytes)}</td>
        <td class="num">${bytes(s.retainedBytes)}</td><td>${esc(s.walStatus ?? '—')}${s.invalidationReason ? ` <span class="error">${esc(s.invalidationReason)}</span>` : ''}</td>
        <td class="num">${s.safeWalSize === null ? '<span class="muted" title="max_slot_wal_keep_size is -1: unlimited">unlimited</span>' : bytes(s.safeWalSize)}</td>
        <td>${esc(s.confirmedFlushLsn ?? 'unknown')}</td>
        <td>${yesNo(s.twoPhase)} / ${yesNo(s.failover)} / ${yesNo(s.conflicting)}</td>
        <td class="num">${s.stats ? `${bytes(s.stats.totalBytes)} / ${bytes(s.stats.spillBytes)} / ${bytes(s.stats.streamBytes)}` : '<span class="muted" title="pg_stat_replication_slots is PostgreSQL 14+">n/a</span>'}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function walSendersTable(senders) {
    if (!senders.length) return '<p class="muted">No logical walsender is connected.</p>';
    return `<div class="scroll"><table><thead><tr><th>Walsender</th><th>Activity</th><th>State</th><th>Sent</th><th>Flushed by subscriber</th><th>Pending</th><th>Write / flush / replay lag</th><th>Last reply</th></tr></thead><tbody>${
      senders.map((w) => `<tr><td>${esc(w.slotName)} <span class="muted">pid ${esc(w.pid)} · ${esc(w.applicationName)}</span></td>
        <td>${status(w.health.status)} ${esc(w.activity)}${reasons(w.health)}</td><td>${esc(w.state)}</td>
        <td>${esc(w.sentLsn ?? 'hidden')}</td><td>${esc(w.flushLsn ?? 'hidden')}</td><td class="num">${bytes(w.pendingBytes)}</td>
        <td class="num">${[w.writeLagMillis, w.flushLagMillis, w.replayLagMillis].map((v) => v === null ? '—' : `${v} ms`).join(' / ')}</td>
        <td>${ago(w.replyTime)}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function tablesNotice(tables) {
    const bad = tables.filter((t) => t.health.status !== 'healthy');
    const summary = `<p class="muted">${tables.length} user table(s), ${tables.filter((t) => t.publications.length).length} published.</p>`;
    if (!bad.length) return summary;
    return summary + `<div class="scroll"><table><thead><tr><th>Table</th><th>Problem</th><th>Primary key</th><th>Replica identity</th><th>Size</th></tr></thead><tbody>${
      bad.map((t) => `<tr><td>${esc(t.schema)}.${esc(t.name)}</td><td>${status(t.health.status)}${reasons(t.health)}</td>
        <td>${t.hasPrimaryKey ? 'yes' : 'no'}</td><td>${esc(t.replicaIdentity)}</td><td class="num">${bytes(t.sizeBytes)}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function subscriptionsTable(subs) {
    if (!subs.length) return '<p class="muted">No subscriptions in this database.</p>';
    return subs.map((s) => `<div class="scroll"><table><thead><tr><th>Subscription</th><th>Health</th><th>Enabled</th><th>Slot</th><th>Apply worker</th><th>Sync workers</th><th>Received / latest end</th><th>Last message</th><th>New errors</th><th>Tables</th></tr></thead><tbody>
      <tr><td>${esc(s.name)} <span class="muted">${esc(s.publications.join(', '))}${s.streaming ? ` · streaming ${esc(s.streaming)}` : ''}</span></td><td>${status(s.health.status)}${reasons(s.health)}</td>
        <td>${s.enabled ? 'yes' : 'no'}</td><td>${esc(s.slotName)}</td><td>${s.workerPid ? `pid ${esc(s.workerPid)}` : '<span class="error">none</span>'}</td>
        <td class="num">${esc(s.syncWorkers)}</td>
        <td>${esc(s.receivedLsn ?? '—')} / ${esc(s.latestEndLsn ?? '—')}</td>
        <td>${ago(s.lastMsgReceiptTime)}</td>
        <td>${errors(s.stats)}</td>
        <td>${states(s.tableStates)}</td></tr></tbody></table></div>${syncTable(s.tables)}`).join('');
  }

  function errors(stats) {
    if (!stats) return '<span class="muted" title="pg_stat_subscription_stats is PostgreSQL 15+">n/a</span>';
    const fresh = stats.newApplyErrors + stats.newSyncErrors + (stats.newConflicts || 0);
    const text = `${stats.newApplyErrors} apply, ${stats.newSyncErrors} sync${stats.newConflicts === null ? '' : `, ${stats.newConflicts} conflicts`}`;
    return `<span class="${fresh ? 'error' : ''}" title="since the monitor started; totals ${esc(stats.applyErrors)} apply, ${esc(stats.syncErrors)} sync">${text}</span>${stats.lastIncreaseAt ? ` · latest ${ago(stats.lastIncreaseAt)}` : ''}`;
  }

  // Tables still synchronizing, with the initial copy's progress against the table's size on the source.
  function syncTable(tables) {
    const pending = tables.filter((t) => t.state !== 'r');
    if (!pending.length) return '';
    return `<div class="scroll"><table class="sync"><thead><tr><th>Table</th><th>State</th><th>Since</th><th>Copy progress</th></tr></thead><tbody>${
      pending.map((t) => `<tr><td>${esc(t.schema)}.${esc(t.name)}</td><td>${esc(t.stateName)}</td><td>${ago(t.stateSince)}</td>
        <td>${t.copy ? `<progress max="100" value="${esc(t.copy.percent ?? 0)}"></progress> ${t.copy.percent === null ? '' : `≈${esc(t.copy.percent)}% · `}${bytes(t.copy.bytesProcessed)}${t.copy.sourceBytes === null ? '' : ` of ≈${bytes(t.copy.sourceBytes)}`} · ${esc(t.copy.tuplesProcessed)} rows` : '<span class="muted">—</span>'}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function publicationsTable(pubs) {
    if (!pubs.length) return '<p class="muted">No publications.</p>';
    return `<div class="scroll"><table><thead><tr><th>Publication</th><th>Tables</th><th>Operations</th></tr></thead><tbody>${
      pubs.map((p) => `<tr><td>${esc(p.name)}</td><td class="num">${p.allTables ? 'all' : esc(p.tableCount)}</td>
        <td>${['insert', 'update', 'delete', 'truncate'].filter((k) => p[k]).join(', ')}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function renderDatabases(s) {
    $('databases').innerHTML = s.databases.map((d) => `<article class="db">
      <h3>${esc(d.name)} ${status(d.health.status)} <span class="muted">${esc(d.role)} · ${esc(d.host)}:${esc(d.port)}/${esc(d.dbname)}
        ${d.server ? ` · PostgreSQL ${esc(d.server.version)}${d.server.inRecovery ? ' · standby' : ''}` : ''}</span></h3>
      ${d.reachable ? '' : `<p class="error">Unreachable: ${esc(d.error)} — last success ${ago(d.lastSuccessAt)}</p>`}
      ${reasons(d.health)}
      ${d.privileges.length ? `<ul class="reasons privileges">${d.privileges.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : ''}
      ${d.reachable && d.role === 'source' ? slotsTable(d.slots) + walSendersTable(d.walSenders) + publicationsTable(d.publications) + tablesNotice(d.tables) : ''}
      ${d.reachable && d.role === 'target' ? subscriptionsTable(d.subscriptions) : ''}
      <p class="muted">polled ${ago(d.polledAt)} in ${esc(d.pollMillis)} ms${d.lastError && d.reachable ? ` · last error ${ago(d.lastErrorAt)}: ${esc(d.lastError)}` : ''}</p>
    </article>`).join('');
  }

  const RESULT = { pass: 'healthy', fail: 'critical', unknown: 'warning' };
  const VERDICT = { ready: 'healthy', 'not-ready': 'critical', unknown: 'warning' };

  function renderCutover(s) {
    if (!s.cutover.length) { $('cutover').innerHTML = '<p class="muted">No pairs.</p>'; return; }
    $('cutover').innerHTML = s.cutover.map((c) => `<article class="db">
      <h3>${esc(c.pair)} <span class="status ${VERDICT[c.verdict]}">${esc(c.verdict)}</span> <span class="muted">${esc(c.summary)}</span></h3>
      <div class="scroll"><table><thead><tr><th>Check</th><th>Result</th><th>Evidence</th></tr></thead><tbody>${
        c.checks.map((k) => `<tr><td>${esc(k.title)} <span class="muted">${esc(k.id)}</span></td>
          <td><span class="status ${RESULT[k.result]}">${esc(k.result)}</span></td>
          <td>${esc(k.evidence)}${k.items.length ? `<ul class="reasons">${k.items.slice(0, 20).map((i) => `<li>${esc(i)}</li>`).join('')}${k.items.length > 20 ? `<li>… ${k.items.length - 20} more</li>` : ''}</ul>` : ''}</td></tr>`).join('')}
      </tbody></table></div>
      <p class="muted">deep checks ${c.deepCheckedAt ? ago(c.deepCheckedAt) : 'not run yet'}</p>
      ${c.sequences.length ? `<details><summary>Sequence report (${c.sequences.length})</summary><div class="scroll"><table><thead><tr><th>Sequence</th><th>Source</th><th>Target</th><th>Status</th><th>Statement to run on the target (not run by the monitor)</th></tr></thead><tbody>${
        c.sequences.map((q) => `<tr><td>${esc(q.sequence)}</td><td class="num">${esc(q.sourceValue ?? '—')}</td><td class="num">${esc(q.targetValue ?? '—')}</td>
          <td>${esc(q.status)}</td><td><code>${esc(q.fix ?? '')}</code></td></tr>`).join('')}</tbody></table></div></details>` : ''}
    </article>`).join('');
  }

  $('deep-check').addEventListener('click', async () => {
    $('deep-check-status').textContent = 'running…';
    try {
      const headers = token() ? { Authorization: `Bearer ${token()}` } : {};
      const response = await fetch('/api/cutover/deep-check', { method: 'POST', headers, credentials: 'same-origin' });
      $('deep-check-status').textContent = response.ok ? 'done: the next update includes them' : `failed (${response.status})`;
    } catch (e) {
      $('deep-check-status').textContent = 'failed: ' + e.message;
    }
  });

  function renderAlerts(s) {
    const a = s.alerts;
    const rows = a.active.concat(a.recent.slice(0, 10));
    const notifiers = a.notifiers.filter((n) => n.lastError).map((n) => `<li class="error">${esc(n.name)}: ${esc(n.lastError)} (${ago(n.lastErrorAt)})</li>`).join('');
    $('alerts').innerHTML = (rows.length ? `<div class="scroll"><table><thead><tr><th>Subject</th><th>Severity</th><th>State</th><th>Since</th><th>Reasons</th></tr></thead><tbody>${
      rows.map((x) => `<tr><td>${esc(x.kind)} ${esc(x.subject)}</td><td>${status(x.severity)}</td><td>${esc(x.state)}</td>
        <td>${ago(x.since)}</td><td>${esc(x.reasons.join('; '))}</td></tr>`).join('')}</tbody></table></div>` : '<p class="muted">No alerts.</p>')
      + (notifiers ? `<ul class="reasons">${notifiers}</ul>` : '');
  }

  // Lag charts: one small SVG per pair from /api/history, refreshed every few ticks; the trend's estimate beside it.
  let chartsAt = 0;
  async function renderCharts(s) {
    if (Date.now() - chartsAt < 3 * s.intervalMillis) return;
    chartsAt = Date.now();
    const headers = token() ? { Authorization: `Bearer ${token()}` } : {};
    const parts = await Promise.all(s.pairs.map(async (p) => {
      const trend = s.trends.find((t) => t.kind === 'lag' && t.subject === p.name);
      let points = [];
      try {
        const r = await fetch(`/api/history?series=${encodeURIComponent(`pair/${p.name}/lag-bytes`)}&window=60m`, { headers, credentials: 'same-origin' });
        if (r.ok) points = (await r.json()).points;
      } catch (e) { /* the chart waits for the next refresh */ }
      return `<figure class="chart"><figcaption>${esc(p.name)} · ${bytes(p.lagBytes)} · ${esc(trend ? trend.text : '')}</figcaption>${svg(points)}</figure>`;
    }));
    $('trends').innerHTML = parts.join('') || '<p class="muted">No pairs.</p>';
  }

  function svg(points) {
    if (points.length < 2) return '<p class="muted">collecting…</p>';
    const w = 360, h = 80, t0 = points[0].t, t1 = points[points.length - 1].t;
    const max = Math.max(1, ...points.map((p) => p.v));
    const xy = points.map((p) => `${((p.t - t0) / Math.max(1, t1 - t0) * w).toFixed(1)},${(h - p.v / max * (h - 4) - 2).toFixed(1)}`).join(' ');
    return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="lag over the last hour, peak ${max} bytes">
      <polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${xy}"/></svg>
      <div class="muted">peak ${bytes(max)} · last ${Math.round((t1 - t0) / 60000)} min</div>`;
  }

  function render() {
    if (!latest) return;
    renderSummary(latest);
    renderPairs(latest);
    renderAlerts(latest);
    renderCharts(latest);
    renderCutover(latest);
    renderDatabases(latest);
  }

  function setConnection(text, stale) {
    $('connection').textContent = text;
    document.body.classList.toggle('stale', !!stale);
  }

  // Access control: with basic authentication the browser asks for the password on the first 401 and sends it on
  // later requests, the WebSocket handshake included. With an API token the page asks for it, keeps it in this
  // tab, and sends it as a header; for the WebSocket, whose browser API cannot set headers, as a sub-protocol
  // that the server turns back into the header, so the token never appears in a URL.
  const token = () => sessionStorage.getItem('pgrepmon-token');

  async function authorized() {
    const headers = token() ? { Authorization: `Bearer ${token()}` } : {};
    const response = await fetch('/api/snapshot', { headers, credentials: 'same-origin' });
    if (response.status !== 401) return true;
    if ((response.headers.get('WWW-Authenticate') || '').startsWith('Bearer')) {
      sessionStorage.removeItem('pgrepmon-token');
      $('login').hidden = false;
      setConnection('API token required', true);
    } else {
      setConnection('not authorized', true);
    }
    return false;
  }

  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('pgrepmon-token', $('token').value.trim());
    $('token').value = '';
    $('login').hidden = true;
    connect();
  });

  async function connect() {
    try {
      if (!(await authorized())) return;
    } catch (e) {
      setConnection(`reconnecting in ${Math.round(backoff / 1000)} s…`, true);
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 15000);
      return;
    }
    const protocols = token() ? ['pgrepmon', `quarkus-http-upgrade#Authorization#${encodeURIComponent(`Bearer ${token()}`)}`] : ['pgrepmon'];
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`, protocols);
    ws.onopen = () => { backoff = 500; setConnection('live'); };
    ws.onmessage = (e) => { latest = JSON.parse(e.data); receivedAt = Date.now(); setConnection('live'); render(); };
    ws.onclose = () => {
      setConnection(`reconnecting in ${Math.round(backoff / 1000)} s…`, true);
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 15000);
    };
  }

  // Marks the data stale when no snapshot arrived for two intervals, and refreshes the "ago" texts.
  setInterval(() => {
    if (!latest) return;
    const stale = Date.now() - receivedAt > 2 * latest.intervalMillis;
    if (stale) setConnection('stale: no update for ' + Math.round((Date.now() - receivedAt) / 1000) + ' s', true);
    renderSummary(latest);
  }, 1000);

  connect();
})();
