#!/usr/bin/env bash
# Fleet benchmark: the packaged monitor and Debian's prometheus-postgres-exporter watching the same databases, one
# after the other (each measured without the other's load), at several fleet sizes. Method and results: docs/benchmarks.md (this script rewrites the part
# between its result markers and leaves the rest as written).
#
# A fleet of local PostgreSQL clusters (Debian's newest), DBS_PER_CLUSTER databases each: half are sources (a
# table, a publication FOR ALL TABLES and the slot of a subscription), half targets (the same table and a
# subscription, without initial copy, to a source on the next cluster, as a migration between servers is). For
# each size N (N/2 pairs), the monitor is started with N databases at
# INTERVAL and, after WARMUP seconds, measured for ROUND seconds: its tick times (from its debug log), its resident
# set (sampled every 5 s, the largest kept), its CPU time and the time the servers spent on its statements
# (pg_stat_statements, per role). Then the exporter is started with the same N DSNs and scraped every INTERVAL
# (or back to back when a scrape takes longer) for ROUND seconds, after one scrape to warm up.
#
#   scripts/bench-fleet.sh                         # sizes 10 100 500, 120 s each
#   SIZES="4" ROUND=15 WARMUP=10 OUT=target/bench-smoke.md scripts/bench-fleet.sh   # the smoke run
#   JVM_OPTS="" scripts/bench-fleet.sh             # the JVM's defaults instead of the shipped options
#   scripts/bench-fleet.sh --stop                  # stop the clusters and remove their data
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-fleet}
source scripts/lib-pg.sh

SIZES=${SIZES:-"10 100 500"}
ROUND=${ROUND:-120}
WARMUP=${WARMUP:-30}
INTERVAL=${INTERVAL:-5}
OUT=${OUT:-docs/benchmarks.md}
# The options the JVM image and the scripts ship (see DEPLOYMENT.md); JVM_OPTS="" measures the JVM's defaults.
SHIPPED_JVM_OPTS="$(grep -v '^#' config/jvm.options | tr '\n' ' ')"
JVM_OPTS=${JVM_OPTS-$SHIPPED_JVM_OPTS}
DBS_PER_CLUSTER=${DBS_PER_CLUSTER:-20}
BASE_PORT=${BASE_PORT:-5500}
MONITOR_PORT=${MONITOR_PORT:-8097}
EXPORTER_PORT=${EXPORTER_PORT:-9197}
PW=fleet-pw
MONITOR_PW=fleet-monitor-pw
EXPORTER_PW=fleet-exporter-pw

if [[ "${1:-}" == "--stop" ]]; then
  for dir in "$STATE_DIR"/pg*; do [[ -d "$dir" ]] && stop_cluster "$(basename "$dir")"; done
  rm -rf "$STATE_DIR"; exit 0
fi

max_size=0
for n in $SIZES; do ((n > max_size)) && max_size=$n; done
PAIRS=$(( (max_size + 1) / 2 ))
HALF=$((DBS_PER_CLUSTER / 2))
CLUSTERS=$(( (PAIRS + HALF - 1) / HALF ))
((CLUSTERS < 2)) && CLUSTERS=2

now() { date +%s.%N; }
name() { printf '%s%03d' "$1" "$2"; }
# Pair i: its source on cluster (k + 1) mod CLUSTERS, its target on cluster k, where k = (i - 1) / HALF.
src_port() { echo $((BASE_PORT + ( (($1 - 1) / HALF) + 1) % CLUSTERS)); }
dst_port() { echo $((BASE_PORT + (($1 - 1) / HALF) % CLUSTERS)); }
at() { local port=$1; shift; psql_at "$port" "$PW" "$@"; }

command -v prometheus-postgres-exporter >/dev/null || {
  echo "Installing Debian's prometheus-postgres-exporter..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-postgres-exporter >/dev/null
}
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests

# Settings sized for the cluster's share of the largest fleet asked for, in an included file rewritten on every run
# (a restart applies a change): the fleet may grow between runs.
tune() {
  local c=$1 port=$2 conf="$STATE_DIR/$1/fleet.conf"
  grep -q "fleet.conf" "$STATE_DIR/$c/postgresql.conf" || echo "include_if_exists = 'fleet.conf'" >> "$STATE_DIR/$c/postgresql.conf"
  cat > "$conf.new" <<CONF
max_connections = $((DBS_PER_CLUSTER * 3 + 50))
max_wal_senders = $((HALF + 10))
max_replication_slots = $((HALF + 10))
max_logical_replication_workers = $((HALF + 10))
max_worker_processes = $((HALF + 20))
shared_buffers = 32MB
max_wal_size = 1GB
synchronous_commit = off
shared_preload_libraries = 'pg_stat_statements'
CONF
  if ! cmp -s "$conf.new" "$conf"; then
    mv "$conf.new" "$conf"; chown postgres: "$conf" 2>/dev/null || true
    stop_cluster "$c"
  else
    rm -f "$conf.new"
  fi
  start_cluster "$c" "$port" "$PW" 2>/dev/null
}

