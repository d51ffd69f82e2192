#!/usr/bin/env bash
# Soak: the monitor watching SIZE databases (lib-fleet.sh) for DURATION seconds at INTERVAL, with a few WebSocket
# clients and a steady trickle of /api/snapshot requests, its memory sampled every SAMPLE seconds: resident set,
# heap in use, old generation in use (what survives collections), metaspace, threads and open files. Flat means no
# leak. Method and results: docs/benchmarks.md (this script rewrites the part between its soak markers).
#
#   scripts/bench-soak.sh                          # 100 databases for an hour
#   SIZE=10 DURATION=300 SAMPLE=10 OUT=target/bench-soak.md scripts/bench-soak.sh
#   scripts/bench-fleet.sh --stop                  # the clusters are the fleet benchmark's
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-fleet}
source scripts/lib-pg.sh
source scripts/lib-fleet.sh

SIZE=${SIZE:-100}
DURATION=${DURATION:-3600}
SAMPLE=${SAMPLE:-60}
SOCKETS=${SOCKETS:-20}
RATE=${RATE:-2}
OUT=${OUT:-docs/benchmarks.md}
BASE="http://127.0.0.1:$MONITOR_PORT"

need_clients bench-soak.sh
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests
fleet_up "$SIZE"
config="$STATE_DIR/config-$SIZE.yaml"
fleet_config "$SIZE" "$config"

log="$STATE_DIR/soak-monitor.log"
started=$(now)
start_monitor "$config" "$log"
trap 'kill $MONITOR ${TRICKLE:-} ${SOCKET_CLIENTS:-} ${PAIR_CLIENTS:-} ${REST_CLIENT:-} 2>/dev/null || true' EXIT
first=$(wait_complete "$SIZE" "$started")
start_trickle $(( (SIZE + 1) / 2 ))
mapfile -t pairs < <(pair_names)
# Half the sockets follow the whole snapshot, half one pair each.
( clients sockets "$BASE" $((SOCKETS / 2)) "$DURATION" > "$STATE_DIR/soak-sockets-whole.json" ) &
SOCKET_CLIENTS=$!
( clients sockets "$BASE" $((SOCKETS - SOCKETS / 2)) "$DURATION" "${pairs[@]}" > "$STATE_DIR/soak-sockets-pair.json" ) &
PAIR_CLIENTS=$!
( clients rest "$BASE/api/snapshot" "$RATE" "$DURATION" > "$STATE_DIR/soak-rest.json" ) &
REST_CLIENT=$!

