#!/usr/bin/env bash
# `make run`: build everything and serve the full stack in the foreground,
#   http://127.0.0.1:8000  Nginx -> Unix socket -> Gunicorn -> Django (SQLite)
# Nginx runs with its own prefix and configuration (var/nginx/), so it needs
# neither systemd nor /etc/nginx.  Without Nginx (and when it cannot be
# installed) Gunicorn serves alone on the same address.  Ctrl-C stops
# everything this started.
#
#   PORT=8000            the loopback port
#   FASTPRON_VAR=var     where settings, sockets, logs, static files and the Nginx prefix go
#   FASTPRON_ENV_FILE=$FASTPRON_VAR/fastpron.env (written on the first run)
#   DATABASE_URL         default: SQLite, $FASTPRON_VAR/db.sqlite3
#   FASTPRON_INSTALL_NGINX=0   do not try to install Nginx
#
# `deploy/run.sh manage <command> ...` (make manage CMD="..."; make admin) runs
# manage.py with these settings instead, e.g. createsuperuser for the admin.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PORT=${PORT:-8000}
VAR=${FASTPRON_VAR:-$ROOT/var}
export FASTPRON_ENV_FILE=${FASTPRON_ENV_FILE:-$VAR/fastpron.env}
STEP_TOTAL=5

settings() {
    mkdir -p "$VAR"
    if [ ! -f "$FASTPRON_ENV_FILE" ]; then
        umask 077
        cat > "$FASTPRON_ENV_FILE" <<SETTINGS
# Settings of \`make run\` (deploy/run.sh wrote this; edit it freely).
DEBUG=0
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
SETTINGS
        umask 022
        say "wrote $FASTPRON_ENV_FILE"
    fi
    load_settings
    # make run is a local stack: everything lives under var/, on loopback.
    export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
    export DATABASE_URL=${DATABASE_URL:-sqlite:///$VAR/db.sqlite3}
    export FASTPRON_USER=$(id -un) FASTPRON_GROUP=$(id -gn)
    export FASTPRON_RUN_DIR=$VAR/run FASTPRON_LOG_DIR=$VAR/log FASTPRON_WWW_DIR=$VAR/www
    export STATIC_ROOT=$VAR/www/static FASTPRON_NGINX_PREFIX=$VAR/nginx
    export FASTPRON_LISTEN=127.0.0.1:$PORT FASTPRON_SERVER_NAME="127.0.0.1 localhost"
    export GUNICORN_ERRORLOG=${GUNICORN_ERRORLOG:--}
    SOCKET="$FASTPRON_RUN_DIR/gunicorn.sock"; PIDFILE="$FASTPRON_RUN_DIR/gunicorn.pid"
    mkdir -p "$FASTPRON_RUN_DIR" "$FASTPRON_LOG_DIR"
    say "settings: $FASTPRON_ENV_FILE; logs: $FASTPRON_LOG_DIR"
}

dependencies() {
    "$PY" -c 'import gunicorn, django' 2>/dev/null && { say "the server packages are installed"; return 0; }
    "$PY" -m pip install --quiet --no-build-isolation -e "$ROOT[web]"
}

find_nginx() {
    if command -v "$NGINX_BIN" >/dev/null; then FASTPRON_NGINX=private; say "$("$NGINX_BIN" -v 2>&1)"; return 0; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ "${FASTPRON_INSTALL_NGINX:-1}" != 0 ]; then
        say "Nginx is not installed: installing the Debian package nginx"
        if { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx \
             || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; }; } \
           && command -v "$NGINX_BIN" >/dev/null; then
            FASTPRON_NGINX=private; say "$("$NGINX_BIN" -v 2>&1)"; return 0
        fi
    fi
    FASTPRON_NGINX=none
    warn "Nginx is not installed and could not be installed (needs root and apt-get):"
    warn "Gunicorn serves alone on http://$FASTPRON_LISTEN, static files through WhiteNoise."
}

prepare() {
    (cd "$ROOT" && "$PY" manage.py migrate --noinput -v 0) || return 1
    collect_static >/dev/null || return 1
    say "database migrated, static files in $STATIC_ROOT"
}

configure() {
    export FASTPRON_NGINX
    if [ "$FASTPRON_NGINX" = none ]; then export GUNICORN_BIND=$FASTPRON_LISTEN; say "no Nginx"; return 0; fi
    nginx_configure && say "Nginx: $FASTPRON_NGINX_PREFIX/nginx.conf"
}

GUNICORN_PID="" NGINX_PID="" STOP_SIGNAL=""
stop_all() {
    trap - INT TERM EXIT
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null
    [ -n "$GUNICORN_PID" ] && kill -TERM "$GUNICORN_PID" 2>/dev/null
    wait 2>/dev/null
    rm -f "$SOCKET"
    say "stopped: Nginx and Gunicorn"
}

serve() {
    # Ctrl-C reaches the whole process group at once: Gunicorn and Nginx may
    # exit before this shell runs its trap, so the trap only notes the signal
    # and the shutdown is decided after `wait` returns, never mistaken for a
    # server that stopped by itself.
    trap 'STOP_SIGNAL=INT' INT
    trap 'STOP_SIGNAL=TERM' TERM
    trap 'stop_all' EXIT
    rm -f "$SOCKET"
    (cd "$ROOT" && exec "$VENV/bin/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py") &
    GUNICORN_PID=$!
    if ! gunicorn_wait_ready "$GUNICORN_PID"; then
        [ -z "$STOP_SIGNAL" ] || { stop_all; exit 0; }
        warn "Gunicorn did not start"; return 1
    fi
    if [ "$FASTPRON_NGINX" = private ]; then
        # exec, so that $! is Nginx itself: a signal to run.sh then reaches it (a
        # function run in the background is a subshell that would not pass it on).
        (exec "$NGINX_BIN" -p "$FASTPRON_NGINX_PREFIX" -c "$FASTPRON_NGINX_PREFIX/nginx.conf" -g 'daemon off;') &
        NGINX_PID=$!
    fi
    sleep 0.5
    say ""
    say "serving http://$FASTPRON_LISTEN/article_pronunciation/input/ (Ctrl-C stops)"
    [ -n "$STOP_SIGNAL" ] || wait -n || true
    # A server that ended because of the group's signal: the signal is ours too,
    # pending at worst; a moment lets its trap run.
    [ -n "$STOP_SIGNAL" ] || sleep 1 || true
    if [ -n "$STOP_SIGNAL" ]; then
        stop_all
        exit 0
    fi
    warn "a server stopped by itself; stopping the rest"
    return 1
}

settings
if [ "${1:-}" = manage ]; then
    # `make manage CMD=...` (e.g. createsuperuser): manage.py with this stack's own
    # settings and database, migrated first; nothing is served.
    shift
    manage migrate --noinput >/dev/null
    exec "$PY" "$ROOT/manage.py" "$@"
fi
step "安裝伺服器套件 server packages" dependencies
step "尋找 Nginx find Nginx" find_nginx
step "初始化資料庫與靜態檔案 database and static files" prepare
step "設定 Nginx configure Nginx" configure
step "啟動服務 serve" serve