echo "Starting $CLUSTERS clusters of up to $DBS_PER_CLUSTER databases..." >&2
for ((c = 0; c < CLUSTERS; c++)); do
  port=$((BASE_PORT + c)) cname=$(printf 'pg%02d' "$c")
  [[ -f "$STATE_DIR/$cname/PG_VERSION" ]] || { start_cluster "$cname" "$port" "$PW" 2>/dev/null; stop_cluster "$cname"; }
  tune "$cname" "$port"
  at "$port" postgres -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'monitor') THEN
        CREATE ROLE monitor LOGIN PASSWORD '$MONITOR_PW' IN ROLE pg_monitor; END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'exporter') THEN
        CREATE ROLE exporter LOGIN PASSWORD '$EXPORTER_PW' IN ROLE pg_monitor; END IF;
    END \$\$" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1
done

# The databases, created once for the largest size; smaller sizes watch the first pairs.
for ((i = 1; i <= PAIRS; i++)); do
  s=$(name s "$i") d=$(name d "$i") sp=$(src_port "$i") dp=$(dst_port "$i")
  at "$sp" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$s'" | grep -q 1 && continue
  ((i % 50 == 1)) && echo "  creating pairs $i.. of $PAIRS" >&2
  at "$sp" postgres -q -c "CREATE DATABASE $s" >/dev/null
  at "$sp" "$s" -q -c "CREATE TABLE items (id bigserial PRIMARY KEY, note text)" -c "CREATE PUBLICATION pub FOR ALL TABLES" >/dev/null
  at "$dp" postgres -q -c "CREATE DATABASE $d" >/dev/null
  at "$dp" "$d" -q -c "CREATE TABLE items (id bigserial PRIMARY KEY, note text)" \
    -c "CREATE SUBSCRIPTION sub_$s CONNECTION 'host=127.0.0.1 port=$sp user=postgres password=$PW dbname=$s' PUBLICATION pub WITH (copy_data = false)" >/dev/null 2>&1
done

printf '%s\n' "$MONITOR_PW" > "$STATE_DIR/monitor.pw"
chmod 600 "$STATE_DIR/monitor.pw"

percentile() { # percentile P FILE: the P-th percentile of the numbers in FILE (nearest rank)
  sort -n "$2" | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int((p / 100) * NR + 0.999); if (i < 1) i = 1; print v[i] }'
}
rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
reset_statements() {
  for ((c = 0; c < CLUSTERS; c++)); do at $((BASE_PORT + c)) postgres -tAc "SELECT pg_stat_statements_reset()" >/dev/null; done
}
statements_ms() { # statements_ms ROLE: milliseconds the clusters spent executing ROLE's statements, and their calls
  for ((c = 0; c < CLUSTERS; c++)); do
    at $((BASE_PORT + c)) postgres -tAc "SELECT coalesce(sum(total_exec_time), 0) || ' ' || coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = '$1'"
  done | awk '{ ms += $1; calls += $2 } END { printf "%.1f %d", ms, calls }'
}

