"""`make run`: the whole stack in the foreground on a loopback port; Ctrl-C stops all of it."""

import os
import pathlib
import signal
import subprocess
import time

import pytest

from deploy_stack import ROOT, Stack, clean_environ, free_port, nginx_missing


def start_make_run(var: pathlib.Path, port: int, **extra) -> subprocess.Popen:
    env = dict(clean_environ(), PORT=str(port), FASTPRON_VAR=str(var), GUNICORN_WORKERS="2", **extra)
    log = open(var.parent / f"make-run-{port}.log", "w")
    return subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def wait_serving(proc, port, log: pathlib.Path, timeout=300):
    import http.client
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"make run exited {proc.returncode}:\n{log.read_text()[-3000:]}"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/article_pronunciation/input/", headers={"Host": f"127.0.0.1:{port}"})
            r = conn.getresponse()
            body = r.read()
            conn.close()
            if r.status == 200:
                return r, body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"make run did not serve in {timeout} s:\n{log.read_text()[-3000:]}")


def ctrl_c(proc) -> int:
    os.killpg(proc.pid, signal.SIGINT)          # what the terminal sends to the foreground group
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def group_processes(pgid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(pgid)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


@pytest.mark.skipif(bool(nginx_missing()) and not os.environ.get("CI"), reason="nginx is not installed")
def test_make_run_serves_nginx_gunicorn_django_and_ctrl_c_stops_all(tmp_path):
    port = free_port()
    var = tmp_path / "var"
    proc = start_make_run(var, port)
    log = tmp_path / f"make-run-{port}.log"
    try:
        r, body = wait_serving(proc, port, log)
        assert r.getheader("Server") == "nginx"
        assert b'name="csrfmiddlewaretoken"' in body
        assert (var / "run" / "gunicorn.sock").is_socket()
        nginx_pid = int((var / "nginx" / "nginx.pid").read_text())
        gunicorn_pid = int((var / "run" / "gunicorn.pid").read_text())
        assert (var / "db.sqlite3").exists()
    finally:
        status = ctrl_c(proc)
    output = log.read_text()
    assert "stopped: Nginx and Gunicorn" in output, output[-2000:]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (alive(nginx_pid) or alive(gunicorn_pid) or group_processes(proc.pid)):
        time.sleep(0.2)
    assert not alive(nginx_pid) and not alive(gunicorn_pid)
    assert group_processes(proc.pid) == []
    assert not (var / "run" / "gunicorn.sock").exists()
    assert status in (0, 2, -signal.SIGINT)             # make reports the interrupt as 2


def test_make_run_without_nginx_serves_gunicorn_alone(tmp_path):
    port = free_port()
    var = tmp_path / "var"
    proc = start_make_run(var, port, FASTPRON_NGINX_BIN="/nonexistent/nginx", FASTPRON_INSTALL_NGINX="0")
    log = tmp_path / f"make-run-{port}.log"
    try:
        r, body = wait_serving(proc, port, log)
        assert r.getheader("Server") != "nginx"
        assert b'name="csrfmiddlewaretoken"' in body
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/static/admin/css/base.css", headers={"Host": f"127.0.0.1:{port}"})
        static = conn.getresponse()
        static.read()
        conn.close()
        assert static.status == 200                      # WhiteNoise, inside Django
    finally:
        ctrl_c(proc)
    output = log.read_text()
    assert "Nginx is not installed and could not be installed" in output
    assert "Gunicorn serves alone" in output
    assert group_processes(proc.pid) == []
