#!/usr/bin/env bash
# Control the running fastpron services on a machine without systemd (and
# the stacks of the tests):
#
#   deploy/ctl.sh prepare | start | stop | restart | reload | upgrade | status | check | configure-nginx
#
#   prepare   migrate, collect the static files, write the Nginx configuration
#   start     start Gunicorn (daemon, pidfile in $FASTPRON_RUN_DIR) and Nginx
#   stop      stop both, gracefully (requests in progress finish)
#   reload    Gunicorn HUP (new workers, new code) and nginx -s reload
#   upgrade   replace the Gunicorn master (USR2, then TERM the old one)
#   status    show what runs
#   check     the deployment self-check (deploy/selfcheck.py)
#
# Settings come from $FASTPRON_ENV_FILE (default /etc/fastpron/fastpron.env).
# With systemd, use systemctl instead (docs/operations.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
load_settings

case "${1:-}" in
    prepare) (cd "$ROOT" && manage migrate --noinput -v 0); collect_static
             [ "$FASTPRON_NGINX" = none ] || nginx_configure ;;
    start) gunicorn_start; nginx_start ;;
    stop) nginx_stop; gunicorn_stop ;;
    restart) nginx_stop; gunicorn_stop; gunicorn_start; nginx_start ;;
    reload) gunicorn_reload; nginx_reload ;;
    upgrade) gunicorn_upgrade ;;
    configure-nginx) nginx_configure ;;
    check) exec "$PY" "$ROOT/deploy/selfcheck.py" ;;
    status)
        if pid=$(gunicorn_pid); then
            say "Gunicorn: running, master $pid, workers: $(gunicorn_workers "$pid" | tr '\n' ' ')"
        else
            say "Gunicorn: not running"
        fi
        if [ "$FASTPRON_NGINX" = none ]; then say "Nginx: not used"
        elif pid=$(nginx_master_pid); then say "Nginx: running, master $pid"
        else say "Nginx: not running"; fi ;;
    *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
