#!/usr/bin/env bash
# JMH benchmarks of the in-process hot paths of a tick (src/test/java/io/pgrepmon/assemble/FleetPipelineBenchmark):
# assembly (pairing, lag, health), cutover evaluation, serialization of the whole snapshot and of one pair's part,
# at 10, 100 and 500 databases, in a JVM forked with the shipped options. Writes the part of docs/benchmarks.md
# between its jmh markers. No database is needed.
#
#   scripts/bench-jmh.sh                           # every benchmark, every size (about 4 minutes)
#   ARGS="-p databases=10 -wi 1 -i 1" OUT=target/bench-jmh.md scripts/bench-jmh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-docs/benchmarks.md}
ARGS=${ARGS:-}
JVM_OPTS=${JVM_OPTS-"$(grep -v '^#' config/jvm.options | tr '\n' ' ')"}
STATE_DIR=${STATE_DIR:-target/jmh}
mkdir -p "$STATE_DIR"

./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$STATE_DIR/classpath.txt" -Dmdep.includeScope=test
# shellcheck disable=SC2086 # ARGS and JVM_OPTS are lists
java -cp "target/test-classes:target/classes:$(cat "$STATE_DIR/classpath.txt")" org.openjdk.jmh.Main FleetPipelineBenchmark \
  -jvmArgs "$JVM_OPTS" -rf json -rff "$STATE_DIR/results.json" $ARGS

block="$STATE_DIR/block.md"
python3 - "$STATE_DIR/results.json" "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo))" \
  "$(java -version 2>&1 | head -n 1)" "$JVM_OPTS" > "$block" <<'PY'
import json, sys, datetime
path, machine, java, jvm = sys.argv[1:]
results = json.load(open(path))
print(f"<!-- jmh:begin (written by scripts/bench-jmh.sh on {datetime.date.today()}) -->")
print()
print(f"Machine: {machine}, {java}, JMH {results[0]['jmhVersion'] if results else '-'}, one fork with `{jvm.strip()}`,"
      f" average time per operation after {results[0]['warmupIterations'] if results else '-'} warm-up iterations.")
print()
print("| operation | databases | time per operation | per database |")
print("|---|---|---|---|")
for r in results:
    n = int(r["params"]["databases"])
    m = r["primaryMetric"]
    score, err, unit = m["score"], m["scoreError"], m["scoreUnit"]
    err = 0.0 if isinstance(err, str) or err != err else err  # "NaN" with a single iteration
    print(f"| {r['benchmark'].rsplit('.', 1)[1]} | {n} | {score:,.1f} ± {err:,.1f} {unit} | {score / n:,.2f} {unit} |")
print()
print("<!-- jmh:end -->")
PY
if grep -q '<!-- jmh:begin' "$OUT" 2>/dev/null; then
  python3 - "$OUT" "$block" <<'PY'
import re, sys
out, block = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(out).read()
open(out, "w").write(re.sub(r"<!-- jmh:begin.*?<!-- jmh:end -->", lambda m: block, text, flags=re.S))
PY
else
  { echo; cat "$block"; } >> "$OUT"
fi
echo "Results written to $OUT" >&2
cat "$block"
