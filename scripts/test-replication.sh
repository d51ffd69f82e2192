#!/usr/bin/env bash
# Generates write load on the source set up by setup-test-replication.sh and prints, every second, the
# source's position, the slot's confirmed flush, the lag in bytes and the row counts on both sides.
# Usage: scripts/test-replication.sh [ROWS_PER_SECOND] [SECONDS]   (defaults 200 and 30; SECONDS=0 runs until Ctrl-C)
source "$(dirname "$0")/lib-pg.sh"

SOURCE_PASSWORD=${SOURCE_PASSWORD:-source-demo-pw}
TARGET_PASSWORD=${TARGET_PASSWORD:-target-demo-pw}
rate=${1:-200}
seconds=${2:-30}

printf '%-8s %-14s %-14s %12s %10s %10s\n' time current_lsn confirmed_flush lag_bytes source target
i=0
while [[ $seconds -eq 0 || $i -lt $seconds ]]; do
  psql_at "$SOURCE_PORT" "$SOURCE_PASSWORD" "$DEMO_DB" -c "INSERT INTO orders (customer, amount, note)
    SELECT 'customer-' || g, round((random() * 500)::numeric, 2), md5(random()::text) FROM generate_series(1, $rate) g"
  read -r current confirmed lag src < <(psql_at "$SOURCE_PORT" "$SOURCE_PASSWORD" "$DEMO_DB" -tA -F ' ' -c \
    "SELECT pg_current_wal_lsn(), confirmed_flush_lsn, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn),
            (SELECT count(*) FROM orders) FROM pg_replication_slots WHERE slot_name = 'sub_orders'")
  dst=$(psql_at "$TARGET_PORT" "$TARGET_PASSWORD" "$DEMO_DB" -tAc "SELECT count(*) FROM orders")
  printf '%-8s %-14s %-14s %12s %10s %10s\n' "$(date +%T)" "$current" "$confirmed" "$lag" "$src" "$dst"
  sleep 1
  i=$((i + 1))
done
