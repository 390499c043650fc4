#!/usr/bin/env bash
# CI: the migrations and the web tests once more, against a real PostgreSQL
# server on loopback (Debian's postgresql, a throwaway cluster of our own).
#   deploy/ci-postgres.sh [pytest arguments]     (default: tests/web)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "ci-postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
id -u postgres >/dev/null 2>&1 || { echo "ci-postgres: no postgres user" >&2; exit 1; }

PGDATA=$(mktemp -d /tmp/fastpron-pg.XXXXXX)
chown postgres: "$PGDATA"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { runuser -u postgres -- "$@"; }
stop() {
    as_pg "$BIN/pg_ctl" -D "$PGDATA/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA"
}
trap stop EXIT

echo postgres-ci > "$PGDATA/pwfile" && chown postgres: "$PGDATA/pwfile"
as_pg "$BIN/initdb" -D "$PGDATA/data" -U postgres -A scram-sha-256 --pwfile="$PGDATA/pwfile" -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$BIN/pg_ctl" -D "$PGDATA/data" -w -l "$PGDATA/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA -c fsync=off" start >/dev/null
export PGPASSWORD=postgres-ci
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
psql -c "CREATE ROLE fastpron LOGIN CREATEDB PASSWORD 'fastpron-ci'"
psql -c "CREATE DATABASE fastpron OWNER fastpron"
unset PGPASSWORD
echo "ci-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

export DATABASE_URL="postgres://fastpron:fastpron-ci@127.0.0.1:$PORT/fastpron"
cd "$ROOT"
DEBUG=0 SECRET_KEY=ci-postgres-migrations-only-$(date +%s)-not-secret-but-long-enough-for-django \
    "$PY" manage.py migrate --noinput
DEBUG=0 SECRET_KEY=ci-postgres-migrations-only-$(date +%s)-not-secret-but-long-enough-for-django \
    "$PY" manage.py migrate --check
echo "ci-postgres: migrations applied on PostgreSQL"
"$PY" -m pytest -p no:cacheprovider "${@:-tests/web}"