results="$STATE_DIR/results.tsv"
: > "$results"
for n in $SIZES; do
  pairs=$(( (n + 1) / 2 ))
  echo "Size $n: $pairs pair(s)..." >&2
  config="$STATE_DIR/config-$n.yaml"
  {
    echo "monitor:"
    echo "  refresh-interval: ${INTERVAL}s"
    echo "  query-timeout: $((INTERVAL * 4 / 5))s"
    echo "  connect-timeout: $((INTERVAL * 3 / 5))s"
    echo "  cutover:"
    echo "    deep-check-interval: 0s"
    echo "  databases:"
    for ((i = 1; i <= pairs; i++)); do
      s=$(name s "$i") d=$(name d "$i")
      echo "    - { name: $s, host: 127.0.0.1, port: $(src_port "$i"), user: monitor, password-file: $STATE_DIR/monitor.pw, dbname: $s, role: source, ssl-mode: disable }"
      echo "    - { name: $d, host: 127.0.0.1, port: $(dst_port "$i"), user: monitor, password-file: $STATE_DIR/monitor.pw, dbname: $d, role: target, source: $s, ssl-mode: disable }"
    done
  } > "$config"
  dsns=""
  for ((i = 1; i <= pairs; i++)); do
    dsns+="${dsns:+,}postgresql://exporter:$EXPORTER_PW@127.0.0.1:$(src_port "$i")/$(name s "$i")?sslmode=disable"
    dsns+=",postgresql://exporter:$EXPORTER_PW@127.0.0.1:$(dst_port "$i")/$(name d "$i")?sslmode=disable"
  done

  # Ours first, alone: start-up (from the launch to the first snapshot in which every database answered), then
  # WARMUP, then ROUND measured.
  : > "$STATE_DIR/ticks-$n.txt"
  started=$(now)
  # shellcheck disable=SC2086 # JVM_OPTS is a list of options
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2} java $JVM_OPTS -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$MONITOR_PORT \
    -Dquarkus.log.category.\"io.pgrepmon.pipeline\".level=DEBUG \
    -jar target/quarkus-app/quarkus-run.jar --config "$config" > "$STATE_DIR/monitor-$n.log" 2>&1 &
  monitor=$!
  trap 'kill $monitor ${exporter:-} ${trickle:-} 2>/dev/null || true' EXIT
  first=""
  for ((t = 0; t < 1200; t++)); do
    if curl -fs "http://127.0.0.1:$MONITOR_PORT/api/snapshot" 2>/dev/null | python3 -c "
import json, sys
s = json.load(sys.stdin)
sys.exit(0 if len(s['databases']) == $n and all(d['reachable'] for d in s['databases']) else 1)" 2>/dev/null; then
      first=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'); break
    fi
    sleep 0.5
  done

  # The trickle: one insert per source in turn, each source about once a minute (at least 0.25 s apart).
  gap=$(awk -v p="$pairs" 'BEGIN { g = 60 / p; printf "%.3f", (g < 0.25 ? 0.25 : g) }')
  ( while :; do
      for ((i = 1; i <= pairs; i++)); do
        at "$(src_port "$i")" "$(name s "$i")" -c "INSERT INTO items (note) VALUES ('trickle')" >/dev/null 2>&1 || true
        sleep "$gap"
      done
    done ) &
  trickle=$!

  sleep "$WARMUP"
  reset_statements
  log_from=$(wc -l < "$STATE_DIR/monitor-$n.log")
  cpu0=$(cpu_ticks "$monitor")
  our_rss=0
  t0=$(now)
  while awk -v a="$t0" -v b="$(now)" -v r="$ROUND" 'BEGIN { exit !(b - a < r) }'; do
    r=$(rss_mb "$monitor"); ((r > our_rss)) && our_rss=$r
    sleep 5
  done
  cpu1=$(cpu_ticks "$monitor")
  read -r our_sql_ms our_calls <<< "$(statements_ms monitor)"
  kill "$monitor" 2>/dev/null || true; wait "$monitor" 2>/dev/null || true

  # Then the exporter, alone, on the same databases: one scrape to warm up, then ROUND of scrapes every INTERVAL.
  DATA_SOURCE_NAME="$dsns" prometheus-postgres-exporter --web.listen-address=127.0.0.1:$EXPORTER_PORT \
    > "$STATE_DIR/exporter-$n.log" 2>&1 &
  exporter=$!
  sleep 2
  curl -s -o /dev/null --max-time 120 "http://127.0.0.1:$EXPORTER_PORT/metrics" || true
  reset_statements
  scrapes="$STATE_DIR/scrapes-$n.txt"
  : > "$scrapes"
  their_rss=0
  t0=$(now)
  while awk -v a="$t0" -v b="$(now)" -v r="$ROUND" 'BEGIN { exit !(b - a < r) }'; do
    took=$(curl -s -o /dev/null --max-time 60 -w '%{time_total}' "http://127.0.0.1:$EXPORTER_PORT/metrics") || took=timeout
    echo "$took" >> "$scrapes"
    r=$(rss_mb "$exporter"); ((r > their_rss)) && their_rss=$r
    if [[ "$took" != timeout ]]; then
      sleep "$(awk -v t="$took" -v i="$INTERVAL" 'BEGIN { d = i - t; printf "%.3f", (d > 0 ? d : 0) }')"
    fi
  done
  read -r their_sql_ms their_calls <<< "$(statements_ms exporter)"
  kill "$exporter" "$trickle" 2>/dev/null || true
  wait "$exporter" "$trickle" 2>/dev/null || true
  exporter= trickle=

  tail -n +"$((log_from + 1))" "$STATE_DIR/monitor-$n.log" | sed -n 's/.*tick [0-9]*: read [0-9]* database(s) in \([0-9]*\) ms, published after \([0-9]*\) ms.*/\2/p' > "$STATE_DIR/ticks-$n.txt"
  ticks="$STATE_DIR/ticks-$n.txt"
  tick_count=$(wc -l < "$ticks")
  over=$(awk -v i="$INTERVAL" '$1 > i * 1000 { c++ } END { print c + 0 }' "$ticks")
  unfinished=$(grep -c timeout "$scrapes" || true)
  grep -v timeout "$scrapes" | awk '{ printf "%d\n", $1 * 1000 }' > "$scrapes.ms"
  scrape_count=$(wc -l < "$scrapes.ms")
  clk=$(getconf CLK_TCK)
  cpu_per=$(awk -v c0="$cpu0" -v c1="$cpu1" -v k="$clk" -v t="$tick_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", (c1 - c0) * 1000 / k / t / n }')
  our_sql=$(awk -v m="$our_sql_ms" -v t="$tick_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", m / t / n }')
  their_sql=$(awk -v m="$their_sql_ms" -v t="$scrape_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", m / t / n }')
  our_rt=$(awk -v c="$our_calls" -v t="$tick_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.1f", c / t / n }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" \
    "$(percentile 50 "$ticks")" "$(percentile 99 "$ticks")" "$tick_count" "$over" \
    "$(percentile 50 "$scrapes.ms")" "$(percentile 99 "$scrapes.ms")" "$scrape_count" "$unfinished" \
    "$our_rss" "$their_rss" "$cpu_per" "$our_sql" "$their_sql" "$our_rt" "${first:-none}" >> "$results"
  echo "  $(tail -n 1 "$results")" >&2
