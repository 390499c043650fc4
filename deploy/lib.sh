# Shared by deploy/install.sh, update.sh, ctl.sh and run.sh: settings, steps
# that say which one failed, and control of Gunicorn and Nginx.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

# -- output and steps ----------------------------------------------------------
say()  { printf '%s\n' "$*"; }
warn() { printf '警告 warning: %s\n' "$*" >&2; }
die()  { printf '錯誤 error: %s\n' "$*" >&2; exit 1; }

STEP_NO=0
STEP_NAME=""
STEP_CMD=""
STEP_TOTAL=${STEP_TOTAL:-?}
# step "說明 description" command args...: run one numbered step.  The scripts
# run with `set -e`: any command that fails inside a step ends the script, and
# the EXIT trap below says which step and which command it was.
step() {
    local name=$1; shift
    STEP_NO=$((STEP_NO + 1))
    STEP_NAME=$name
    STEP_CMD="$*"
    say ""
    say "==> [$STEP_NO/$STEP_TOTAL] $name"
    "$@"
    STEP_NAME=""
}
step_failed() {
    local rc=$?
    if [ "$rc" -ne 0 ] && [ -n "$STEP_NAME" ]; then
        printf '\n*** 失敗 FAILED: step %s/%s "%s" (exit status %s)\n' "$STEP_NO" "$STEP_TOTAL" "$STEP_NAME" "$rc" >&2
        printf '*** in: %s\n' "$STEP_CMD" >&2
        printf '*** 修正問題後重新執行即可；已完成的步驟會再檢查一次，不會重複造成影響。\n' >&2
        printf '*** Fix the cause and run the script again: it is safe to repeat.\n' >&2
    fi
}
trap step_failed EXIT

# -- settings --------------------------------------------------------------------
# Read the site's settings file (KEY=VALUE lines, shell syntax), then fill in
# defaults.  The file's values win over the inherited environment.
load_settings() {
    FASTPRON_ENV_FILE=${FASTPRON_ENV_FILE:-/etc/fastpron/fastpron.env}
    if [ -f "$FASTPRON_ENV_FILE" ]; then
        set -a
        # shellcheck disable=SC1090
        . "$FASTPRON_ENV_FILE"
        set +a
    fi
    export FASTPRON_ENV_FILE
    export FASTPRON_USER=${FASTPRON_USER:-fastpron}
    export FASTPRON_GROUP=${FASTPRON_GROUP:-www-data}
    export FASTPRON_RUN_DIR=${FASTPRON_RUN_DIR:-/run/fastpron}
    export FASTPRON_LOG_DIR=${FASTPRON_LOG_DIR:-/var/log/fastpron}
    export FASTPRON_DATA_DIR=${FASTPRON_DATA_DIR:-/var/lib/fastpron}
    export FASTPRON_WWW_DIR=${FASTPRON_WWW_DIR:-/var/www/fastpron}
    export STATIC_ROOT=${STATIC_ROOT:-$FASTPRON_WWW_DIR/static}
    export FASTPRON_LISTEN=${FASTPRON_LISTEN:-80}
    export FASTPRON_SERVER_NAME=${FASTPRON_SERVER_NAME:-$(hostname -f 2>/dev/null || hostname)}
    export FASTPRON_NGINX=${FASTPRON_NGINX:-system}          # system | private | none
    export FASTPRON_LOGIN_RATE=${FASTPRON_LOGIN_RATE:-6r/m}   # admin logins per client address (Nginx limit_req)
    export FASTPRON_LOGIN_BURST=${FASTPRON_LOGIN_BURST:-5}
    export FASTPRON_NGINX_PREFIX=${FASTPRON_NGINX_PREFIX:-$ROOT/var/nginx}
    export FASTPRON_SYSTEMD=${FASTPRON_SYSTEMD:-auto}         # auto | yes | no
    export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-webproject.settings}
    if [ "$FASTPRON_SYSTEMD" = auto ]; then
        if [ -d /run/systemd/system ]; then FASTPRON_SYSTEMD=yes; else FASTPRON_SYSTEMD=no; fi
    fi
    SOCKET="$FASTPRON_RUN_DIR/gunicorn.sock"
    PIDFILE="$FASTPRON_RUN_DIR/gunicorn.pid"
}

