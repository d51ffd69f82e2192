#!/usr/bin/env bash
# Shared helpers: local PostgreSQL clusters without Docker. Sourced by the other scripts.
set -euo pipefail

STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-demo}
SOURCE_PORT=${SOURCE_PORT:-5433}
TARGET_PORT=${TARGET_PORT:-5434}
DEMO_DB=app

# The server binaries: $PG_BIN when set (scripts/pg-bin.sh MAJOR prints one for any major 13-18), else the newest
# Debian PostgreSQL server installed, installing the distribution's package when there is none.
pg_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    echo "$PG_BIN"
    return
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$bin" || ! -x "$bin/postgres" ]]; then
    echo "No PostgreSQL server found; installing Debian's postgresql package..." >&2
    if [[ $(id -u) -eq 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    else
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    fi
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$bin"
}

# A client tool (psql, pg_dump): $PG_BIN's when it has one, else the installed server's. The binaries of
# scripts/pg-bin.sh for majors Debian lacks carry the server only.
pg_tool() {
  if [[ -n ${PG_BIN:-} && -x $PG_BIN/$1 ]]; then
    echo "$PG_BIN/$1"
  else
    echo "$(PG_BIN='' pg_bin)/$1"
  fi
}

# PostgreSQL refuses to run as root: run server commands as the postgres user then.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_cluster NAME PORT PASSWORD: initdb (once) and start a cluster with wal_level=logical.
start_cluster() {
  local name=$1 port=$2 password=$3 bin dir
  bin=$(pg_bin)
  dir="$STATE_DIR/$name"
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    mkdir -p "$dir"
    # The superuser's password for initdb, readable by its owner only, and gone whether initdb succeeds or not.
    (umask 077; printf '%s\n' "$password" > "$STATE_DIR/$name.pw")
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir" "$STATE_DIR/$name.pw"; fi
    if ! as_pg "$bin/initdb" -D "$dir" -U postgres -A scram-sha-256 --pwfile="$STATE_DIR/$name.pw" -E UTF8 --locale=C >/dev/null; then
      rm -f "$STATE_DIR/$name.pw"
      return 1
    fi
    rm -f "$STATE_DIR/$name.pw"
    cat >> "$dir/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
wal_receiver_status_interval = 1s
CONF
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w start >/dev/null
  fi
  echo "  $name: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)" >&2
}

stop_cluster() {
  local name=$1 bin
  bin=$(pg_bin)
  if [[ -f "$STATE_DIR/$name/postmaster.pid" ]]; then
    as_pg "$bin/pg_ctl" -D "$STATE_DIR/$name" -m fast -w stop >/dev/null || true
  fi
}

# psql_at PORT PASSWORD DB SQL...: run SQL over TCP as postgres (or as $PG_USER).
psql_at() {
  local port=$1 password=$2 db=$3
  shift 3
  PGPASSWORD=$password "$(pg_tool psql)" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "${PG_USER:-postgres}" -d "$db" "$@"
}
