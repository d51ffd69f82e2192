#!/usr/bin/env bash
# The end of the demo (scripts/demo.sh running): take sub_orders to Ready as an operator would cut over.
#   1. stop the writes on the source (the demo's load);
#   2. ask the monitor to prove the pair (POST /api/cutover/PAIR/verify: deep checks of row counts, schema, content,
#      sequences) and wait for the gate;
#   3. apply on the target the setval statements the monitor reports for sequences behind the source's (it never
#      runs them itself; in production read them first), and ask again; a sequence missing on the target stops it;
#   4. Ready: the target holds what the source holds and hands out no id the source used. Drop the subscription and
#      switch the application.
# Exits 0 at Ready, 1 if the gate did not open within TIMEOUT seconds (it says why).
#   scripts/cutover.sh                 # the demo's pair on http://localhost:8080
#   PAIR=sub_app TARGET_PORT=5462 TARGET_PASSWORD=... DB=app LOAD_PID=app.pid TIMEOUT=180 scripts/cutover.sh
# (MONITOR, default http://127.0.0.1:${MONITOR_PORT:-8080}; LOAD_PID names a file holding the writer's pid;
# API_TOKEN when the monitor's access control is on: it goes to curl on stdin, never on the command line.)
set -euo pipefail
cd "$(dirname "$0")/.."
export STATE_DIR=${STATE_DIR:-/tmp/pgrepmon-demo}
source scripts/lib-pg.sh
PAIR=${PAIR:-sub_orders}
MONITOR=${MONITOR:-http://127.0.0.1:${MONITOR_PORT:-8080}}
TIMEOUT=${TIMEOUT:-180}
TARGET_PASSWORD=${TARGET_PASSWORD:-target-demo-pw}
DB=${DB:-$DEMO_DB}
LOAD_PID=${LOAD_PID:-$STATE_DIR/load.pid}
# JSON is read with python3 (Debian has it); the monitor answers JSON only.
json() { python3 -c "import json, sys; d = json.load(sys.stdin); $1"; }
# curl with the token, if any, from a config on stdin (a process listing would show a -H argument).
ask() {
  if [[ -n ${API_TOKEN:-} ]]; then printf 'header = "Authorization: Bearer %s"\n' "$API_TOKEN"; fi | curl -s -K - "$@"
}

echo "1. Stopping the writes on the source"
if [[ -f "$LOAD_PID" ]] && kill "$(cat "$LOAD_PID")" 2>/dev/null; then
  rm -f "$LOAD_PID"   # its pid may be another process's later
  echo "   the writer is stopped"
else
  echo "   no demo load running (stop your application's writes now)"
fi

deadline=$((SECONDS + TIMEOUT))
fixed=""
while :; do
  echo "2. Asking the monitor to prove $PAIR (deep checks, then the gate)"
  code=$(ask --max-time 300 -o "$STATE_DIR/verify.json" -w '%{http_code}' -X POST "$MONITOR/api/cutover/$PAIR/verify" || echo 000)
  if [[ $code == 200 ]]; then
    break
  fi
  if [[ $code == 000 || $code == 404 || $code == 401 ]]; then
    echo "   the monitor at $MONITOR does not answer for $PAIR (HTTP $code): is it running, and is API_TOKEN set if it needs one?" >&2
  else
    json 'print("   not yet: " + d.get("summary", d.get("detail", "")))' < "$STATE_DIR/verify.json" || true
    # 3. The sequences: a missing one needs a decision (create it as the source has it); one behind, its setval.
    missing=$(json 'print("\n".join(s["sequence"] for s in d.get("sequences", []) if s.get("status") == "missing"))' \
      < "$STATE_DIR/verify.json" || true)
    if [[ -n $missing ]]; then
      echo "Sequences missing on the target (create them as the source has them, then run this again):" >&2
      echo "$missing" | sed 's/^/   /' >&2
      exit 1
    fi
    statements=$(json 'print("\n".join(s["fix"] for s in d.get("sequences", []) if s.get("status") == "behind" and s.get("fix")))' \
      < "$STATE_DIR/verify.json" || true)
    if [[ -n $statements && $statements != "$fixed" ]]; then
      echo "3. Applying on the target the sequence statements the monitor reports:"
      echo "$statements" | sed 's/^/   /'
      psql_at "$TARGET_PORT" "$TARGET_PASSWORD" "$DB" -c "$statements"
      fixed=$statements
    fi
  fi
  if ((SECONDS >= deadline)); then
    echo "The gate did not open within ${TIMEOUT}s; the monitor's page says which check holds it: $MONITOR/#/pairs/$PAIR" >&2
    exit 1
  fi
  sleep 3
done
echo "4. Ready: $(json 'print(d["summary"])' < "$STATE_DIR/verify.json")"
echo "   $MONITOR/#/pairs/$PAIR shows it. Now drop the subscription on the target (DROP SUBSCRIPTION $PAIR) and switch"
echo "   the application to the target; keep the source's writes blocked."
