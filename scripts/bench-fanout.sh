#!/usr/bin/env bash
# Fan-out benchmark: how fast the monitor's snapshots reach many WebSocket clients, and how fast /api/snapshot
# answers at a steady request rate, with the monitor watching a fleet of SIZE databases (lib-fleet.sh) at INTERVAL.
# Method and results: docs/benchmarks.md (this script rewrites the part between its fanout markers).
#
#   scripts/bench-fanout.sh                        # 100 databases, 1,000 clients, 60 s per measurement
#   SIZE=10 CLIENTS=200 ROUND=20 OUT=target/bench-fanout.md scripts/bench-fanout.sh
#   scripts/bench-fleet.sh --stop                  # the clusters are the fleet benchmark's
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-fleet}
source scripts/lib-pg.sh
source scripts/lib-fleet.sh

SIZE=${SIZE:-100}
CLIENTS=${CLIENTS:-1000}
ROUND=${ROUND:-60}
WARMUP=${WARMUP:-30}
RATE=${RATE:-50}
OUT=${OUT:-docs/benchmarks.md}
BASE="http://127.0.0.1:$MONITOR_PORT"

need_clients bench-fanout.sh
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests
fleet_up "$SIZE"
config="$STATE_DIR/config-$SIZE.yaml"
fleet_config "$SIZE" "$config"

started=$(now)
start_monitor "$config" "$STATE_DIR/fanout-monitor.log"
trap 'kill $MONITOR ${TRICKLE:-} 2>/dev/null || true' EXIT
first=$(wait_complete "$SIZE" "$started")
start_trickle $(( (SIZE + 1) / 2 ))
sleep "$WARMUP"
mapfile -t pairs < <(pair_names)

results="$STATE_DIR/fanout.jsonl"
: > "$results"
measure() { # measure LABEL ARGS...: one run of the clients, its JSON line labelled, with the monitor's RSS after it
  local label=$1 line; shift
  echo "  $label..." >&2
  line=$(clients "$@")
  python3 -c "import json, sys; r = json.loads(sys.argv[1]); r['label'] = sys.argv[2]; r['rss'] = int(sys.argv[3]); print(json.dumps(r))" \
    "$line" "$label" "$(rss_mb "$MONITOR")" >> "$results"
  tail -n 1 "$results" >&2
}
measure "$CLIENTS clients of one pair each" sockets "$BASE" "$CLIENTS" "$ROUND" "${pairs[@]}"
measure "$CLIENTS clients of the whole snapshot" sockets "$BASE" "$CLIENTS" "$ROUND"
measure "GET /api/snapshot at $RATE/s" rest "$BASE/api/snapshot" "$RATE" "$ROUND"
measure "GET /api/snapshot?pair= at $RATE/s" rest "$BASE/api/snapshot?pair=${pairs[0]}" "$RATE" "$ROUND"
ticks="$STATE_DIR/fanout-ticks.txt"
tick_times "$STATE_DIR/fanout-monitor.log" 0 > "$ticks"
kill "$MONITOR" "$TRICKLE" 2>/dev/null || true

block="$STATE_DIR/fanout-block.md"
python3 - "$results" "$SIZE" "$INTERVAL" "$ROUND" "$(machine_line)" "$(percentile 50 "$ticks")" "$(percentile 99 "$ticks")" "$first" > "$block" <<'PY'
import json, sys, datetime
path, size, interval, rnd, machine, t50, t99, first = sys.argv[1:]
rows = [json.loads(line) for line in open(path)]
print(f"<!-- fanout:begin (written by scripts/bench-fanout.sh on {datetime.date.today()}) -->")
print()
print(f"Machine: {machine}. {size} databases watched at a {interval} s interval (tick p50 / p99 over the whole run {t50} / {t99} ms,"
      f" first complete snapshot after {first} s); each measurement {rnd} s, the clients on the same machine.")
print()
print("| clients | snapshots | deliveries (missed) | size | delay from the end of the read, p50 / p99 / max | first to last client, p50 / p99 | monitor RSS after |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    if r["mode"] != "sockets":
        continue
    d, s = r["delayMs"], r["spreadMs"]
    print(f"| {r['label']} | {r['snapshots']} | {r['deliveries']} ({r['missed']}) | {r['bytesPerMessage'] / 1024:.1f} KB"
          f" | {d['p50']} / {d['p99']} / {d['max']} ms | {s['p50']} / {s['p99']} ms | {r['rss']} MB |")
print()
print("| requests | answered (errors) | size | latency p50 / p99 / max | monitor RSS after |")
print("|---|---|---|---|---|")
for r in rows:
    if r["mode"] != "rest":
        continue
    l = r["latencyMs"]
    print(f"| {r['label']} | {l['count']} ({r['errors']}) | {r['bytesPerAnswer'] / 1024:.1f} KB | {l['p50']} / {l['p99']} / {l['max']} ms | {r['rss']} MB |")
print()
print("<!-- fanout:end -->")
PY
replace_block "$OUT" fanout "$block"
echo "Results written to $OUT" >&2
cat "$block"