# elapsed_s rss_mb heap_used_mb old_used_mb metaspace_mb threads fds young_gcs full_gcs
samples="$STATE_DIR/soak-samples.tsv"
: > "$samples"
t0=$(now)
while :; do
  elapsed=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%d", b - a }')
  read -r heap old meta ygc fgc < <(jstat -gc "$MONITOR" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
    NR == 2 { printf "%.1f %.1f %.1f %d %d\n", ($(c["S0U"]) + $(c["S1U"]) + $(c["EU"]) + $(c["OU"])) / 1024,
              $(c["OU"]) / 1024, $(c["MU"]) / 1024, $(c["YGC"]), $(c["FGC"]) }')
  threads=$(awk '/^Threads/ { print $2 }' "/proc/$MONITOR/status")
  fds=$(ls "/proc/$MONITOR/fd" | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$elapsed" "$(rss_mb "$MONITOR")" "$heap" "$old" "$meta" "$threads" "$fds" "$ygc" "$fgc" >> "$samples"
  ((elapsed >= DURATION)) && break
  sleep "$SAMPLE"
done
wait "$SOCKET_CLIENTS" "$PAIR_CLIENTS" "$REST_CLIENT" 2>/dev/null || true
sleep 1
ticks="$STATE_DIR/soak-ticks.txt"
tick_times "$log" 0 > "$ticks"
over=$(awk -v i="$INTERVAL" '$1 > i * 1000 { c++ } END { print c + 0 }' "$ticks")
kill "$MONITOR" "$TRICKLE" 2>/dev/null || true

block="$STATE_DIR/soak-block.md"
python3 - "$samples" "$SIZE" "$DURATION" "$SAMPLE" "$INTERVAL" "$(machine_line)" "$first" \
  "$(wc -l < "$ticks")" "$(percentile 50 "$ticks")" "$(percentile 99 "$ticks")" "$over" \
  "$STATE_DIR/soak-sockets-whole.json" "$STATE_DIR/soak-sockets-pair.json" "$STATE_DIR/soak-rest.json" "${JVM_OPTS:-the JVM defaults}" > "$block" <<'PY'
import json, sys, datetime
(path, size, duration, sample, interval, machine, first, ticks, t50, t99, over, whole, pair, rest, jvm) = sys.argv[1:]
rows = [list(map(float, line.split("\t"))) for line in open(path) if line.strip()]
def load(p):
    try:
        return json.load(open(p))
    except Exception:
        return None
def slope(col, after):
    pts = [(r[0], r[col]) for r in rows if r[0] >= after]
    if len(pts) < 2:
        return 0.0
    n = len(pts); mx = sum(x for x, _ in pts) / n; my = sum(y for _, y in pts) / n
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return 0.0 if sxx == 0 else sum((x - mx) * (y - my) for x, y in pts) / sxx * 3600
warm = min(600, float(duration) / 6)
print(f"<!-- soak:begin (written by scripts/bench-soak.sh on {datetime.date.today()}) -->")
print()
print(f"Machine: {machine}. {size} databases at a {interval} s interval for {int(float(duration)) // 60} min, sampled every {sample} s;"
      f" JVM options `{jvm.strip()}`. First complete snapshot after {first} s. {ticks} ticks: p50 / p99 {t50} / {t99} ms, {over} over the interval.")
print()
print("| minute | RSS | heap in use | old generation in use | metaspace | threads | open files | collections (young / full) |")
print("|---|---|---|---|---|---|---|---|")
step = max(1, len(rows) // 12)
for r in rows[::step] + ([rows[-1]] if (len(rows) - 1) % step else []):
    print(f"| {int(r[0]) // 60} | {int(r[1])} MB | {r[2]:.1f} MB | {r[3]:.1f} MB | {r[4]:.1f} MB | {int(r[5])} | {int(r[6])} | {int(r[7])} / {int(r[8])} |")
print()
after = [r for r in rows if r[0] >= warm]
if after:
    print(f"After the first {int(warm) // 60} min: RSS {int(min(r[1] for r in after))}-{int(max(r[1] for r in after))} MB"
          f" (trend {slope(1, warm):+.1f} MB/h), old generation {min(r[3] for r in after):.1f}-{max(r[3] for r in after):.1f} MB"
          f" (trend {slope(3, warm):+.1f} MB/h), metaspace trend {slope(4, warm):+.1f} MB/h, threads {int(min(r[5] for r in after))}-{int(max(r[5] for r in after))},"
          f" open files {int(min(r[6] for r in after))}-{int(max(r[6] for r in after))}.")
    print()
for label, p in (("whole-snapshot sockets", whole), ("one-pair sockets", pair)):
    r = load(p)
    if r:
        print(f"- {r['clients']} {label}: {r['deliveries']} snapshots received ({r['missed']} missed), delay p50 / p99 "
              f"{r['delayMs']['p50']} / {r['delayMs']['p99']} ms, {r['failed']} connection errors.")
r = load(rest)
if r:
    print(f"- GET /api/snapshot at {r['rate']}/s: {r['latencyMs']['count']} answered, {r['errors']} errors, p50 / p99 "
          f"{r['latencyMs']['p50']} / {r['latencyMs']['p99']} ms.")
print()
print("<!-- soak:end -->")
PY
replace_block "$OUT" soak "$block"
echo "Results written to $OUT" >&2
cat "$block"
