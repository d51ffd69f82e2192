#!/usr/bin/env bash
# Local PostgreSQL clusters for the walkthrough (MIGRATION_EXAMPLE.md) and for trying things by hand, without
# Docker. State in $STATE_DIR (default /tmp/pgrepmon-demo); the binaries from $PG_BIN (scripts/pg-bin.sh MAJOR)
# or Debian's newest.
#   scripts/pg.sh start NAME PORT PASSWORD         initdb once (wal_level=logical), start; creates database "app"
#   scripts/pg.sh sql PORT PASSWORD DB SQL...      each SQL as postgres, in order, stopping at the first error
#   scripts/pg.sh value PORT PASSWORD DB SQL       prints the single value the query returns
#   scripts/pg.sh copy-schema FROM_PORT FROM_PASSWORD TO_PORT TO_PASSWORD DB   the schema only (pg_dump -s)
#   scripts/pg.sh stop NAME                        fast shutdown (the data stays in $STATE_DIR/NAME)
source "$(dirname "$0")/lib-pg.sh"

command=${1:?usage: see the head of scripts/pg.sh}
shift
case $command in
  start)
    start_cluster "$1" "$2" "$3"
    if [[ -z $(psql_at "$2" "$3" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'app'") ]]; then
      psql_at "$2" "$3" postgres -c "CREATE DATABASE app"
    fi
    ;;
  sql)
    port=$1 password=$2 db=$3
    shift 3
    args=()
    for statement in "$@"; do args+=(-c "$statement"); done
    psql_at "$port" "$password" "$db" "${args[@]}"
    ;;
  value)
    psql_at "$1" "$2" "$3" -tAc "$4"
    ;;
  copy-schema)
    PGPASSWORD=$2 "$(pg_tool pg_dump)" -h 127.0.0.1 -p "$1" -U postgres --schema-only --no-owner --no-privileges --no-publications \
      --no-subscriptions "$5" | psql_at "$3" "$4" "$5" >/dev/null
    ;;
  stop)
    stop_cluster "$1"
    ;;
  *)
    echo "unknown command '$command': start, sql, value, copy-schema or stop (see the head of scripts/pg.sh)" >&2
    exit 2
    ;;
esac
