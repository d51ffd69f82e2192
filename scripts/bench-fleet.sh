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
#   scripts/bench-fleet.sh                         # sizes 10 100 500 1000, 120 s each
#   SIZES="4" ROUND=15 WARMUP=10 OUT=target/bench-smoke.md scripts/bench-fleet.sh   # the smoke run
#   JVM_OPTS="" scripts/bench-fleet.sh             # the JVM's defaults instead of the shipped options
#   EXPORTER=0 SIZES=10 OUT=target/try.md scripts/bench-fleet.sh   # the monitor alone, e.g. to try JVM options
#   PROFILE=1 scripts/bench-fleet.sh               # also a JFR profile of each round, summed up in STATE_DIR/profile-N.txt
#   scripts/bench-fleet.sh --stop                  # stop the clusters and remove their data
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-fleet}
source scripts/lib-pg.sh
source scripts/lib-fleet.sh

SIZES=${SIZES:-"10 100 500 1000"}
ROUND=${ROUND:-120}
WARMUP=${WARMUP:-30}
OUT=${OUT:-docs/benchmarks.md}
EXPORTER_PORT=${EXPORTER_PORT:-9197}

if [[ "${1:-}" == "--stop" ]]; then fleet_stop; exit 0; fi

max_size=0
for n in $SIZES; do ((n > max_size)) && max_size=$n; done

command -v prometheus-postgres-exporter >/dev/null || {
  echo "Installing Debian's prometheus-postgres-exporter..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-postgres-exporter >/dev/null
}
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests
fleet_up "$max_size"

