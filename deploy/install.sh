#!/usr/bin/env bash
# 建置作業 — the first build of fastpron on a Debian server, as root:
#
#   deploy/install.sh [--create-superuser]
#
# 1 check the machine          6 apply the database migrations
# 2 install Debian packages    7 collect the static files
# 3 user, folders, settings    8 create a superuser (only with --create-superuser)
# 4 .venv and the project      9 install the Nginx site
# 5 build the C extension      10 start the services (systemd units, or directly)
#   and compile the lexicon    11 the deployment self-check
#
# Safe to run again: every step checks what is already there.  Settings are in
# $FASTPRON_ENV_FILE (default /etc/fastpron/fastpron.env), written on the first
# run and never overwritten.  docs/operations.md describes every step.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

CREATE_SUPERUSER=0
for arg in "$@"; do
    case "$arg" in
        --create-superuser) CREATE_SUPERUSER=1 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $arg (see deploy/install.sh --help)" ;;
    esac
done
STEP_TOTAL=11
# The interpreter of .venv: Debian's, which every user may run (a pyenv one under /root is not).
PYTHON=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 )}
PACKAGES=(build-essential python3 python3-venv python3-dev git nginx ca-certificates)

check_machine() {
    [ "$(id -u)" = 0 ] || { warn "run as root (sudo deploy/install.sh)"; return 1; }
    command -v apt-get >/dev/null || { warn "this script is for Debian (apt-get not found)"; return 1; }
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
        || { warn "Python 3.10 or newer is needed, found $("$PYTHON" --version 2>&1) ($PYTHON)"; return 1; }
    say "root, Debian, $("$PYTHON" --version) ($PYTHON), project at $ROOT"
}

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    # python3-venv: only needed if this python3 lacks a working venv/ensurepip
    if [ ${#missing[@]} -eq 0 ]; then say "all installed: ${PACKAGES[*]}"; return 0; fi
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

write_settings() {
    if [ ! -f "$FASTPRON_ENV_FILE" ]; then
        mkdir -p "$(dirname "$FASTPRON_ENV_FILE")"
        local key hosts
        key=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
        hosts=$(printf '%s' "$FASTPRON_SERVER_NAME" | tr ' ' ',')
        umask 077
        cat > "$FASTPRON_ENV_FILE" <<SETTINGS
# fastpron settings (deploy/install.sh wrote this; edit it, then run
# deploy/update.sh or restart the services).  See docs/operations.md.
DEBUG=0
SECRET_KEY=$key
ALLOWED_HOSTS=$hosts
DATABASE_URL=sqlite:///$FASTPRON_DATA_DIR/db.sqlite3
STATIC_ROOT=$STATIC_ROOT
# HTTPS=1 once Nginx terminates TLS: secure cookies, HSTS, SSL redirect.
HTTPS=${HTTPS:-0}
FASTPRON_USER=$FASTPRON_USER
FASTPRON_GROUP=$FASTPRON_GROUP
FASTPRON_RUN_DIR=$FASTPRON_RUN_DIR
FASTPRON_LOG_DIR=$FASTPRON_LOG_DIR
FASTPRON_DATA_DIR=$FASTPRON_DATA_DIR
FASTPRON_WWW_DIR=$FASTPRON_WWW_DIR
FASTPRON_LISTEN="$FASTPRON_LISTEN"
FASTPRON_SERVER_NAME="$FASTPRON_SERVER_NAME"
FASTPRON_NGINX=$FASTPRON_NGINX
SETTINGS
        umask 022
        say "wrote $FASTPRON_ENV_FILE (a new SECRET_KEY)"
    else
        say "keeping $FASTPRON_ENV_FILE"
    fi
    chmod 0640 "$FASTPRON_ENV_FILE"
    load_settings                        # re-read: the file's values win
}

users_and_folders() {
    getent group "$FASTPRON_GROUP" >/dev/null || groupadd --system "$FASTPRON_GROUP"
    if ! id -u "$FASTPRON_USER" >/dev/null 2>&1; then
        useradd --system --gid "$FASTPRON_GROUP" --home-dir "$FASTPRON_DATA_DIR" --no-create-home \
            --shell /usr/sbin/nologin "$FASTPRON_USER"
        say "created the system user $FASTPRON_USER"
    fi
    write_settings
    chgrp "$FASTPRON_GROUP" "$FASTPRON_ENV_FILE"
    install -d -m 0750 -o "$FASTPRON_USER" -g "$FASTPRON_GROUP" "$FASTPRON_DATA_DIR" "$FASTPRON_RUN_DIR" "$FASTPRON_LOG_DIR"
    install -d -m 0755 "$FASTPRON_WWW_DIR"
    # The application user must be able to read the code (not in a private home folder).
    if ! as_app test -r "$ROOT/manage.py"; then
        warn "user $FASTPRON_USER cannot read $ROOT/manage.py: a parent folder is private (such as /root)."
        warn "Put the project under /srv or /opt, or set FASTPRON_USER=root in $FASTPRON_ENV_FILE."
        return 1
    fi
    say "user $FASTPRON_USER:$FASTPRON_GROUP; data $FASTPRON_DATA_DIR; logs $FASTPRON_LOG_DIR; sockets $FASTPRON_RUN_DIR"
}

project_venv() {
    [ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
    "$PY" -m pip install --quiet --upgrade pip setuptools wheel "Cython>=3"
    "$PY" -m pip install --quiet --no-build-isolation -e "$ROOT[web]"
    if ! as_app "$PY" -c 'import django, gunicorn' 2>/dev/null; then
        warn "user $FASTPRON_USER cannot run $PY (its interpreter is $(readlink -f "$PY"), in a private folder?)."
        warn "Remove $VENV and run again with Debian's Python (PYTHON=/usr/bin/python3), or set FASTPRON_USER=root."
        return 1
    fi
    say "$("$PY" --version) in $VENV; $("$VENV/bin/gunicorn" --version)"
}

build_core() {
    (cd "$ROOT" && "$PY" setup.py --quiet build_ext --inplace && "$PY" -m fastpron.compile && touch fastpron/.built)
    chmod -R a+rX "$ROOT/fastpron"           # the application user reads the extension and the lexicon
}

migrate() { (cd "$ROOT" && manage migrate --noinput); }

superuser() {
    if [ "$CREATE_SUPERUSER" != 1 ]; then say "skipped (deploy/install.sh --create-superuser creates one)"; return 0; fi
    if [ -t 0 ] && [ -z "${DJANGO_SUPERUSER_USERNAME:-}" ]; then
        (cd "$ROOT" && manage createsuperuser)
    else
        [ -n "${DJANGO_SUPERUSER_USERNAME:-}" ] && [ -n "${DJANGO_SUPERUSER_PASSWORD:-}" ] \
            || { warn "without a terminal, set DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_PASSWORD (and DJANGO_SUPERUSER_EMAIL)"; return 1; }
        if (cd "$ROOT" && manage shell -c "import sys; from django.contrib.auth import get_user_model; sys.exit(0 if get_user_model().objects.filter(username='$DJANGO_SUPERUSER_USERNAME').exists() else 1)"); then
            say "superuser $DJANGO_SUPERUSER_USERNAME exists already"
        else
            (cd "$ROOT" && manage createsuperuser --noinput --email "${DJANGO_SUPERUSER_EMAIL:-}")
        fi
    fi
}

install_systemd_units() {
    local unit
    for unit in gunicorn.socket gunicorn.service; do
        "$PY" "$ROOT/deploy/render.py" "$ROOT/deploy/systemd/$unit" "/etc/systemd/system/$unit" \
            "ROOT=$ROOT" "USER=$FASTPRON_USER" "GROUP=$FASTPRON_GROUP" "SOCKET=$SOCKET" \
            "ENV_FILE=$FASTPRON_ENV_FILE" "DATA_DIR=$FASTPRON_DATA_DIR" "LOG_DIR=$FASTPRON_LOG_DIR" \
            "RUN_DIR=$FASTPRON_RUN_DIR"
    done
    # /run is emptied at boot: recreate the socket folder each time.
    printf 'd %s 0750 %s %s -\n' "$FASTPRON_RUN_DIR" "$FASTPRON_USER" "$FASTPRON_GROUP" > /etc/tmpfiles.d/fastpron.conf
    systemd-tmpfiles --create /etc/tmpfiles.d/fastpron.conf
    systemctl daemon-reload
    systemctl enable --now gunicorn.socket
    systemctl enable gunicorn.service
    systemctl restart gunicorn.service          # a running one takes up the new code; the socket stays open
    systemctl enable nginx
    systemctl reload-or-restart nginx
    say "systemd: gunicorn.socket, gunicorn.service and nginx enabled and running"
}

start_services() {
    if [ "$FASTPRON_SYSTEMD" = yes ]; then
        install_systemd_units
    else
        say "no systemd here: starting Gunicorn and Nginx directly (deploy/ctl.sh start)"
        if gunicorn_pid >/dev/null; then gunicorn_reload; else gunicorn_start; fi
        if nginx_master_pid >/dev/null; then nginx_reload; else nginx_start; fi
    fi
}

load_settings
step "檢查執行環境 check the machine" check_machine
step "安裝系統套件 install Debian packages" install_packages
step "建立使用者、目錄與設定檔 user, folders and settings" users_and_folders
step "建立虛擬環境並安裝專案 .venv and the project" project_venv
step "建置 C 擴充模組與詞庫 build the extension and the lexicon" build_core
step "初始化資料庫 apply the database migrations" migrate
step "收集靜態檔案 collect the static files" collect_static
step "建立管理者帳號 superuser" superuser
step "安裝 Nginx 網站設定 install the Nginx site" nginx_configure
step "啟動服務 start the services" start_services
step "部署自我檢查 deployment self-check" as_app "$PY" "$ROOT/deploy/selfcheck.py"
say ""
PORT_PART=$(printf '%s' "${FASTPRON_LISTEN%% *}" | sed -n 's/.*:\([0-9][0-9]*\)$/:\1/p' | sed 's/^:80$//')
say "建置完成 done: http://${FASTPRON_SERVER_NAME%% *}$PORT_PART/article_pronunciation/input/"
