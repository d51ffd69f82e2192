#!/usr/bin/env bash
# Benchmark of the cutover gate: how long after the last write does POST /api/cutover/{pair}/verify answer 200?
#
# Method (see TESTING.md, "Benchmarks"): two local PostgreSQL clusters (Debian's newest), TABLES tables of about
# GB gigabytes in all, published FOR ALL TABLES and subscribed with the initial copy. The packaged monitor watches
# them (1 s interval, quiet period QUIET). A writer updates random rows of HOT of the tables without pause; while it
# writes, one deep check proves the content of every table it can (the full pass, timed). Then the writer stops
# (the "last write"), and the script asks verify every 2 s, as a cutover script would, until it answers 200.
# Printed: the full content pass, the time from the last write to the 200, and what the last verify carried.
#
#   scripts/bench-cutover-gate.sh                 # 1000 tables, 10 GB
#   TABLES=100 GB=0.2 scripts/bench-cutover-gate.sh
#   scripts/bench-cutover-gate.sh --stop          # stop the clusters and remove their data
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-bench}
export SOURCE_PORT=${SOURCE_PORT:-5443} TARGET_PORT=${TARGET_PORT:-5444}
source scripts/lib-pg.sh

TABLES=${TABLES:-1000}
GB=${GB:-10}
HOT=${HOT:-20}
QUIET=${QUIET:-30}
WRITE_SECONDS=${WRITE_SECONDS:-60}
PW=bench-pw
PORT=${MONITOR_PORT:-8095}
API=http://127.0.0.1:$PORT/api

if [[ "${1:-}" == "--stop" ]]; then
  stop_cluster source; stop_cluster target; rm -rf "$STATE_DIR"; exit 0
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
src() { psql_at "$SOURCE_PORT" "$PW" app "$@"; }
dst() { psql_at "$TARGET_PORT" "$PW" app "$@"; }

tune() {
  cat >> "$STATE_DIR/$1/postgresql.conf" <<CONF
shared_buffers = 1GB
max_wal_size = 4GB
checkpoint_timeout = 15min
synchronous_commit = off
max_logical_replication_workers = 8
max_sync_workers_per_subscription = 2
CONF
}

if [[ ! -f "$STATE_DIR/source/PG_VERSION" ]]; then
  start_cluster source "$SOURCE_PORT" "$PW"; tune source; stop_cluster source
  start_cluster target "$TARGET_PORT" "$PW"; tune target; stop_cluster target
fi
start_cluster source "$SOURCE_PORT" "$PW"
start_cluster target "$TARGET_PORT" "$PW"

# Rows of about 250 bytes on disk: TABLES x rows = GB.
ROWS=$(awk -v g="$GB" -v t="$TABLES" 'BEGIN { printf "%d", g * 1e9 / t / 250 }')
if ! src -tAc "SELECT 1" >/dev/null 2>&1; then
  psql_at "$SOURCE_PORT" "$PW" postgres -c "CREATE DATABASE app"
  psql_at "$TARGET_PORT" "$PW" postgres -c "CREATE DATABASE app"
  echo "Filling $TABLES tables of $ROWS rows on the source..."
  t0=$(now)
  src -c "CREATE FUNCTION fill(n int, rows int) RETURNS void LANGUAGE plpgsql AS \$\$
          BEGIN
            EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, v int NOT NULL DEFAULT 0, payload text)', n);
            EXECUTE format('INSERT INTO t%s SELECT g, 0, repeat(md5(g::text), 6) FROM generate_series(1, %s) g', n, rows);
          END \$\$"
  seq 1 "$TABLES" | xargs -P 2 -I{} env PGPASSWORD=$PW "$(pg_bin)/psql" -X -q -h 127.0.0.1 -p "$SOURCE_PORT" \
    -U postgres -d app -c "SELECT fill({}, $ROWS)" >/dev/null
  src -c "VACUUM ANALYZE"
  echo "  filled in $(since "$t0") s: $(src -tAc "SELECT pg_size_pretty(pg_database_size('app'))")"
  PGPASSWORD=$PW "$(pg_bin)/pg_dump" -h 127.0.0.1 -p "$SOURCE_PORT" -U postgres -s app | dst >/dev/null
  src -c "CREATE PUBLICATION bench FOR ALL TABLES"
  t0=$(now)
  dst -c "CREATE SUBSCRIPTION bench CONNECTION 'host=127.0.0.1 port=$SOURCE_PORT user=postgres password=$PW dbname=app' PUBLICATION bench"
  echo "Initial copy..."
  until [[ $(dst -tAc "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'") == 0 ]]; do sleep 5; done
  echo "  copied in $(since "$t0") s"
  dst -c "VACUUM ANALYZE"
