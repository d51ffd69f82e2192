#!/usr/bin/env bash
# Catalog benchmark: one source database with many tables, all published (FOR ALL TABLES) with a logical slot,
# watched by the packaged monitor at a 5 s interval. Printed per size: the database's poll time over ROUND seconds
# (p50 / p99 / max, from the monitor's debug log), the poll time of the ticks that read the catalog again (the
# first one, and one after a CREATE TABLE), and whether every probe answered while one table was held under an
# ACCESS EXCLUSIVE lock. Method and results: docs/benchmarks.md.
#
#   scripts/bench-catalog.sh                 # 10000 and 50000 tables
#   TABLES="2000" ROUND=30 scripts/bench-catalog.sh
#   scripts/bench-catalog.sh --stop          # stop the cluster and remove its data
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-catalog}
source scripts/lib-pg.sh

TABLES=${TABLES:-"10000 50000"}
ROUND=${ROUND:-60}
PORT=${PORT:-5475}
MONITOR_PORT=${MONITOR_PORT:-8099}
PW=catalog-pw
JVM_OPTS=${JVM_OPTS-"$(grep -v '^#' config/jvm.options | tr '\n' ' ')"}

if [[ "${1:-}" == "--stop" ]]; then
  stop_cluster catalog; rm -rf "$STATE_DIR"; exit 0
fi
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests

if [[ ! -f "$STATE_DIR/catalog/PG_VERSION" ]]; then
  start_cluster catalog "$PORT" "$PW"
  # Creating 50,000 tables in batches of 1,000 takes that many locks in one transaction.
  echo "max_locks_per_transaction = 2048" >> "$STATE_DIR/catalog/postgresql.conf"
  stop_cluster catalog
fi
start_cluster catalog "$PORT" "$PW"
q() { psql_at "$PORT" "$PW" "$@"; }
q postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'monitor'" | grep -q 1 \
  || q postgres -c "CREATE ROLE monitor LOGIN PASSWORD 'catalog-monitor-pw' IN ROLE pg_monitor"
printf 'catalog-monitor-pw\n' > "$STATE_DIR/monitor.pw"; chmod 600 "$STATE_DIR/monitor.pw"

for n in $TABLES; do
  db=tables$n
  if ! q postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    echo "Creating $n tables in $db..." >&2
    q postgres -c "CREATE DATABASE $db"
    for ((b = 0; b < n; b += 1000)); do
      q "$db" -c "DO \$\$ BEGIN FOR i IN $b..$((b + 999 < n - 1 ? b + 999 : n - 1)) LOOP
          EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, note text, n int DEFAULT 0)', i);
        END LOOP; END \$\$" >/dev/null
    done
    q "$db" -c "CREATE PUBLICATION everything FOR ALL TABLES" \
      -c "SELECT pg_create_logical_replication_slot('slot_$db', 'pgoutput')" -c "ANALYZE" >/dev/null
  fi
  cat > "$STATE_DIR/config-$n.yaml" <<YAML
monitor:
  refresh-interval: 5s
  databases:
    - { name: $db, host: 127.0.0.1, port: $PORT, user: monitor, password-file: $STATE_DIR/monitor.pw, dbname: $db, role: source, ssl-mode: disable }
YAML
  log="$STATE_DIR/monitor-$n.log"
  # shellcheck disable=SC2086 # JVM_OPTS is a list of options
  MALLOC_ARENA_MAX=2 java $JVM_OPTS -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$MONITOR_PORT \
    -Dquarkus.log.category.\"io.pgrepmon.pipeline\".level=DEBUG \
    -jar target/quarkus-app/quarkus-run.jar --config "$STATE_DIR/config-$n.yaml" > "$log" 2>&1 &
  monitor=$!
  trap 'kill $monitor 2>/dev/null || true' EXIT
  until grep -q "tick 3:" "$log"; do sleep 1; done
  first=$(sed -n 's/.*tick 1: read 1 database(s) in \([0-9]*\) ms.*/\1/p' "$log")
  from=$(wc -l < "$log")
  sleep "$ROUND"
  reads=$(tail -n +"$((from + 1))" "$log" | sed -n 's/.*tick [0-9]*: read 1 database(s) in \([0-9]*\) ms.*/\1/p' | sort -n)
  count=$(wc -l <<< "$reads")
  p50=$(awk -v c="$count" 'NR == int(c * 0.5 + 0.999) { print }' <<< "$reads")
  p99=$(awk -v c="$count" 'NR == int(c * 0.99 + 0.999) { print }' <<< "$reads")
  max=$(tail -n 1 <<< "$reads")

  # A table created: the next ticks read the catalog again.
  from=$(wc -l < "$log")
  q "$db" -c "CREATE TABLE bench_new (id int PRIMARY KEY)" >/dev/null
  sleep 12
  after_ddl=$(tail -n +"$((from + 1))" "$log" | sed -n 's/.*tick [0-9]*: read 1 database(s) in \([0-9]*\) ms.*/\1/p' | sort -n | tail -n 1)
  q "$db" -c "DROP TABLE bench_new" >/dev/null

  # One table locked: every probe still answers.
  q "$db" -c "BEGIN; LOCK TABLE t1 IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(12); COMMIT;" >/dev/null &
  locker=$!
  sleep 11
  locked=$(curl -fs "http://127.0.0.1:$MONITOR_PORT/api/snapshot" | python3 -c "
import json, sys
d = json.load(sys.stdin)['databases'][0]
failed = [p['probe'] for p in d['probes'] if p.get('error')]
print(('reachable' if d['reachable'] else 'DOWN') + ', ' + (('failed: ' + ' '.join(failed)) if failed else 'every probe answered')
      + ', poll ' + str(d['pollMillis']) + ' ms')")
  wait "$locker" || true
  kill "$monitor"; wait "$monitor" 2>/dev/null || true
  printf '| %s | %s / %s / %s ms (%s ticks) | %s ms | %s ms | %s |\n' "$n" "$p50" "$p99" "$max" "$count" "$first" \
    "$after_ddl" "$locked"
done
