# Sourced by .ci/run: a throwaway local PostgreSQL cluster for the corpus tests.
# Installs the server (apt-get, package `postgresql`) only when initdb/pg_ctl are not already there,
# starts it on 127.0.0.1 with a free port and a socket in a temporary folder, exports CNBUDGET_TEST_PG,
# and stops it and removes the folder when the CI script exits. Every step is checked: when one fails,
# nothing is exported and tests/test_corpus_pg.py says that PostgreSQL was not tested.

_pg_path() {
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then PATH="$d:$PATH"; fi
  done
}

start_test_postgres() {
  _pg_path
  if ! command -v initdb >/dev/null 2>&1 || ! command -v pg_ctl >/dev/null 2>&1; then
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } \
      || { echo "PostgreSQL could not be installed (apt-get)"; return 1; }
    _pg_path
  fi
  PG_TMP="$(mktemp -d)" || return 1
  trap stop_test_postgres EXIT
  PG_RUNAS=()
  if [ "$(id -u)" = 0 ]; then  # initdb refuses to run as root
    chown postgres "$PG_TMP" 2>/dev/null || chown nobody "$PG_TMP" || return 1
    PG_RUNAS=(runuser -u "$(stat -c %U "$PG_TMP")" --)
    if [ ! -c /dev/null ]; then
      # a sandbox whose /dev/null was replaced by a plain file: initdb's shell redirections fail there,
      # so the cluster runs in a private mount namespace with a real null device
      mknod -m 666 "$PG_TMP/null" c 1 3 || return 1
      PG_RUNAS=(unshare -m sh -c 'mount --bind "$0" /dev/null && exec "$@"' "$PG_TMP/null" "${PG_RUNAS[@]}")
    fi
  fi
  local port
  port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" || return 1
  "${PG_RUNAS[@]}" initdb -D "$PG_TMP/data" -A trust -U cnbudget -E UTF8 --no-sync >"$PG_TMP/initdb.log" 2>&1 \
    || { echo "initdb failed:"; tail -5 "$PG_TMP/initdb.log"; return 1; }
  "${PG_RUNAS[@]}" pg_ctl -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -o "-h 127.0.0.1 -p $port -k $PG_TMP -F" start >/dev/null \
    || { echo "PostgreSQL did not start:"; tail -5 "$PG_TMP/server.log"; return 1; }
  export CNBUDGET_TEST_PG="postgresql://cnbudget@127.0.0.1:$port/postgres"
  echo "PostgreSQL for the tests: $CNBUDGET_TEST_PG"
}

stop_test_postgres() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP" ]; then
    if [ -d "$PG_TMP/data" ]; then
      "${PG_RUNAS[@]}" pg_ctl -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP"
  fi
}