# Run a command as the application's user (the owner of the database).
as_app() {
    if [ "$(id -un)" = "$FASTPRON_USER" ]; then
        "$@"
    else
        runuser -u "$FASTPRON_USER" -g "$FASTPRON_GROUP" -- "$@"
    fi
}

manage() { as_app "$PY" "$ROOT/manage.py" "$@"; }

# -- Gunicorn --------------------------------------------------------------------
gunicorn_pid() {
    local pid
    [ -s "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE")
    kill -0 "$pid" 2>/dev/null || return 1
    printf '%s\n' "$pid"
}

# The worker processes of a master, one pid a line.
gunicorn_workers() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ' | grep . || true; }

gunicorn_log_tail() {
    local log=${GUNICORN_ERRORLOG:-$FASTPRON_LOG_DIR/gunicorn-error.log}
    [ -f "$log" ] && { say "--- the last lines of $log:"; tail -n 20 "$log"; } >&2
    return 0
}

# Wait until a master has $GUNICORN_WORKERS (or at least one) workers and the socket exists.
gunicorn_wait_ready() {
    local master=$1 want=${GUNICORN_WORKERS:-${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}} i n
    for i in $(seq 1 150); do
        kill -0 "$master" 2>/dev/null || { gunicorn_log_tail; return 1; }
        n=$(gunicorn_workers "$master" | wc -l)
        if [ -S "$SOCKET" ] && [ "$n" -ge "$want" ]; then return 0; fi
        sleep 0.2
    done
    gunicorn_log_tail
    return 1
}

gunicorn_start() {
    local pid
    if pid=$(gunicorn_pid); then say "Gunicorn is already running (master $pid)"; return 0; fi
    mkdir -p "$FASTPRON_RUN_DIR" "$FASTPRON_LOG_DIR"
    chown "$FASTPRON_USER:$FASTPRON_GROUP" "$FASTPRON_RUN_DIR" "$FASTPRON_LOG_DIR" 2>/dev/null || true
    chmod 0750 "$FASTPRON_RUN_DIR"
    rm -f "$SOCKET"
    (cd "$ROOT" && GUNICORN_DAEMON=1 as_app "$VENV/bin/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py") || return 1
    for _ in $(seq 1 150); do
        pid=$(gunicorn_pid) && break
        sleep 0.2
    done
    [ -n "${pid:-}" ] || { warn "Gunicorn did not write $PIDFILE"; gunicorn_log_tail; return 1; }
    gunicorn_wait_ready "$pid" || { warn "Gunicorn (master $pid) did not become ready"; return 1; }
    say "Gunicorn is running: master $pid, $(gunicorn_workers "$pid" | wc -l) workers, socket $SOCKET"
}