fi

cat > "$STATE_DIR/config.yaml" <<YAML
monitor:
  refresh-interval: 1s
  connect-timeout: 800ms
  query-timeout: 900ms
  databases:
    - { name: source, host: 127.0.0.1, port: $SOURCE_PORT, user: postgres, password: "$PW", dbname: app, role: source, ssl-mode: disable }
    - { name: target, host: 127.0.0.1, port: $TARGET_PORT, user: postgres, password: "$PW", dbname: app, role: target, source: source, ssl-mode: disable }
  cutover:
    observation-window: 10s
    quiet-period: ${QUIET}s
    deep-check-interval: 0s
    deep-check-timeout: 10m
    max-tables: $((TABLES + 10))
    exact-count-max-rows: 100000000
    content-max-rows: 10000000000
    content-chunk-rows: 50000
    content-chunk-pause: 0s
YAML

[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests
java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$PORT -jar target/quarkus-app/quarkus-run.jar \
  --config "$STATE_DIR/config.yaml" > "$STATE_DIR/monitor.log" 2>&1 &
monitor=$!
writer=
trap 'kill $monitor ${writer:-} 2>/dev/null || true' EXIT
pair=
until [[ -n "$pair" ]]; do
  sleep 1
  pair=$(curl -fs "$API/cutover" 2>/dev/null | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[0]["pair"] if v else "")' 2>/dev/null || true)
done

# The writer: random rows of the HOT first tables, without pause, until it is stopped.
src -c "CREATE OR REPLACE FUNCTION touch(n int, k bigint) RETURNS void LANGUAGE plpgsql AS \$\$
        BEGIN EXECUTE format('UPDATE t%s SET v = v + 1 WHERE id = \$1', n) USING k; END \$\$"
printf '\\set n random(1, %d)\n\\set k random(1, %d)\nSELECT touch(:n, :k);\n' "$HOT" "$ROWS" > "$STATE_DIR/write.sql"
PGPASSWORD=$PW "$(pg_bin)/pgbench" -n -h 127.0.0.1 -p "$SOURCE_PORT" -U postgres -c 2 -T 100000 \
  -f "$STATE_DIR/write.sql" app > "$STATE_DIR/pgbench.log" 2>&1 &
writer=$!

echo "Writing to $HOT of $TABLES tables; one full deep check while it writes..."
sleep 5
t0=$(now)
curl -fs -X POST "$API/cutover/deep-check" >/dev/null
echo "  full pass (counts, schema, content of every table) while writing: $(since "$t0") s"
sleep "$WRITE_SECONDS"

kill "$writer"; wait "$writer" 2>/dev/null || true; writer=
last=$(now)
echo "Writes stopped. Asking verify every 2 s..."
while :; do
  ask=$(now)
  code=$(curl -s -o "$STATE_DIR/verify.json" -w '%{http_code}' -X POST "$API/cutover/$pair/verify")
  took=$(since "$ask")
  [[ "$code" == 200 ]] && break
  sleep 2
done
echo "  200 Ready $(since "$last") s after the last write (quiet period ${QUIET} s); that verify took $took s"
python3 - "$STATE_DIR/verify.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
content = next(c for c in v["checks"] if c["id"] == "content")
p = v.get("contentProgress") or {}
print("  content:", content["evidence"][:400])
print("  key ranges the last verify hashed: %s (of %s tables)" % (p.get("chunksDone"), p.get("tables")))
PY
