// Clients for scripts/bench-fanout.sh (Node.js with the `ws` package). Prints one JSON line of results.
//
//   node bench-clients.cjs sockets BASE CLIENTS SECONDS [PAIR...]
//     CLIENTS WebSocket clients of BASE/api/ws (client i of BASE/api/ws?pair=PAIR[i mod count] when pairs are
//     given) for SECONDS. For every snapshot after the replay on connect: the delay from the end of the tick's
//     reading (takenAt + tookMillis, in the snapshot itself, so judging, serialization and sending are inside it)
//     to its arrival at each client, and the spread between its first and last arrival.
//   node bench-clients.cjs rest URL RATE SECONDS
//     GET URL at RATE requests a second (each on schedule, whether or not the last has answered) for SECONDS,
//     over keep-alive connections: the time to each whole answer.
'use strict';
const http = require('http');
const { performance } = require('perf_hooks');

const clock = () => performance.timeOrigin + performance.now();
const pct = (values, p) => {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] * 10) / 10;
};
const summary = (values) => ({ count: values.length, p50: pct(values, 50), p99: pct(values, 99), max: pct(values, 100) });

function sockets(base, clients, seconds, pairs) {
  const WebSocket = require('ws');
  const delays = [];
  const arrivals = new Map(); // sequence -> [first, last, count]
  let bytes = 0, messages = 0, open = 0, failed = 0;
  const head = /"sequence":(\d+),"takenAt":"([^"]+)","tookMillis":(\d+)/;
  const all = [];
  for (let i = 0; i < clients; i++) {
    const url = base.replace(/^http/, 'ws') + '/api/ws' + (pairs.length ? '?pair=' + encodeURIComponent(pairs[i % pairs.length]) : '');
    const socket = new WebSocket(url, { perMessageDeflate: false });
    let replayed = false;
    socket.on('open', () => open++);
    socket.on('error', () => failed++);
    socket.on('message', (data) => {
      const at = clock();
      if (!replayed) { replayed = true; return; } // the latest snapshot, replayed on connect
      const text = data.toString('latin1', 0, Math.min(data.length, 400));
      const m = head.exec(text);
      if (!m) return;
      bytes += data.length; messages++;
      delays.push(at - (Date.parse(m[2]) + Number(m[3])));
      const seen = arrivals.get(m[1]);
      if (seen) { seen[0] = Math.min(seen[0], at); seen[1] = Math.max(seen[1], at); seen[2]++; }
      else arrivals.set(m[1], [at, at, 1]);
    });
    all.push(socket);
  }
  setTimeout(() => {
    const spreads = [], counts = [];
    for (const [, [first, last, count]] of arrivals) { spreads.push(last - first); counts.push(count); }
    console.log(JSON.stringify({
      mode: 'sockets', clients, connected: open, failed, snapshots: arrivals.size,
      deliveries: messages, missed: arrivals.size * clients - messages,
      bytesPerMessage: messages ? Math.round(bytes / messages) : 0,
      delayMs: summary(delays), spreadMs: summary(spreads),
    }));
    all.forEach((s) => s.terminate());
    process.exit(0);
  }, seconds * 1000);
}

function rest(url, rate, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const times = [];
  let errors = 0, bytes = 0, sent = 0;
  const total = Math.round(rate * seconds);
  const start = clock();
  const fire = () => {
    const t0 = clock();
    http.get(url, { agent }, (res) => {
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => { if (res.statusCode === 200) times.push(clock() - t0); else errors++; });
    }).on('error', () => errors++);
  };
  const next = () => {
    while (sent < total && clock() - start >= (sent * 1000) / rate) { fire(); sent++; }
    if (sent < total) setTimeout(next, 1); else setTimeout(done, 3000);
  };
  const done = () => {
    console.log(JSON.stringify({ mode: 'rest', url: url.replace(/^https?:\/\/[^/]+/, ''), rate, sent, errors,
      bytesPerAnswer: times.length ? Math.round(bytes / (times.length + errors)) : 0, latencyMs: summary(times) }));
    process.exit(0);
  };
  next();
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'sockets') sockets(args[0], Number(args[1]), Number(args[2]), args.slice(3));
else if (mode === 'rest') rest(args[0], Number(args[1]), Number(args[2]));
else { console.error('usage: bench-clients.cjs sockets BASE CLIENTS SECONDS [PAIR...] | rest URL RATE SECONDS'); process.exit(2); }