gunicorn_stop() {
    local pid
    pid=$(gunicorn_pid) || { say "Gunicorn is not running"; return 0; }
    kill -TERM "$pid"               # graceful: requests in progress finish
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || { say "Gunicorn stopped"; return 0; }
        sleep 0.2
    done
    warn "Gunicorn (master $pid) did not stop in 40 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

# Graceful reload: new workers with the code now on disk, then the old ones
# finish their requests and leave.  The socket stays open throughout.
gunicorn_reload() {
    local pid old new
    pid=$(gunicorn_pid) || { warn "Gunicorn is not running: starting it"; gunicorn_start; return; }
    old=$(gunicorn_workers "$pid" | sort)
    kill -HUP "$pid"
    for _ in $(seq 1 300); do           # until no old worker is left (graceful_timeout is 30 s)
        new=$(gunicorn_workers "$pid" | sort)
        if [ -z "$(comm -12 <(printf '%s\n' "$old") <(printf '%s\n' "$new") | grep .)" ] \
           && [ "$(printf '%s\n' "$new" | grep -c .)" -ge "${GUNICORN_WORKERS:-${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}}" ]; then
            say "Gunicorn reloaded (HUP): master $pid, workers $(printf '%s ' $new)"
            return 0
        fi
        sleep 0.2
    done
    warn "Gunicorn: old workers still running 60 s after HUP"
    return 1
}

# Replace the master itself (USR2, then TERM to the old master): needed when
# the C extension changed, since a running process cannot load a new one.  The
# new master inherits the listening socket, so no connection is refused.
gunicorn_upgrade() {
    local old new
    old=$(gunicorn_pid) || { warn "Gunicorn is not running: starting it"; gunicorn_start; return; }
    kill -USR2 "$old"
    for _ in $(seq 1 150); do
        new=$(cat "$PIDFILE.2" 2>/dev/null) && [ -n "$new" ] && kill -0 "$new" 2>/dev/null && break
        new=""
        sleep 0.2
    done
    [ -n "$new" ] || { warn "the new Gunicorn master did not start"; gunicorn_log_tail; return 1; }
    gunicorn_wait_ready "$new" || { warn "the new Gunicorn master $new has no workers; the old one ($old) keeps serving"; kill -TERM "$new"; return 1; }
    kill -TERM "$old"                   # graceful: its workers finish their requests
    for _ in $(seq 1 200); do
        if ! kill -0 "$old" 2>/dev/null && [ "$(cat "$PIDFILE" 2>/dev/null)" = "$new" ]; then
            say "Gunicorn upgraded: master $old replaced by $new"
            return 0
        fi
        sleep 0.2
    done
    warn "the old Gunicorn master $old is still running"
    return 1
}

# -- Nginx ------------------------------------------------------------------------
NGINX_BIN=${FASTPRON_NGINX_BIN:-nginx}
nginx_private() { "$NGINX_BIN" -p "$FASTPRON_NGINX_PREFIX" -c "$FASTPRON_NGINX_PREFIX/nginx.conf" "$@"; }

# Django's DATA_UPLOAD_MAX_MEMORY_SIZE, for Nginx's client_max_body_size.
django_max_body() {
    (cd "$ROOT" && "$PY" -c 'import django; django.setup(); from django.conf import settings; print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)')
}

# Write the site (and, for a private Nginx, the main configuration), then test them.
nginx_configure() {
    local site max_body user_line=""
    max_body=$(django_max_body) || { warn "cannot read DATA_UPLOAD_MAX_MEMORY_SIZE from the Django settings"; return 1; }
    mkdir -p "$FASTPRON_WWW_DIR/errors" "$FASTPRON_LOG_DIR"
    # Nginx's own error pages: one template, a row each (deploy/nginx/errors/pages.tsv), mode 0644.
    "$PY" "$ROOT/deploy/render.py" --error-pages "$ROOT/deploy/nginx/errors/page.html.in" \
        "$ROOT/deploy/nginx/errors/pages.tsv" "$FASTPRON_WWW_DIR/errors" || return 1
    local include_dir=${FASTPRON_NGINX_INCLUDE_DIR:-/etc/fastpron/nginx.d}
    [ "$FASTPRON_NGINX" = private ] && include_dir=${FASTPRON_NGINX_INCLUDE_DIR:-$FASTPRON_NGINX_PREFIX/site.d}
    mkdir -p "$include_dir"
    if [ "$FASTPRON_NGINX" = private ]; then
        site="$FASTPRON_NGINX_PREFIX/fastpron.conf"
        mkdir -p "$FASTPRON_NGINX_PREFIX"/tmp/{client_body,proxy,fastcgi,uwsgi,scgi} "$FASTPRON_NGINX_PREFIX/logs"
        # As root, the workers run as the same user as Gunicorn, so that they can reach
        # the socket and the static files wherever this checkout is.
        [ "$(id -u)" = 0 ] && user_line="user $FASTPRON_USER $FASTPRON_GROUP;"
        "$PY" "$ROOT/deploy/render.py" "$ROOT/deploy/nginx/nginx.conf" "$FASTPRON_NGINX_PREFIX/nginx.conf" \
            "PREFIX=$FASTPRON_NGINX_PREFIX" "LOG_DIR=$FASTPRON_LOG_DIR" "USER_LINE=$user_line" || return 1
    else
        site=/etc/nginx/sites-available/fastpron
    fi
    "$PY" "$ROOT/deploy/render.py" "$ROOT/deploy/nginx/fastpron.conf" "$site" \
        "LISTEN=$FASTPRON_LISTEN" "SERVER_NAME=$FASTPRON_SERVER_NAME" "SOCKET=$SOCKET" \
        "STATIC_ROOT=$STATIC_ROOT" "ERROR_ROOT=$FASTPRON_WWW_DIR" "LOG_DIR=$FASTPRON_LOG_DIR" \
        "MAX_BODY=$max_body" "INCLUDE_DIR=$include_dir" \
        "LOGIN_RATE=$FASTPRON_LOGIN_RATE" "LOGIN_BURST=$FASTPRON_LOGIN_BURST" || return 1
    if [ "$FASTPRON_NGINX" = private ]; then
        nginx_private -t -q
    else
        ln -sfn /etc/nginx/sites-available/fastpron /etc/nginx/sites-enabled/fastpron
        # Debian's default site also claims default_server; ours answers unknown hosts with 444.
        rm -f /etc/nginx/sites-enabled/default
        nginx -t -q
    fi
}

nginx_master_pid() {
    local pidfile=/run/nginx.pid pid
    [ "$FASTPRON_NGINX" = private ] && pidfile="$FASTPRON_NGINX_PREFIX/nginx.pid"
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    kill -0 "$pid" 2>/dev/null || return 1
    printf '%s\n' "$pid"
}

nginx_start() {
    local pid
    if pid=$(nginx_master_pid); then say "Nginx is already running (master $pid)"; return 0; fi
    case "$FASTPRON_NGINX" in
        private) nginx_private ;;
        system)
            if [ "$FASTPRON_SYSTEMD" = yes ]; then systemctl enable --now nginx; else nginx; fi ;;
        *) return 0 ;;
    esac
    for _ in $(seq 1 50); do pid=$(nginx_master_pid) && break; sleep 0.1; done
    [ -n "${pid:-}" ] || { warn "Nginx did not start"; return 1; }
    say "Nginx is running (master $pid), listening on $FASTPRON_LISTEN"
}

