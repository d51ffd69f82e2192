#!/usr/bin/env python3
"""Where a JFR recording's CPU samples fall: the top frames (self time) and, for each sample, the first frame of
our own code or of a library (by package), as shares of all samples. Used by bench-fleet.sh with PROFILE=1.

    jfr print --stack-depth 64 --events jdk.ExecutionSample FILE.jfr | scripts/jfr-top.py [N]
"""
import collections
import re
import sys

top = int(sys.argv[1]) if len(sys.argv) > 1 else 15
frame = re.compile(r"^\s+([\w$.<>]+)\(")
self_time, owners, inclusive, samples = collections.Counter(), collections.Counter(), collections.Counter(), 0
# Inclusive shares: samples with such a frame anywhere in their stack (what a step costs with all it calls).
STEPS = {
    "reading a database (probes, decoding rows)": ("io.pgrepmon.probe.",),
    "PostgreSQL protocol (encode, decode)": ("io.vertx.pgclient.impl.codec.",),
    "SCRAM authentication": ("com.ongres.scram.", "sun.security.provider.SHA2"),
    "assembling the snapshot": ("io.pgrepmon.assemble.",),
    "cutover evaluation": ("io.pgrepmon.judge.cutover.",),
    "alerts and history": ("io.pgrepmon.judge.alert.", "io.pgrepmon.judge.history."),
    "JSON serialization": ("com.fasterxml.jackson.",),
    "metrics (Micrometer)": ("io.micrometer.", "io.quarkus.micrometer."),
    "context propagation": ("io.smallrye.context.",),
    "garbage collection (in Java frames)": ("java.lang.ref.",),
}
GROUPS = ["io.pgrepmon", "io.vertx.pgclient", "io.vertx.sqlclient", "io.vertx.core", "io.netty", "com.fasterxml.jackson",
          "io.smallrye.mutiny", "io.quarkus", "sun.security", "java.util.regex", "java.time", "java.util", "java.lang"]
stack = None
for line in sys.stdin:
    if "stackTrace = [" in line:
        stack = []
        continue
    if stack is not None:
        if line.strip() == "...":
            continue
        if line.strip().startswith("]"):
            if stack:
                samples += 1
                self_time[stack[0]] += 1
                # The sample's owner: the deepest-nested (first listed) frame in one of the groups.
                owner = next((g for f in stack for g in GROUPS if f.startswith(g + ".")), "other")
                owners[owner] += 1
                for step, prefixes in STEPS.items():
                    if any(f.startswith(p) for f in stack for p in prefixes):
                        inclusive[step] += 1
            stack = None
            continue
        m = frame.match(line)
        if m:
            stack.append(m.group(1))
if samples == 0:
    print("no execution samples")
    sys.exit(0)
print(f"{samples} samples")
print("self time, top frames:")
for name, n in self_time.most_common(top):
    print(f"  {100.0 * n / samples:5.1f} %  {name}")
print("by the first frame in a known package:")
for name, n in owners.most_common():
    print(f"  {100.0 * n / samples:5.1f} %  {name}")
print("inclusive, samples with a frame of:")
for name, n in inclusive.most_common():
    print(f"  {100.0 * n / samples:5.1f} %  {name}")
