#!/usr/bin/env bash
# 更新作業 — bring a running fastpron server to the new version, without
# failing a request:
#
#   deploy/update.sh
#
# 1 pull the new code (git pull --ff-only; FASTPRON_PULL=0 skips it)
# 2 install the dependencies into .venv
# 3 rebuild the C extension and the lexicon
# 4 check the new code (manage.py check)
# 5 apply the database migrations
# 6 collect the static files (a new folder, switched in atomically)
# 7 reload Gunicorn gracefully: HUP (new workers, new code; the socket stays
#   open).  If the C extension changed, the master itself is replaced
#   (USR2, then TERM to the old master; with systemd: systemctl restart,
#   while systemd holds the socket)
# 8 reload Nginx (its site is rendered again, tested, then nginx -s reload)
# 9 the deployment self-check
#
# Safe to run again.  Settings: $FASTPRON_ENV_FILE (default /etc/fastpron/fastpron.env).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
case "${1:-}" in
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) die "unknown option $1 (see deploy/update.sh --help)" ;;
esac
STEP_TOTAL=9
load_settings
[ -x "$PY" ] || die "$VENV is missing: run deploy/install.sh (建置作業) first"

extension_digest() { sha256sum "$ROOT"/fastpron/_*.so 2>/dev/null | sort | sha256sum | cut -c1-16; }
EXTENSION_BEFORE=$(extension_digest)

pull() {
    if [ "${FASTPRON_PULL:-1}" = 0 ]; then say "skipped (FASTPRON_PULL=0): using the code as it is"; return 0; fi
    git -C "$ROOT" pull --ff-only
    say "now at $(git -C "$ROOT" log -1 --format='%h %s')"
}

dependencies() {
    "$PY" -m pip install --quiet --upgrade pip setuptools wheel "Cython>=3"
    "$PY" -m pip install --quiet --no-build-isolation -e "$ROOT[web]"
}

build_core() {
    (cd "$ROOT" && "$PY" setup.py --quiet build_ext --inplace && "$PY" -m fastpron.compile && touch fastpron/.built)
    chmod -R a+rX "$ROOT/fastpron"           # the application user reads the extension and the lexicon
    if [ "$(extension_digest)" != "$EXTENSION_BEFORE" ]; then
        EXTENSION_CHANGED=1; say "the C extension changed: Gunicorn's master will be replaced"
    else
        EXTENSION_CHANGED=0; say "the C extension is unchanged"
    fi
}

check_code() { (cd "$ROOT" && manage check); }

migrate() { (cd "$ROOT" && manage migrate --noinput); }

reload_gunicorn() {
    if [ "$FASTPRON_SYSTEMD" = yes ]; then
        if [ "$EXTENSION_CHANGED" = 1 ] || [ "${FASTPRON_UPGRADE:-0}" = 1 ]; then
            systemctl restart gunicorn.service
        else
            systemctl reload gunicorn.service
        fi
        systemctl is-active --quiet gunicorn.service
    elif [ "$EXTENSION_CHANGED" = 1 ] || [ "${FASTPRON_UPGRADE:-0}" = 1 ]; then
        gunicorn_upgrade
    else
        gunicorn_reload
    fi
}

reload_nginx() {
    [ "$FASTPRON_NGINX" = none ] && { say "no Nginx in this setup"; return 0; }
    nginx_configure && nginx_reload
}

EXTENSION_CHANGED=0
step "取得新版原始碼 pull the new code" pull
step "更新相依套件 install the dependencies" dependencies
step "重建 C 擴充模組與詞庫 rebuild the extension and the lexicon" build_core
step "檢查新版程式 check the new code" check_code
step "更新資料庫結構 apply the database migrations" migrate
step "收集靜態檔案 collect the static files" collect_static
step "平順重新載入 Gunicorn reload Gunicorn gracefully" reload_gunicorn
step "重新載入 Nginx reload Nginx" reload_nginx
step "部署自我檢查 deployment self-check" as_app "$PY" "$ROOT/deploy/selfcheck.py"
say ""
say "更新完成 done"
