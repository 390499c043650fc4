"""Gunicorn settings for fastpron: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be overridden from the environment (the names are below), so
the same file serves a Debian server (deploy/install.sh), systemd
(deploy/systemd/), `make run` and the integration tests.

The process layout, and why:

* The master preloads `fastpron_wsgi` (deploy/fastpron_wsgi.py): the fastpron
  library and its compiled lexicon, loaded once and shared copy-on-write by
  every worker (`preload_app`, then `gc.freeze()` so the collector does not
  dirty the shared pages).
* Each worker imports the Django site (`webproject.wsgi:application`) right
  after it is forked, before it accepts a request.  So a HUP (graceful
  reload) starts workers that run the site code now on disk: with the whole
  Django site preloaded into the master, HUP would keep serving the old code.
  On HUP the master also re-imports fastpron's Python modules and reloads the
  lexicon (`on_reload` below).  A changed C extension cannot be re-imported
  into a running process: deploy/update.sh notices that and replaces the
  master instead (see docs/operations.md, 更新作業).
"""

import gc
import hashlib
import importlib
import multiprocessing
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _load_env_file():
    """The site's settings file (FASTPRON_ENV_FILE, KEY=VALUE lines) into the environment.

    Gunicorn runs this file again on HUP, so an edited setting reaches the new
    workers with a graceful reload: no restart needed.
    """
    path = os.environ.get("FASTPRON_ENV_FILE")
    if not path or not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, value = line.partition("=")
            key = key.strip().removeprefix("export ").strip()
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if key.isidentifier():
                os.environ[key] = value


_load_env_file()
RUN_DIR = pathlib.Path(os.environ.get("FASTPRON_RUN_DIR", "/run/fastpron"))
LOG_DIR = os.environ.get("FASTPRON_LOG_DIR", "")


def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name}={value!r} is not a whole number") from None


# -- where it listens ---------------------------------------------------------
# A Unix socket that only Nginx connects to.  Under systemd socket activation
# (deploy/systemd/gunicorn.socket) Gunicorn takes the socket from systemd and
# this is ignored.
bind = [os.environ.get("GUNICORN_BIND", f"unix:{RUN_DIR}/gunicorn.sock")]
umask = 0o007                   # socket srwxrwx---: the owner and its group (www-data) only
backlog = 2048                  # requests wait here while workers are busy or being replaced
pidfile = os.environ.get("GUNICORN_PIDFILE", str(RUN_DIR / "gunicorn.pid"))
control_socket = str(RUN_DIR / "gunicorn.ctl")      # gunicornc; not in $HOME, where every instance would share it
daemon = os.environ.get("GUNICORN_DAEMON", "0") == "1"

# -- the application ------------------------------------------------------------
chdir = str(ROOT)
pythonpath = f"{ROOT},{ROOT / 'deploy'}"
wsgi_app = "fastpron_wsgi:application"
preload_app = True
proc_name = "fastpron"

# -- workers --------------------------------------------------------------------
worker_class = "sync"           # behind Nginx, which buffers slow clients
workers = _env_int("GUNICORN_WORKERS", _env_int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
timeout = _env_int("GUNICORN_TIMEOUT", 30)                     # a worker silent this long is killed and replaced
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)   # on HUP/TERM, time to finish requests in progress
keepalive = 2
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 20000)        # recycle workers, bounding any slow leak; rarely,
# because a new worker loads Django (about a second), and requests queue meanwhile
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 2000)  # ... not all at the same moment

# -- logs -------------------------------------------------------------------------
# The client is in X-Forwarded-For, set by Nginx: a Unix-socket peer has no address.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", f"{LOG_DIR}/gunicorn-access.log" if LOG_DIR else "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", f"{LOG_DIR}/gunicorn-error.log" if LOG_DIR else "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s - %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms pid=%(p)s'
capture_output = bool(LOG_DIR)


# -- hooks ------------------------------------------------------------------------
def _extension_digest():
    """sha256 of the loaded fastpron C extensions (the core's modules, _core and its stages), to notice
    a rebuilt one."""
    paths = sorted(path for name, module in list(sys.modules.items()) if name.startswith("fastpron._")
                   and (path := getattr(module, "__file__", None)) and path.endswith((".so", ".pyd")))
    if not paths:
        return None
    digest = hashlib.sha256()
    try:
        for path in paths:
            digest.update(pathlib.Path(path).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def when_ready(server):
    """In the master, after the preload and before the first fork."""
    sys.modules["fastpron_wsgi"].loaded_extension = _extension_digest()
    gc.collect()
    gc.freeze()                 # keep the preloaded objects out of the collector: pages stay shared
    server.log.info("fastpron preloaded: lexicon %s", sys.modules["fastpron_wsgi"].lexicon_origin)


def post_worker_init(worker):
    """In each new worker, before it accepts: import the Django site now, not on the first request."""
    sys.modules["fastpron_wsgi"].load_site()


def on_reload(server):
    """HUP, in the master, before the new workers are forked: take up the fastpron code now on disk."""
    old_modules = {name: module for name, module in sys.modules.items()
                   if name in ("fastpron", "fastpron_wsgi") or name.startswith("fastpron.")}
    old_extension = getattr(old_modules.get("fastpron_wsgi"), "loaded_extension", None)
    gc.unfreeze()
    for name, module in old_modules.items():
        if not getattr(module, "__file__", "").endswith((".so", ".pyd")):
            del sys.modules[name]               # pure Python: re-imported below; C extensions stay loaded
    try:
        new = importlib.import_module("fastpron_wsgi")
    except Exception:
        sys.modules.update(old_modules)
        server.log.exception("reload: the new fastpron code does not import; the workers keep the old code")
    else:
        server.app.callable = new.application
        new.loaded_extension = old_extension
        if old_extension is not None and _extension_digest() != old_extension:
            server.log.warning("reload: the fastpron C extension changed on disk; the running master keeps the "
                               "old one until it is replaced (deploy/update.sh does this: USR2, then TERM the "
                               "old master)")
        server.log.info("reload: fastpron re-imported, lexicon %s", new.lexicon_origin)
    gc.collect()
    gc.freeze()