done

# The report: the part between the markers is replaced, the rest of the file kept.
machine="$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
versions="PostgreSQL $("$(pg_bin)/postgres" --version | awk '{ print $3 }'), $(java -version 2>&1 | head -n 1), postgres_exporter $(prometheus-postgres-exporter --version 2>&1 | awk 'NR == 1 { print $3 }')"
block="$STATE_DIR/block.md"
{
  echo "<!-- results:begin (written by scripts/bench-fleet.sh on $(date -u +%Y-%m-%d)) -->"
  echo
  echo "Machine: $machine. Versions: $versions. $CLUSTERS clusters of up to $DBS_PER_CLUSTER databases. Interval ${INTERVAL} s, warm-up ${WARMUP} s, round ${ROUND} s per size."
  jvm_text=${JVM_OPTS:-none, the defaults of the JVM}
  echo "JVM options: \`$jvm_text\`, MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}."
  echo
  echo "| databases | our tick, p50 / p99 | exporter scrape, p50 / p99 | scrape / tick (p50) | ticks over the interval | scrapes unfinished (60 s) | our RSS | exporter RSS | our CPU per database per poll | server time per database per poll, ours / exporter's | our statements per database per tick | first complete snapshot |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  while IFS=$'\t' read -r n t50 t99 tc over s50 s99 sc unf orss erss cpu osql esql ort first; do
    ratio=$(awk -v s="$s50" -v t="$t50" 'BEGIN { if (s == "-" || t == "-" || t == 0) print "-"; else printf "%.0fx", s / t }')
    echo "| $n | $t50 / $t99 ms ($tc ticks) | $s50 / $s99 ms ($sc scrapes) | $ratio | $over | $unf | $orss MB | $erss MB | $cpu ms | $osql / $esql ms | $ort | $first s |"
  done < "$results"
  echo
  echo "<!-- results:end -->"
} > "$block"
mkdir -p "$(dirname "$OUT")"
if [[ -f "$OUT" ]] && grep -q '<!-- results:begin' "$OUT"; then
  python3 - "$OUT" "$block" <<'PY'
import re, sys
out, block = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(out).read()
text = re.sub(r"<!-- results:begin.*?<!-- results:end -->", lambda m: block, text, flags=re.S)
open(out, "w").write(text)
PY
else
  { echo "# Benchmarks"; echo; cat "$block"; } > "$OUT"
fi
echo "Results written to $OUT" >&2
cat "$block"
