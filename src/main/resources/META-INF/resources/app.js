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
      card('Last update', ago(s.takenAt)),
    ].join('');
  }

  function renderPairs(s) {
    if (!s.pairs.length) { $('pairs').innerHTML = '<p class="muted">No subscription on a target matches a slot on a source.</p>'; return; }
    $('pairs').innerHTML = `<div class="scroll"><table><thead><tr><th>Pair</th><th>Health</th><th>Source / slot</th><th>Target / subscription</th><th>Lag</th></tr></thead><tbody>${
      s.pairs.map((p) => `<tr><td>${esc(p.name)}</td><td>${status(p.health.status)}${reasons(p.health)}</td>
        <td>${esc(p.sourceDatabase ?? '?')} / ${esc(p.slotName ?? '?')}</td><td>${esc(p.targetDatabase)} / ${esc(p.subscription)}</td>
        <td class="num">${bytes(p.lagBytes)}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function slotsTable(slots) {
    if (!slots.length) return '<p class="muted">No logical slots.</p>';
    return `<div class="scroll"><table><thead><tr><th>Slot</th><th>Health</th><th>Active</th><th>Lag</th><th>WAL retained</th><th>wal_status</th><th>Confirmed flush</th></tr></thead><tbody>${
      slots.map((s) => `<tr><td>${esc(s.name)} <span class="muted">${esc(s.plugin)}</span></td><td>${status(s.health.status)}${reasons(s.health)}</td>
        <td>${s.active ? `yes (pid ${esc(s.activePid)})` : `no, since ${ago(s.inactiveSince)}`}</td><td class="num">${bytes(s.lagBytes)}</td>
        <td class="num">${bytes(s.retainedBytes)}</td><td>${esc(s.walStatus ?? '—')}</td><td>${esc(s.confirmedFlushLsn ?? 'unknown')}</td></tr>`).join('')}</tbody></table></div>`;
  }

  function subscriptionsTable(subs) {
    if (!subs.length) return '<p class="muted">No subscriptions in this database.</p>';
    return `<div class="scroll"><table><thead><tr><th>Subscription</th><th>Health</th><th>Enabled</th><th>Slot</th><th>Apply worker</th><th>Received</th><th>Last message</th></tr></thead><tbody>${
      subs.map((s) => `<tr><td>${esc(s.name)} <span class="muted">${esc(s.publications.join(', '))}</span></td><td>${status(s.health.status)}${reasons(s.health)}</td>
        <td>${s.enabled ? 'yes' : 'no'}</td><td>${esc(s.slotName)}</td><td>${s.workerPid ? `pid ${esc(s.workerPid)}` : '<span class="error">none</span>'}</td>
        <td>${esc(s.receivedLsn ?? '—')}</td><td>${ago(s.lastMsgReceiptTime)}</td></tr>`).join('')}</tbody></table></div>`;
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
      ${d.reachable && d.role === 'source' ? slotsTable(d.slots) + publicationsTable(d.publications) : ''}
      ${d.reachable && d.role === 'target' ? subscriptionsTable(d.subscriptions) : ''}
      <p class="muted">polled ${ago(d.polledAt)} in ${esc(d.pollMillis)} ms${d.lastError && d.reachable ? ` · last error ${ago(d.lastErrorAt)}: ${esc(d.lastError)}` : ''}</p>
    </article>`).join('');
  }

  function render() {
    if (!latest) return;
    renderSummary(latest);
    renderPairs(latest);
    renderDatabases(latest);
  }

  function setConnection(text, stale) {
    $('connection').textContent = text;
    document.body.classList.toggle('stale', !!stale);
  }

  function connect() {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`);
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
