#!/usr/bin/env bash
# Every benchmark of docs/benchmarks.md, one after the other, each writing its part of the file: the fleet beside
# the exporter (10 to 1,000 databases), many tables in one database, fan-out to many clients, an hour's soak and the
# in-process JMH benchmarks. About two hours on a 2-core machine; nothing else should run meanwhile. The catalog
# benchmark prints its table (docs/benchmarks.md explains it); the others rewrite their blocks.
#
#   scripts/bench-all.sh                    # everything
#   SKIP="soak" scripts/bench-all.sh        # leave some out (fleet, catalog, fanout, soak, jmh)
#   scripts/bench-all.sh --stop             # remove the clusters the benchmarks made
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--stop" ]]; then
  scripts/bench-fleet.sh --stop; scripts/bench-catalog.sh --stop; exit 0
fi
SKIP=${SKIP:-}
run() { # run NAME COMMAND...: the benchmark unless SKIP names it
  local name=$1; shift
  if [[ " $SKIP " == *" $name "* ]]; then echo "== $name: skipped" >&2; return; fi
  echo "== $name: $*" >&2
  "$@"
}
[[ -f target/quarkus-app/quarkus-run.jar ]] || ./mvnw -q -B package -DskipTests
run fleet scripts/bench-fleet.sh
run catalog scripts/bench-catalog.sh
run fanout scripts/bench-fanout.sh
run soak scripts/bench-soak.sh
run jmh scripts/bench-jmh.sh
