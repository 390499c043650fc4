"""The deploy configuration itself: production settings, Gunicorn settings, templates."""

import multiprocessing
import os
import re
import secrets
import subprocess
import sys

import pytest

from deploy_stack import DEPLOY, ROOT, clean_environ

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "", "ALLOWED_HOSTS": "fastpron.example.org"}


def check_deploy(**env):
    environ = dict(clean_environ(), **PRODUCTION, **env)
    environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_https_settings():
    run = check_deploy(HTTPS="1")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues (2 silenced)." in run.stdout


def test_check_deploy_with_hsts_subdomains_and_preload_silences_nothing():
    run = check_deploy(HTTPS="1", HSTS_INCLUDE_SUBDOMAINS="1", HSTS_PRELOAD="1")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout


def test_plain_http_warns_exactly_about_the_https_settings():
    """What deploy/selfcheck.py accepts on a site without TLS: these four and nothing else."""
    run = check_deploy()
    assert run.returncode == 1
    found = sorted(set(re.findall(r"\((security\.W\d+)\)", run.stderr + run.stdout)))
    assert found == ["security.W004", "security.W008", "security.W012", "security.W016"]


def gunicorn_settings(**env):
    code = ("import runpy, json, sys; c = runpy.run_path(sys.argv[1]); "
            "print(json.dumps({k: c[k] for k in ('bind', 'workers', 'preload_app', 'timeout', 'graceful_timeout', "
            "'max_requests', 'max_requests_jitter', 'pidfile', 'umask', 'access_log_format', 'wsgi_app')}))")
    import json
    out = subprocess.run([sys.executable, "-c", code, str(DEPLOY / "gunicorn.conf.py")],
                         env=dict(clean_environ(), **env), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_gunicorn_defaults():
    c = gunicorn_settings(FASTPRON_RUN_DIR="/run/fastpron")
    assert c["bind"] == ["unix:/run/fastpron/gunicorn.sock"]
    assert c["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert c["preload_app"] is True
    assert c["pidfile"] == "/run/fastpron/gunicorn.pid"
    assert (c["timeout"], c["graceful_timeout"]) == (30, 30)
    assert c["max_requests"] == 20000 and c["max_requests_jitter"] == 2000
    assert c["umask"] == 0o007
    assert c["access_log_format"].startswith("%({x-forwarded-for}i)s ")
    assert c["wsgi_app"] == "fastpron_wsgi:application"


def test_gunicorn_workers_from_the_environment():
    assert gunicorn_settings(GUNICORN_WORKERS="3")["workers"] == 3
    assert gunicorn_settings(WEB_CONCURRENCY="4")["workers"] == 4
    with pytest.raises(subprocess.CalledProcessError):
        gunicorn_settings(GUNICORN_WORKERS="many")


def render(tmp_path, template, **values):
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, str(DEPLOY / "render.py"), str(template), str(out),
                          *(f"{k}={v}" for k, v in values.items())], capture_output=True, text=True)
    return run, (out.read_text() if out.exists() else None)


SITE_VALUES = dict(LISTEN="80 [::]:80", SERVER_NAME="fastpron.example.org", SOCKET="/run/fastpron/gunicorn.sock",
                   STATIC_ROOT="/var/www/fastpron/static", ERROR_ROOT="/var/www/fastpron",
                   LOG_DIR="/var/log/fastpron", MAX_BODY="10485760", INCLUDE_DIR="/etc/fastpron/nginx.d",
                   LOGIN_RATE="6r/m", LOGIN_BURST="5")


