#!/usr/bin/env bash
# Sets up a local source and target PostgreSQL with real logical replication of table "orders":
# publication pub_orders on the source, subscription sub_orders on the target, and a least-privilege "monitor" role
# on both: pg_monitor for the per-tick checks, and for the deep checks (row counts, content, sequences) SELECT on the
# replicated tables and sequences, nothing more. Writes the monitor's configuration to $STATE_DIR/config.yaml.
# Idempotent: running it again reuses what exists. Stop everything with: scripts/setup-test-replication.sh --stop
source "$(dirname "$0")/lib-pg.sh"

SOURCE_PASSWORD=${SOURCE_PASSWORD:-source-demo-pw}
TARGET_PASSWORD=${TARGET_PASSWORD:-target-demo-pw}
MONITOR_PASSWORD=${MONITOR_PASSWORD:-monitor-demo-pw}

if [[ "${1:-}" == "--stop" ]]; then
  stop_cluster target
  stop_cluster source
  echo "stopped (data kept in $STATE_DIR; delete it to start afresh)"
  exit 0
fi

echo "Starting clusters:" >&2
start_cluster source "$SOURCE_PORT" "$SOURCE_PASSWORD"
start_cluster target "$TARGET_PORT" "$TARGET_PASSWORD"

table="CREATE TABLE IF NOT EXISTS orders (id bigserial PRIMARY KEY, customer text NOT NULL,
       amount numeric(12,2) NOT NULL, note text, created_at timestamptz NOT NULL DEFAULT now())"
monitor_role="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'monitor') THEN
    CREATE ROLE monitor LOGIN CONNECTION LIMIT 3 IN ROLE pg_monitor;
  END IF;
END \$\$"

for side in source target; do
  port=$SOURCE_PORT; pw=$SOURCE_PASSWORD
  [[ $side == target ]] && { port=$TARGET_PORT; pw=$TARGET_PASSWORD; }
  if [[ -z $(psql_at "$port" "$pw" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DEMO_DB'") ]]; then
    psql_at "$port" "$pw" postgres -c "CREATE DATABASE $DEMO_DB"
  fi
  # The deep checks read the replicated tables and sequences: SELECT on them (and on those created later), the least
  # privilege they need; nothing the monitor does writes.
  psql_at "$port" "$pw" "$DEMO_DB" -c "$table" -c "$monitor_role" \
    -c "ALTER ROLE monitor PASSWORD '$MONITOR_PASSWORD'" \
    -c "GRANT USAGE ON SCHEMA public TO monitor" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO monitor" \
    -c "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO monitor" \
    -c "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO monitor" \
    -c "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO monitor"
done

psql_at "$SOURCE_PORT" "$SOURCE_PASSWORD" "$DEMO_DB" -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'pub_orders') THEN
    CREATE PUBLICATION pub_orders FOR TABLE orders;
  END IF; END \$\$"
if [[ -z $(psql_at "$TARGET_PORT" "$TARGET_PASSWORD" "$DEMO_DB" -tAc "SELECT 1 FROM pg_subscription WHERE subname = 'sub_orders'") ]]; then
  psql_at "$TARGET_PORT" "$TARGET_PASSWORD" "$DEMO_DB" -c "CREATE SUBSCRIPTION sub_orders
    CONNECTION 'host=127.0.0.1 port=$SOURCE_PORT dbname=$DEMO_DB user=postgres password=$SOURCE_PASSWORD'
    PUBLICATION pub_orders"
fi

cat > "$STATE_DIR/config.yaml" <<YAML
# Written by scripts/setup-test-replication.sh. The password comes from the environment (MONITOR_PASSWORD).
monitor:
  refresh-interval: 2s
  connect-timeout: 1s
  query-timeout: 1500ms
  thresholds:
    lag-bytes: 1048576
    slot-inactive: 30s
  cutover:
    quiet-period: 10s             # how long the source must be without writes before Ready (default 30s)
    observation-window: 1m        # how long no new apply error must be seen before Ready (default 10m)
  databases:
    - name: source
      host: 127.0.0.1
      port: $SOURCE_PORT
      user: monitor
      password: \${MONITOR_PASSWORD}
      dbname: $DEMO_DB
      role: source
      ssl-mode: disable
    - name: target
      host: 127.0.0.1
      port: $TARGET_PORT
      user: monitor
      password: \${MONITOR_PASSWORD}
      dbname: $DEMO_DB
      role: target
      source: source
      ssl-mode: disable
YAML
echo "Replication set up: pub_orders on source:$SOURCE_PORT -> sub_orders on target:$TARGET_PORT" >&2
echo "Monitor configuration: $STATE_DIR/config.yaml (export MONITOR_PASSWORD=$MONITOR_PASSWORD)" >&2