reset_statements() {
  for ((c = 0; c < RUNNING; c++)); do at $((BASE_PORT + c)) postgres -tAc "SELECT pg_stat_statements_reset()" >/dev/null; done
}
backend_cpu_ms() { # backend_cpu_ms ROLE: CPU time (ms) the server processes serving ROLE's connections have used so far
  local pids
  pids=$(for ((c = 0; c < RUNNING; c++)); do
    at $((BASE_PORT + c)) postgres -tAc "SELECT pid FROM pg_stat_activity WHERE usename = '$1'"
  done)
  for pid in $pids; do awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true; done \
    | awk -v k="$(getconf CLK_TCK)" -v list="$pids" '{ t += $1 } END { printf "%.0f %s", t * 1000 / k, list }' | tr '\n' ','
}
# backend_cpu_since ROLE "MS PIDS": CPU (ms) those same processes have used since (a process gone since counts 0)
backend_cpu_since() {
  local before=${2%% *} pids=${2#* }
  for pid in ${pids//,/ }; do awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true; done \
    | awk -v k="$(getconf CLK_TCK)" -v b="$before" '{ t += $1 } END { printf "%.0f", t * 1000 / k - b }'
}
statements_ms() { # statements_ms ROLE: milliseconds the clusters spent executing ROLE's statements, and their calls
  for ((c = 0; c < RUNNING; c++)); do
    at $((BASE_PORT + c)) postgres -tAc "SELECT coalesce(sum(total_exec_time), 0) || ' ' || coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = '$1'"
  done | awk '{ ms += $1; calls += $2 } END { printf "%.1f %d", ms, calls }'
}

results="$STATE_DIR/results.tsv"
: > "$results"
for n in $SIZES; do
  pairs=$(( (n + 1) / 2 ))
  echo "Size $n: $pairs pair(s)..." >&2
  config="$STATE_DIR/config-$n.yaml"
  fleet_config "$n" "$config"
  dsns=""
  for ((i = 1; i <= pairs; i++)); do
    dsns+="${dsns:+,}postgresql://exporter:$EXPORTER_PW@127.0.0.1:$(src_port "$i")/$(name s "$i")?sslmode=disable"
    dsns+=",postgresql://exporter:$EXPORTER_PW@127.0.0.1:$(dst_port "$i")/$(name d "$i")?sslmode=disable"
  done

  # Ours first, alone: start-up (from the launch to the first snapshot in which every database answered), then
  # WARMUP, then ROUND measured.
  started=$(now)
  start_monitor "$config" "$STATE_DIR/monitor-$n.log"
  monitor=$MONITOR
  trap 'kill $monitor ${exporter:-} ${trickle:-} 2>/dev/null || true' EXIT
  first=$(wait_complete "$n" "$started")
  start_trickle "$pairs"
  trickle=$TRICKLE

  sleep "$WARMUP"
  # The servers' counters first (their psql calls can take seconds under load), then the round's own marks, so
  # that the ticks counted and the CPU measured cover the same window.
  our_backends=$(backend_cpu_ms monitor)
  reset_statements
  [[ -n "${PROFILE:-}" ]] && jcmd "$monitor" JFR.start name=bench settings=profile >/dev/null
  log_from=$(wc -l < "$STATE_DIR/monitor-$n.log")
  cpu0=$(cpu_ticks "$monitor")
  our_rss=0
  t0=$(now)
  while awk -v a="$t0" -v b="$(now)" -v r="$ROUND" 'BEGIN { exit !(b - a < r) }'; do
    r=$(rss_mb "$monitor"); ((r > our_rss)) && our_rss=$r
    sleep 5
  done
  cpu1=$(cpu_ticks "$monitor")
  log_to=$(wc -l < "$STATE_DIR/monitor-$n.log")
  read -r our_sql_ms our_calls <<< "$(statements_ms monitor)"
  our_backend_ms=$(backend_cpu_since monitor "$our_backends")
  if [[ -n "${PROFILE:-}" ]]; then
    jcmd "$monitor" JFR.dump name=bench filename="$STATE_DIR/monitor-$n.jfr" >/dev/null
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$STATE_DIR/monitor-$n.jfr" | scripts/jfr-top.py > "$STATE_DIR/profile-$n.txt"
    echo "  profile of the round: $STATE_DIR/profile-$n.txt" >&2
  fi
  kill "$monitor" 2>/dev/null || true; wait "$monitor" 2>/dev/null || true

  # Then the exporter, alone, on the same databases: one scrape to warm up, then ROUND of scrapes every INTERVAL.
  # EXPORTER=0 leaves it out (experiments on the monitor alone).
  scrapes="$STATE_DIR/scrapes-$n.txt"
  : > "$scrapes"
  their_rss=0 their_sql_ms=0 their_calls=0 their_backend_ms=0
  if [[ "${EXPORTER:-1}" != 0 ]]; then
    DATA_SOURCE_NAME="$dsns" prometheus-postgres-exporter --web.listen-address=127.0.0.1:$EXPORTER_PORT \
      > "$STATE_DIR/exporter-$n.log" 2>&1 &
    exporter=$!
    sleep 2
    curl -s -o /dev/null --max-time 120 "http://127.0.0.1:$EXPORTER_PORT/metrics" || true
    reset_statements
    their_backends=$(backend_cpu_ms exporter)
    t0=$(now)
    while awk -v a="$t0" -v b="$(now)" -v r="$ROUND" 'BEGIN { exit !(b - a < r) }'; do
      took=$(curl -s -o /dev/null --max-time 60 -w '%{time_total}' "http://127.0.0.1:$EXPORTER_PORT/metrics") || took=timeout
      echo "$took" >> "$scrapes"
      r=$(rss_mb "$exporter"); ((r > their_rss)) && their_rss=$r
      if [[ "$took" != timeout ]]; then
        sleep "$(awk -v t="$took" -v i="$INTERVAL" 'BEGIN { d = i - t; printf "%.3f", (d > 0 ? d : 0) }')"
      fi
    done
    their_backend_ms=$(backend_cpu_since exporter "$their_backends")
    read -r their_sql_ms their_calls <<< "$(statements_ms exporter)"
    kill "$exporter" "$trickle" 2>/dev/null || true
    wait "$exporter" "$trickle" 2>/dev/null || true
    exporter= trickle=
  else
    kill "$trickle" 2>/dev/null || true; wait "$trickle" 2>/dev/null || true; trickle=
  fi

  ticks="$STATE_DIR/ticks-$n.txt"
  tick_times "$STATE_DIR/monitor-$n.log" "$log_from" "$log_to" > "$ticks"
  tick_count=$(wc -l < "$ticks")
  over=$(awk -v i="$INTERVAL" '$1 > i * 1000 { c++ } END { print c + 0 }' "$ticks")
  unfinished=$(grep -c timeout "$scrapes" || true)
  { grep -v timeout "$scrapes" || true; } | awk '{ printf "%d\n", $1 * 1000 }' > "$scrapes.ms"
  scrape_count=$(wc -l < "$scrapes.ms")
  clk=$(getconf CLK_TCK)
  cpu_per=$(awk -v c0="$cpu0" -v c1="$cpu1" -v k="$clk" -v t="$tick_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", (c1 - c0) * 1000 / k / t / n }')
  our_sql=$(awk -v m="$our_sql_ms" -v t="$tick_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", m / t / n }')
  their_sql=$(awk -v m="$their_sql_ms" -v t="$scrape_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", m / t / n }')
  our_bcpu=$(awk -v m="$our_backend_ms" -v t="$tick_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", m / t / n }')
  their_bcpu=$(awk -v m="$their_backend_ms" -v t="$scrape_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.2f", m / t / n }')
  our_rt=$(awk -v c="$our_calls" -v t="$tick_count" -v n="$n" 'BEGIN { if (t == 0) print "-"; else printf "%.1f", c / t / n }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" \
    "$(percentile 50 "$ticks")" "$(percentile 99 "$ticks")" "$tick_count" "$over" \
    "$(percentile 50 "$scrapes.ms")" "$(percentile 99 "$scrapes.ms")" "$scrape_count" "$unfinished" \
    "$our_rss" "$their_rss" "$cpu_per" "$our_sql" "$their_sql" "$our_bcpu" "$their_bcpu" "$our_rt" "${first:-none}" >> "$results"
  echo "  $(tail -n 1 "$results")" >&2
done

# The report: the part between the markers is replaced, the rest of the file kept.
machine=$(machine_line)
versions="PostgreSQL $("$(pg_bin)/postgres" --version | awk '{ print $3 }'), $(java -version 2>&1 | head -n 1), postgres_exporter $(prometheus-postgres-exporter --version 2>&1 | awk 'NR == 1 { print $3 }')"
block="$STATE_DIR/block.md"
{
  echo "<!-- results:begin (written by scripts/bench-fleet.sh on $(date -u +%Y-%m-%d)) -->"
  echo
  echo "Machine: $machine. Versions: $versions. $RUNNING clusters running (of a layout of $CLUSTERS), up to $DBS_PER_CLUSTER databases each. Interval ${INTERVAL} s, warm-up ${WARMUP} s, round ${ROUND} s per size."
  jvm_text=${JVM_OPTS:-none, the defaults of the JVM}
  echo "JVM options: \`$jvm_text\`, MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}."
  echo
  echo "| databases | our tick, p50 / p99 | exporter scrape, p50 / p99 | scrape / tick (p50) | ticks over the interval | scrapes unfinished (60 s) | our RSS | exporter RSS | our CPU per database per poll | server time per database per poll, ours / exporter's | server CPU per database per poll, ours / exporter's | our statements per database per tick | first complete snapshot |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  while IFS=$'\t' read -r n t50 t99 tc over s50 s99 sc unf orss erss cpu osql esql obc ebc ort first; do
    ratio=$(awk -v s="$s50" -v t="$t50" 'BEGIN { if (s == "-" || t == "-" || t == 0) print "-"; else printf "%.0fx", s / t }')
    echo "| $n | $t50 / $t99 ms ($tc ticks) | $s50 / $s99 ms ($sc scrapes) | $ratio | $over | $unf | $orss MB | $erss MB | $cpu ms | $osql / $esql ms | $obc / $ebc ms | $ort | $first s |"
  done < "$results"
  echo
  echo "<!-- results:end -->"
} > "$block"
replace_block "$OUT" results "$block"
echo "Results written to $OUT" >&2
cat "$block"