def test_site_template_renders_every_listen_address(tmp_path):
    run, text = render(tmp_path, DEPLOY / "nginx" / "fastpron.conf", **SITE_VALUES)
    assert run.returncode == 0, run.stderr
    assert not re.search(r"@[A-Z][A-Z0-9_]*@", re.sub(r"#.*", "", text))     # (@api_too_large is a named location)
    assert text.count("listen 80 default_server;") == 1 and text.count("listen [::]:80 default_server;") == 1
    assert text.count("listen 80;") == 1 and text.count("listen [::]:80;") == 1
    assert "server unix:/run/fastpron/gunicorn.sock fail_timeout=0;" in text
    assert "client_max_body_size 10485760;" in text
    assert "return 444;" in text and "server_tokens off;" in text
    assert "include /etc/fastpron/nginx.d/*.conf;" in text
    assert "limit_req_zone $fastpron_login_client zone=fastpron_login:1m rate=6r/m;" in text
    assert "limit_req zone=fastpron_login burst=5 nodelay;" in text
    assert """return 413 '{"error": "the request body is larger than 10485760 bytes"}\\n';""" in text


def test_render_refuses_a_missing_value(tmp_path):
    values = dict(SITE_VALUES)
    del values["SOCKET"]
    run, text = render(tmp_path, DEPLOY / "nginx" / "fastpron.conf", **values)
    assert run.returncode != 0 and "@SOCKET@" in run.stderr
    assert text is None                                 # nothing half-filled is written


def test_error_pages_render_one_per_status(tmp_path):
    errors = DEPLOY / "nginx" / "errors"
    run = subprocess.run([sys.executable, str(DEPLOY / "render.py"), "--error-pages", str(errors / "page.html.in"),
                          str(errors / "pages.tsv"), str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pages = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.html")}
    site = (DEPLOY / "nginx" / "fastpron.conf").read_text(encoding="utf-8")
    assert set(pages) == set(re.findall(r"/_errors/(\d+\.html);", site))    # each page the site names, no other
    assert all((tmp_path / name).stat().st_mode & 0o777 == 0o644 for name in pages)
    for name, text in pages.items():
        assert text.startswith("<!DOCTYPE html>\n") and text.endswith("</body>\n</html>\n")
        assert not re.search(r"@[A-Z][A-Z0-9_]*@", text) and "<p></p>" not in text
        assert f"({name[:3]})" in text                                      # the English line gives the status
    assert "<title>內容太大 — fastpron</title>" in pages["413.html"] and "<h1>送出的內容太大</h1>" in pages["413.html"]
    assert "<h1>找不到這個檔案</h1>" in pages["404.html"]
    assert [name for name, text in pages.items() if "docs/operations.md" in text] == ["502.html"]   # the only note

def test_systemd_units(tmp_path):
    values = dict(ROOT="/srv/fastpron", USER="fastpron", GROUP="www-data", SOCKET="/run/fastpron/gunicorn.sock",
                  ENV_FILE="/etc/fastpron/fastpron.env", DATA_DIR="/var/lib/fastpron",
                  LOG_DIR="/var/log/fastpron", RUN_DIR="/run/fastpron")
    run, socket_unit = render(tmp_path, DEPLOY / "systemd" / "gunicorn.socket", **values)
    assert run.returncode == 0, run.stderr
    assert "ListenStream=/run/fastpron/gunicorn.sock" in socket_unit and "SocketGroup=www-data" in socket_unit
    run, service = render(tmp_path, DEPLOY / "systemd" / "gunicorn.service", **values)
    assert run.returncode == 0, run.stderr
    assert "Requires=gunicorn.socket" in service
    assert "ExecReload=/bin/kill -s HUP $MAINPID" in service
    assert "ExecStart=/srv/fastpron/.venv/bin/gunicorn -c /srv/fastpron/deploy/gunicorn.conf.py" in service
    assert "EnvironmentFile=/etc/fastpron/fastpron.env" in service


@pytest.mark.parametrize("script", ["install.sh", "update.sh", "ctl.sh", "run.sh", "lib.sh", "ci-postgres.sh"])
def test_scripts_parse(script):
    assert subprocess.run(["bash", "-n", str(DEPLOY / script)]).returncode == 0
