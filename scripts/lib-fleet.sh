#!/usr/bin/env bash
# Shared by the fleet benchmarks (bench-fleet.sh, bench-fanout.sh, bench-soak.sh): a fleet of local PostgreSQL
# clusters (Debian's newest), DBS_PER_CLUSTER databases each. Half are sources (a table, a publication FOR ALL
# TABLES and the slot of a subscription), half targets (the same table and a subscription, without initial copy, to
# a source on the next cluster, as a migration between servers is). Sourced after lib-pg.sh, with STATE_DIR set.
set -euo pipefail

DBS_PER_CLUSTER=${DBS_PER_CLUSTER:-20}
BASE_PORT=${BASE_PORT:-5500}
INTERVAL=${INTERVAL:-5}
MONITOR_PORT=${MONITOR_PORT:-8097}
# The packaged monitor measured; another build's quarkus-run.jar to compare.
APP=${APP:-target/quarkus-app/quarkus-run.jar}
# The options the JVM image and the scripts ship (see DEPLOYMENT.md); JVM_OPTS="" measures the JVM's defaults.
SHIPPED_JVM_OPTS="$(grep -v '^#' config/jvm.options | tr '\n' ' ')"
JVM_OPTS=${JVM_OPTS-$SHIPPED_JVM_OPTS}
PW=fleet-pw
MONITOR_PW=fleet-monitor-pw
EXPORTER_PW=fleet-exporter-pw
HALF=$((DBS_PER_CLUSTER / 2))

now() { date +%s.%N; }
name() { printf '%s%03d' "$1" "$2"; }
# Pair i: its source on cluster (k + 1) mod CLUSTERS, its target on cluster k, where k = (i - 1) / HALF.
src_port() { echo $((BASE_PORT + ( (($1 - 1) / HALF) + 1) % CLUSTERS)); }
dst_port() { echo $((BASE_PORT + (($1 - 1) / HALF) % CLUSTERS)); }
at() { local port=$1; shift; psql_at "$port" "$PW" "$@"; }

fleet_stop() {
  for dir in "$STATE_DIR"/pg*; do [[ -d "$dir" ]] && stop_cluster "$(basename "$dir")"; done
  rm -rf "$STATE_DIR"
}

# Settings sized for the cluster's share of the largest fleet asked for, in an included file rewritten on every run
# (a restart applies a change): the fleet may grow between runs.
fleet_tune() {
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

# fleet_up MAX_SIZE: the clusters and the databases of MAX_SIZE (created once; smaller sizes watch the first pairs).
# Sets PAIRS, CLUSTERS (the layout) and RUNNING (the clusters started: those the size uses).
fleet_up() {
  PAIRS=$(( ($1 + 1) / 2 ))
  CLUSTERS=$(( (PAIRS + HALF - 1) / HALF ))
  ((CLUSTERS < 2)) && CLUSTERS=2
  # A fleet made earlier for more databases keeps its layout (which cluster holds which pair).
  local made
  made=$({ find "$STATE_DIR" -maxdepth 1 -name 'pg[0-9]*' -type d 2>/dev/null || true; } | wc -l)
  ((made > CLUSTERS)) && CLUSTERS=$made
  # Only the clusters this size uses run: the others' background work (walsenders, apply workers, autovacuum)
  # would load the same cores as the tools measured.
  local needed=$(( (PAIRS - 1) / HALF + 2 ))
  ((needed > CLUSTERS)) && needed=$CLUSTERS
  RUNNING=$needed
  echo "Starting $needed of $CLUSTERS clusters of up to $DBS_PER_CLUSTER databases..." >&2
  local c port cname i s d sp dp
  for ((c = needed; c < CLUSTERS; c++)); do
    cname=$(printf 'pg%02d' "$c")
    [[ -f "$STATE_DIR/$cname/postmaster.pid" ]] && stop_cluster "$cname"
  done
  for ((c = 0; c < needed; c++)); do
    port=$((BASE_PORT + c)) cname=$(printf 'pg%02d' "$c")
    [[ -f "$STATE_DIR/$cname/PG_VERSION" ]] || { start_cluster "$cname" "$port" "$PW" 2>/dev/null; stop_cluster "$cname"; }
    fleet_tune "$cname" "$port"
    at "$port" postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'monitor') THEN
          CREATE ROLE monitor LOGIN PASSWORD '$MONITOR_PW' IN ROLE pg_monitor; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'exporter') THEN
          CREATE ROLE exporter LOGIN PASSWORD '$EXPORTER_PW' IN ROLE pg_monitor; END IF;
      END \$\$" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1
  done
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
}