# Graceful: new workers read the new configuration, the old ones finish their requests.
nginx_reload() {
    case "$FASTPRON_NGINX" in
        private) nginx_master_pid >/dev/null || { nginx_start; return; }; nginx_private -s reload ;;
        system)
            if [ "$FASTPRON_SYSTEMD" = yes ]; then systemctl reload nginx
            else nginx_master_pid >/dev/null || { nginx_start; return; }; nginx -s reload; fi ;;
        *) return 0 ;;
    esac
    say "Nginx reloaded"
}

nginx_stop() {
    local pid
    pid=$(nginx_master_pid) || { say "Nginx is not running"; return 0; }
    case "$FASTPRON_NGINX" in
        private) nginx_private -s quit ;;
        system) if [ "$FASTPRON_SYSTEMD" = yes ]; then systemctl stop nginx; else nginx -s quit; fi ;;
    esac
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || { say "Nginx stopped"; return 0; }; sleep 0.2; done
    warn "Nginx (master $pid) did not stop"; return 1
}

# -- static files --------------------------------------------------------------------
# collectstatic into a new folder (hard links to the current one first, so the
# hashed names that pages being served still use stay), then switch the
# STATIC_ROOT symlink to it in one rename: Nginx never sees a file half written.
collect_static() {
    local current="" new stamp
    stamp=$(date +%Y%m%d%H%M%S)-$$
    new="$STATIC_ROOT.$stamp"
    mkdir -p "$(dirname "$STATIC_ROOT")"
    if [ -L "$STATIC_ROOT" ]; then
        current=$(readlink -f "$STATIC_ROOT")
    elif [ -d "$STATIC_ROOT" ]; then      # a plain folder from before: becomes the first version
        current="$STATIC_ROOT.$stamp-0"
        mv -T "$STATIC_ROOT" "$current"
        ln -sfn "$current" "$STATIC_ROOT"
    fi
    if [ -n "$current" ] && [ -d "$current" ]; then cp -al "$current/." "$new/"; else mkdir -p "$new"; fi
    (cd "$ROOT" && STATIC_ROOT="$new" "$PY" manage.py collectstatic --noinput -v 1) || { rm -rf "$new"; return 1; }
    chmod -R a+rX "$new"
    ln -sfn "$new" "$STATIC_ROOT.next"
    mv -T "$STATIC_ROOT.next" "$STATIC_ROOT"
    # keep the three newest versions
    find "$(dirname "$STATIC_ROOT")" -maxdepth 1 -type d -name "$(basename "$STATIC_ROOT").*" -printf '%T@ %p\n' \
        | sort -rn | tail -n +4 | cut -d' ' -f2- | while read -r old; do
            [ "$old" = "$(readlink -f "$STATIC_ROOT")" ] || rm -rf -- "$old"
        done
    say "static files: $STATIC_ROOT -> $new"
}
