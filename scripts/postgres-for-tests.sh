#!/usr/bin/env bash
# Install (where missing) and start a throwaway PostgreSQL server for the test suite.
# Prints `export QUALCODE_TEST_PG_URL=...` and `export QUALCODE_TEST_PG_DIR=...` on stdout;
# everything else goes to stderr. Stop it with: pg_ctl -D "$QUALCODE_TEST_PG_DIR/data" stop
# The cluster lives in a temporary folder and listens on a Unix socket only (no TCP port).
set -euo pipefail

find_bindir() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] && [ -x "$found/pg_ctl" ] && echo "$found"
}

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
  echo "postgres-for-tests: PostgreSQL not found; installing it (apt-get install postgresql)" >&2
  sudo=""
  [ "$(id -u)" != 0 ] && sudo="sudo -n"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "postgres-for-tests: no apt-get here; install PostgreSQL 13+ and put pg_ctl on PATH" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >&2
  $sudo apt-get install -y -q --no-install-recommends postgresql >&2
  bindir=$(find_bindir || true)
  [ -z "$bindir" ] && { echo "postgres-for-tests: installed, but pg_ctl not found" >&2; exit 1; }
fi

dir=$(mktemp -d /tmp/qcpg-ci-XXXXXX)
run=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres: "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bindir/initdb" -D "$dir/data" -U qualcode -A trust -E UTF8 --no-locale --no-sync >&2
"${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/log" \
  -o "-k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300" start >&2 \
  || { echo "postgres-for-tests: the server did not start:" >&2; cat "$dir/log" >&2; exit 1; }
"$bindir/pg_isready" -h "$dir" -q || { echo "postgres-for-tests: server not ready" >&2; cat "$dir/log" >&2; exit 1; }
echo "postgres-for-tests: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running in $dir" >&2
echo "export QUALCODE_TEST_PG_URL='postgresql+psycopg://qualcode@/postgres?host=$dir&port=5432'"
echo "export QUALCODE_TEST_PG_DIR='$dir' QUALCODE_TEST_PG_BIN='$bindir'"
