// Where the page is and what the overview shows, all of it in the URL's fragment so that a link (or a reload) shows
// the same view: #/?sort=lag&dir=desc&health=warning,critical&q=orders&page=2, #/pairs/NAME, #/databases/NAME.

export const HEALTH = ['down', 'critical', 'warning', 'healthy'];
export const VERDICT = ['not-ready', 'unknown', 'ready'];
export const PAGE_SIZES = [25, 50, 100];

// Each column's sort key and the direction a first click sorts in: the worst first where there is a worst.
const RANK = Object.fromEntries(HEALTH.map((h, i) => [h, HEALTH.length - i]));
const VERDICT_RANK = { 'not-ready': 3, unknown: 2, ready: 1 };
// No table states (a target that is down) is not known, not "all ready".
const readyShare = (p) => {
  const states = Object.values(p.tableStates || {});
  const total = states.reduce((n, v) => n + v, 0);
  return total ? ((p.tableStates.r || 0) / total) : undefined;
};
// A pair falling behind will never catch up: the longest wait of all.
const etaKey = (p) => (p.trend === 'caught-up' ? 0 : p.trend === 'falling-behind' ? Infinity : p.etaSeconds);
// Names compare by code point: Intl collation (localeCompare) costs milliseconds over a thousand rows per update.
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export const COLUMNS = {
  name: { key: (p) => p.name, dir: 'asc' },
  health: { key: (p) => RANK[p.status] || 0, dir: 'desc' },
  verdict: { key: (p) => VERDICT_RANK[p.verdict || 'unknown'], dir: 'desc' },
  lag: { key: (p) => p.lagBytes, dir: 'desc' },
  lagtime: { key: (p) => p.lagSeconds, dir: 'desc' },
  eta: { key: etaKey, dir: 'desc' },
  tables: { key: readyShare, dir: 'asc' },
};

// A hand-typed %-sequence that is not one stays as typed instead of stopping the page.
function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch (e) {
    return part;
  }
}

const isColumn = (name) => Object.hasOwn(COLUMNS, name);

export function route(hash = location.hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const name = parts[1] === undefined ? null : decoded(parts[1]);
  if (parts[0] === 'pairs' && name) return { page: 'pair', name };
  if (parts[0] === 'databases' && name) return { page: 'database', name };
  return { page: 'overview', state: parseState(new URLSearchParams(query)) };
}

const list = (value, allowed) => (value ? value.split(',').filter((v) => allowed.includes(v)) : []);
const positive = (value, fallback) => {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export function parseState(params) {
  const sort = isColumn(params.get('sort')) ? params.get('sort') : 'problems';
  const dir = ['asc', 'desc'].includes(params.get('dir')) ? params.get('dir') : (isColumn(sort) ? COLUMNS[sort].dir : 'desc');
  const size = Number.parseInt(params.get('size'), 10);
  return {
    sort,
    dir,
    health: list(params.get('health'), HEALTH),
    verdict: list(params.get('verdict'), VERDICT),
    q: (params.get('q') || '').trim(),
    page: positive(params.get('page'), 1),
    dbPage: positive(params.get('dbpage'), 1),
    size: PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0],
  };
}

// Only what differs from the defaults goes into the URL.
export function hashOf(state) {
  const p = new URLSearchParams();
  if (state.sort !== 'problems') {
    p.set('sort', state.sort);
    if (state.dir !== COLUMNS[state.sort].dir) p.set('dir', state.dir);
  }
  if (state.health.length) p.set('health', state.health.join(','));
  if (state.verdict.length) p.set('verdict', state.verdict.join(','));
  if (state.q) p.set('q', state.q);
  if (state.page > 1) p.set('page', state.page);
  if (state.dbPage > 1) p.set('dbpage', state.dbPage);
  if (state.size !== PAGE_SIZES[0]) p.set('size', state.size);
  const query = p.toString();
  return `#/${query ? `?${query}` : ''}`;
}

// Problems first: the worst health, then the most behind (an unknown lag is a problem too), then by name.
function problemsFirst(a, b) {
  return (RANK[b.status] || 0) - (RANK[a.status] || 0)
    || (b.lagBytes ?? Infinity) - (a.lagBytes ?? Infinity)
    || (VERDICT_RANK[b.verdict || 'unknown'] - VERDICT_RANK[a.verdict || 'unknown'])
    || byName(a, b);
}

function byColumn(column, dir) {
  const { key } = COLUMNS[column];
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = key(a), y = key(b);
    // A value not known yet goes last whichever the direction: it sorts nothing.
    if (x == null || y == null) return (x == null) - (y == null) || byName(a, b);
    const c = typeof x === 'string' ? (x < y ? -1 : x > y ? 1 : 0) : x - y;
    return c * sign || byName(a, b);
  };
}

const matches = (q, ...names) => !q || names.some((n) => n && n.toLowerCase().includes(q));

// The pairs the overview shows, in its order: filtered by health, verdict and the search, then sorted.
export function selectPairs(rows, state) {
  const q = state.q.toLowerCase();
  return rows.filter((p) => (!state.health.length || state.health.includes(p.status))
      && (!state.verdict.length || state.verdict.includes(p.verdict || 'unknown'))
      && matches(q, p.name, p.sourceDatabase, p.targetDatabase, p.slotName, p.subscription))
    .sort(state.sort === 'problems' ? problemsFirst : byColumn(state.sort, state.dir));
}

export function selectDatabases(rows, state) {
  const q = state.q.toLowerCase();
  return rows.filter((d) => (!state.health.length || state.health.includes(d.status)) && matches(q, d.name, d.host, d.dbname))
    .sort((a, b) => (RANK[b.status] || 0) - (RANK[a.status] || 0) || byName(a, b));
}

// One page of a list: the page asked for, or the last one when the list has become shorter.
export function pageOf(items, page, size) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const at = Math.min(page, pages);
  return { items: items.slice((at - 1) * size, at * size), page: at, pages, from: items.length ? (at - 1) * size + 1 : 0 };
}
