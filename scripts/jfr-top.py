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
self_time, owners, samples = collections.Counter(), collections.Counter(), 0
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