# fleet_config N FILE: the monitor's configuration for the first N databases (N/2 pairs) at INTERVAL.
fleet_config() {
  local n=$1 pairs=$(( ($1 + 1) / 2 )) i s d
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
  } > "$2"
}

# start_monitor CONFIG LOG: the packaged monitor, its tick times logged at DEBUG; sets MONITOR (its pid).
start_monitor() {
  # shellcheck disable=SC2086 # JVM_OPTS is a list of options
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2} java $JVM_OPTS -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$MONITOR_PORT \
    -Dquarkus.log.category.\"io.pgrepmon.pipeline\".level=DEBUG \
    -jar "$APP" --config "$1" > "$2" 2>&1 &
  MONITOR=$!
}

# wait_complete N SINCE: seconds from SINCE until a snapshot in which all N databases answered ("none" if never).
wait_complete() {
  local t
  for ((t = 0; t < 1200; t++)); do
    if curl -fs "http://127.0.0.1:$MONITOR_PORT/api/snapshot" 2>/dev/null | python3 -c "
import json, sys
s = json.load(sys.stdin)
sys.exit(0 if len(s['databases']) == $1 and all(d['reachable'] for d in s['databases']) else 1)" 2>/dev/null; then
      awk -v a="$2" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; return
    fi
    sleep 0.5
  done
  echo none
}

# start_trickle PAIRS: one insert per source in turn, each source about once a minute (at least 0.25 s apart);
# sets TRICKLE (its pid).
start_trickle() {
  local pairs=$1 gap
  gap=$(awk -v p="$pairs" 'BEGIN { g = 60 / p; printf "%.3f", (g < 0.25 ? 0.25 : g) }')
  ( while :; do
      for ((i = 1; i <= pairs; i++)); do
        at "$(src_port "$i")" "$(name s "$i")" -c "INSERT INTO items (note) VALUES ('trickle')" >/dev/null 2>&1 || true
        sleep "$gap"
      done
    done ) &
  TRICKLE=$!
}

# need_clients SCRIPT: Node.js and the `ws` package (from the npm registry, once per STATE_DIR) for clients().
need_clients() {
  command -v node >/dev/null || { echo "$1 needs Node.js (apt-get install nodejs npm)" >&2; exit 2; }
  if [[ ! -d "$STATE_DIR/node/node_modules/ws" ]]; then
    mkdir -p "$STATE_DIR/node"
    npm install --silent --no-audit --no-fund --prefix "$STATE_DIR/node" ws@8 >/dev/null
  fi
}
# clients ARGS...: scripts/bench-clients.cjs (WebSocket and HTTP clients), see its header.
clients() { NODE_PATH="$STATE_DIR/node/node_modules" node scripts/bench-clients.cjs "$@"; }
# pair_names: the pairs of the monitor's latest snapshot, one per line.
pair_names() {
  curl -fs "http://127.0.0.1:$MONITOR_PORT/api/snapshot" | python3 -c "import json, sys; [print(p['name']) for p in json.load(sys.stdin)['pairs']]"
}

# tick_times LOG FROM_LINE [TO_LINE]: each tick's whole time (read and publish), in ms, from the monitor's debug
# log, between those lines (the round measured; the figures per tick divide by their count).
tick_times() {
  sed -n "$(($2 + 1)),${3:-\$}p" "$1" | sed -n 's/.*tick [0-9]*: read [0-9]* database(s) in \([0-9]*\) ms, published after \([0-9]*\) ms.*/\2/p'
}

percentile() { # percentile P FILE: the P-th percentile of the numbers in FILE (nearest rank)
  sort -n "$2" | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int((p / 100) * NR + 0.999); if (i < 1) i = 1; print v[i] }'
}
rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# replace_block FILE MARKER BLOCK_FILE: the part of FILE between <!-- MARKER:begin ... --> and <!-- MARKER:end -->
# replaced by BLOCK_FILE (which holds both markers), the rest kept; appended when FILE has no such part.
replace_block() {
  mkdir -p "$(dirname "$1")"
  if [[ -f "$1" ]] && grep -q "<!-- $2:begin" "$1"; then
    python3 - "$1" "$2" "$3" <<'PY'
import re, sys
out, marker, block = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().rstrip("\n")
text = open(out).read()
text = re.sub(r"<!-- " + marker + r":begin.*?<!-- " + marker + r":end -->", lambda m: block, text, flags=re.S)
open(out, "w").write(text)
PY
  elif [[ -f "$1" ]]; then
    { echo; cat "$3"; } >> "$1"
  else
    { echo "# Benchmarks"; echo; cat "$3"; } > "$1"
  fi
}

machine_line() {
  echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
}
