#!/usr/bin/env bash
# One command demo, no Docker: a local source and target PostgreSQL with real logical replication, a steady
# write load, and the monitor on http://localhost:8080 (MONITOR_PORT). Ctrl-C stops everything this script started.
# In another terminal, scripts/cutover.sh then takes the pair to Ready: it stops the load, fixes the sequences and
# passes the gate.
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-demo}
export MONITOR_PASSWORD=${MONITOR_PASSWORD:-monitor-demo-pw}
RATE=${RATE:-200}
MONITOR_PORT=${MONITOR_PORT:-8080}

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping the demo..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/setup-test-replication.sh --stop
}
trap cleanup INT TERM EXIT

scripts/setup-test-replication.sh

if [[ ! -f target/quarkus-app/quarkus-run.jar ]]; then
  echo "Building the monitor (first run only)..."
  ./mvnw -q -B package -DskipTests
fi

echo "Write load: $RATE rows/s on the source (scripts/test-replication.sh prints the lag as it moves)"
scripts/test-replication.sh "$RATE" 0 > "$STATE_DIR/load.log" 2>&1 &
pids+=($!)
echo $! > "$STATE_DIR/load.pid"   # scripts/cutover.sh stops the load with it

echo "Monitor: http://localhost:$MONITOR_PORT  (REST: /api/overview, WebSocket: /api/ws)  Ctrl-C to stop"
echo "To cut over: scripts/cutover.sh (in another terminal)"
# Bound to loopback: no credentials needed (access control is on by default on any other address).
# shellcheck disable=SC2046 # one option per line
MALLOC_ARENA_MAX=2 java $(grep -v '^#' config/jvm.options) -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$MONITOR_PORT" \
  -jar target/quarkus-app/quarkus-run.jar --config "$STATE_DIR/config.yaml" &
pids+=($!)
wait "${pids[-1]}"
