"""The production stack, for real: Nginx -> Unix socket -> Gunicorn -> Django (SQLite), on loopback.

The tests run in file order against one stack (conftest.py `stack`); the
later ones reload, kill and replace its processes.
"""

import http.client
import os
import pathlib
import re
import signal
import socket
import subprocess
import time
import urllib.parse

import pytest

from deploy_stack import READING, ROOT, TEXT, Load


def test_form_flow_with_csrf_through_nginx(stack):
    form, post, result = stack.submit_article()
    assert form.status == 200
    assert form.header("Server") == "nginx"                     # server_tokens off: no version
    assert 'name="csrfmiddlewaretoken"' in form.text
    assert post.status == 302
    assert re.fullmatch(r"/article_pronunciation/pronunciation/[0-9a-f-]{36}/", post.header("Location"))   # the permalink
    assert result.status == 200
    assert READING in result.text


def test_post_without_csrf_token_is_refused(stack):
    r = stack.request("POST", "/article_pronunciation/input/", body=b"text=%E5%8F%B0",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 403


def test_gunicorn_listens_on_a_unix_socket_only_nginx_reaches(stack):
    sock = stack.run_dir / "gunicorn.sock"
    mode = sock.stat().st_mode
    assert oct(mode & 0o777) == oct(0o770)                      # umask 007: owner and group only
    pids = stack.worker_pids()
    assert len(pids) == 2


def test_access_log_has_the_client_address_from_x_forwarded_for(stack):
    path = f"/article_pronunciation/input/?log-probe={time.time_ns()}"
    assert stack.request("GET", path).status == 200
    log = stack.base / "log" / "gunicorn-access.log"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and path not in log.read_text():
        time.sleep(0.1)
    line = next(line for line in log.read_text().splitlines() if path in line)
    assert line.startswith("127.0.0.1 - "), line


def test_static_files_from_nginx_with_cache_headers_and_gzip(stack):
    css = next(stack.static_root.rglob("base.css"))
    url = "/static/" + css.relative_to(stack.static_root).as_posix()
    plain = stack.request("GET", url)
    assert plain.status == 200
    assert plain.body == css.read_bytes()
    assert plain.header("Cache-Control") == "public, max-age=3600"
    assert plain.header("X-Content-Type-Options") == "nosniff"
    gz = stack.request("GET", url, headers={"Accept-Encoding": "gzip"})
    assert gz.status == 200
    assert gz.header("Content-Encoding") == "gzip"
    assert gz.header("Vary") == "Accept-Encoding"
    import gzip
    assert gzip.decompress(gz.body) == css.read_bytes()


def test_hashed_static_names_are_cached_for_a_year(stack):
    hashed = stack.static_root / "deploy-test.0123456789ab.css"
    hashed.write_text("body { color: black }\n" * 40)
    try:
        r = stack.request("GET", "/static/deploy-test.0123456789ab.css", headers={"Accept-Encoding": "gzip"})
        assert r.status == 200
        assert r.header("Cache-Control") == "public, max-age=31536000, immutable"
        assert r.header("Content-Encoding") == "gzip"
    finally:
        hashed.unlink()


def test_missing_static_file_is_nginx_404_not_django(stack):
    r = stack.request("GET", "/static/no-such-file.css")
    assert r.status == 404
    assert "<h1>找不到這個檔案</h1>" in r.text                   # Nginx's page of our own, not Django's 404
    assert r.header("Content-Security-Policy").startswith("default-src 'none'")   # Django's: default-src 'self'
    assert r.header("Cache-Control") == "no-store"


def test_html_is_gzipped(stack):
    r = stack.request("GET", "/article_pronunciation/input/", headers={"Accept-Encoding": "gzip"})
    assert r.status == 200 and r.header("Content-Encoding") == "gzip"


def _limit() -> int:
    return 10 * 1024 * 1024     # Django's DATA_UPLOAD_MAX_MEMORY_SIZE with the default MAX_TEXT_LENGTH


def test_nginx_body_limit_is_djangos(stack):
    conf = (stack.base / "nginx" / "fastpron.conf").read_text()
    assert f"client_max_body_size {_limit()};" in conf


def test_oversized_body_is_413_from_nginx(stack):
    conn = stack.connection()
    try:
        conn.putrequest("POST", "/article_pronunciation/input/", skip_host=True)
        conn.putheader("Host", stack.host)
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(_limit() + 1))
        conn.endheaders()               # Nginx answers from the Content-Length, before any body
        r = conn.getresponse()
        body = r.read().decode()
    finally:
        conn.close()
    assert r.status == 413
    assert "送出的內容太大" in body


def test_body_at_the_limit_reaches_django(stack):
    # With a valid token Django reads the whole body and answers with the form's own error.
    # (Without one, Django refuses before reading it, and Nginx may still be writing: a 502 race.)
    overhead = len(urllib.parse.urlencode({"csrfmiddlewaretoken": "x" * 64, "text": ""}))
    _, post, _ = stack.post_form({"text": "a" * (_limit() - overhead)})
    assert post.status == 400                   # the form again, with its error
    assert f"文章有 {_limit() - overhead:,} 字，超過上限 100,000 字" in post.text


def test_unknown_host_gets_no_answer(stack):
    with pytest.raises(http.client.RemoteDisconnected):
        stack.request("GET", "/", host="attacker.example")
    with pytest.raises(http.client.RemoteDisconnected):
        stack.request("GET", "/article_pronunciation/input/", host=f"attacker.example:{stack.port}")


def test_unknown_host_straight_to_gunicorn_is_400(stack):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(str(stack.run_dir / "gunicorn.sock"))
    s.sendall(b"GET /article_pronunciation/input/ HTTP/1.0\r\nHost: attacker.example\r\n\r\n")
    reply = b""
    while chunk := s.recv(65536):
        reply += chunk
    s.close()
    assert reply.startswith(b"HTTP/1.0 400") or reply.startswith(b"HTTP/1.1 400"), reply[:200]


def test_killed_worker_is_respawned_and_requests_keep_succeeding(stack):
    master = stack.master_pid()
    before = stack.wait_workers(2)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    statuses = [stack.request("GET", "/article_pronunciation/input/").status for _ in range(40)]
    after = stack.wait_workers(2)
    assert statuses == [200] * 40
    assert victim not in after and len(after - before) == 1
    assert stack.master_pid() == master


def test_graceful_reload_under_load_loses_no_request(stack):
    master = stack.master_pid()
    before = stack.wait_workers(2)
    css = next(stack.static_root.rglob("base.css"))
    with Load(stack, threads=4, max_seconds=60, max_requests=20_000,
              static_path="/static/" + css.relative_to(stack.static_root).as_posix()) as load:
        time.sleep(1.5)
        stack.ctl("reload")             # Gunicorn HUP + nginx -s reload
        time.sleep(1.5)
    print("reload:", load.summary())
    assert load.failures == []
    assert load.sent >= 100
    assert stack.master_pid() == master
    after = stack.wait_workers(2)
    assert after.isdisjoint(before)     # every worker was replaced


def test_502_page_of_our_own_when_gunicorn_is_down(stack):
    pid = stack.master_pid()
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            time.sleep(0.1)
        except ProcessLookupError:
            break
    try:
        r = stack.request("GET", "/article_pronunciation/input/")
        assert r.status == 502
        assert "台語讀音標註服務暫時無法回應" in r.text
        assert r.header("Content-Type").startswith("text/html")
    finally:
        stack.ctl("start")
    assert stack.request("GET", "/article_pronunciation/input/").status == 200
