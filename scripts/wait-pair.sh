#!/usr/bin/env bash
# Follows one pair on the monitor from a shell, as the page does, until a stage of the migration is reached:
#   scripts/wait-pair.sh PAIR copied      every subscribed table has finished its initial copy
#   scripts/wait-pair.sh PAIR caught-up   nothing left to apply (0 bytes behind)
#   scripts/wait-pair.sh PAIR ready       the cutover verdict is Ready
# Prints a line each time what it sees changes; exits 0 at the stage, 1 after TIMEOUT seconds (default 300).
# MONITOR (default http://127.0.0.1:${MONITOR_PORT:-8080}); API_TOKEN when access control is on.
set -euo pipefail
pair=${1:?usage: scripts/wait-pair.sh PAIR copied|caught-up|ready}
until=${2:?usage: scripts/wait-pair.sh PAIR copied|caught-up|ready}
MONITOR=${MONITOR:-http://127.0.0.1:${MONITOR_PORT:-8080}}
TIMEOUT=${TIMEOUT:-300}

deadline=$((SECONDS + TIMEOUT))
last=""
while :; do
  # The token, if any, from a config on stdin: a -H argument would show in a process listing.
  body=$(if [[ -n ${API_TOKEN:-} ]]; then printf 'header = "Authorization: Bearer %s"\n' "$API_TOKEN"; fi \
    | curl -sf --max-time 10 -K - "$MONITOR/api/snapshot?pair=$pair" || true)
  line=$(printf '%s' "$body" | python3 -c '
import json, sys
until = sys.argv[1]
try:
    s = json.load(sys.stdin)
except ValueError:
    print("waiting|the monitor has no answer for this pair yet"); sys.exit()
if not s["pairs"]:
    print("waiting|no such pair in the snapshot yet"); sys.exit()
p = s["pairs"][0]
cut = (s["cutover"] or [{}])[0]
states = p.get("tableStates") or {}
total, ready = sum(states.values()), states.get("r", 0)
open_checks = [c["id"] for c in cut.get("checks", []) if c["result"] != "pass"]
reached = {"copied": total > 0 and ready == total, "caught-up": p.get("lagBytes") == 0,
           "ready": cut.get("verdict") == "ready"}[until]
print(("reached" if reached else "waiting") + "|health %s, %s of %s tables ready, %s bytes behind, verdict %s%s" % (
    p["health"]["status"], ready, total, p.get("lagBytes"), cut.get("verdict", "not judged"),
    (" (open: " + ", ".join(open_checks) + ")") if open_checks else ""))
' "$until")
  state=${line%%|*}
  text=${line#*|}
  if [[ $text != "$last" ]]; then
    echo "$(date +%T) $pair: $text"
    last=$text
  fi
  if [[ $state == reached ]]; then
    exit 0
  fi
  if ((SECONDS >= deadline)); then
    echo "$pair did not reach '$until' within ${TIMEOUT}s" >&2
    exit 1
  fi
  sleep 2
done
