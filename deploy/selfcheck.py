#!/usr/bin/env python3
"""The deployment self-check: is the stack that the settings describe serving?

Run by deploy/install.sh and deploy/update.sh as their last step, and by
`deploy/ctl.sh check`.  It reads the same environment (the settings file is
loaded by deploy/lib.sh) and prints one line per check: `ok` or `FAILED`.
Exit status 0 when every check passed.  All requests go to this machine.
"""

import gzip
import http.client
import os
import pathlib
import re
import socket
import stat
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY = sys.executable
RESULTS: list[bool] = []

# Warnings of `check --deploy` that are expected where the site is served over
# plain HTTP (HTTPS unset): HSTS, SSL redirect, secure session and CSRF cookies.
HTTP_ONLY_WARNINGS = {"security.W004", "security.W008", "security.W012", "security.W016"}


def report(ok: bool, what: str, detail: str = "") -> None:
    RESULTS.append(ok)
    print(f"{'ok     ' if ok else 'FAILED '} {what}{(': ' + detail) if detail else ''}", flush=True)


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PY, str(ROOT / "manage.py"), *args], cwd=ROOT, capture_output=True, text=True)


def check_django() -> None:
    https = os.environ.get("HTTPS", "").strip().lower() in {"1", "true", "yes", "on"}
    run = manage("check", "--deploy", "--fail-level", "WARNING" if https else "ERROR")
    found = set(re.findall(r"\((\w+\.[WE]\d+)\)", run.stdout + run.stderr))
    unexpected = found - (set() if https else HTTP_ONLY_WARNINGS)
    if run.returncode == 0 and not unexpected:
        note = "" if https else f"plain HTTP (HTTPS unset): {', '.join(sorted(found)) or 'no'} HTTPS warnings, as expected"
        report(True, "manage.py check --deploy" + (" --fail-level WARNING" if https else ""), note)
    else:
        report(False, "manage.py check --deploy", (run.stdout + run.stderr).strip()[-1500:])
    run = manage("migrate", "--check")
    report(run.returncode == 0, "database migrations applied", (run.stdout + run.stderr).strip()[-500:])


def check_socket() -> str:
    path = pathlib.Path(os.environ.get("FASTPRON_RUN_DIR", "/run/fastpron")) / "gunicorn.sock"
    try:
        mode = path.stat().st_mode
    except OSError as e:
        report(False, f"Gunicorn socket {path}", str(e))
        return str(path)
    report(stat.S_ISSOCK(mode), f"Gunicorn socket {path}", f"mode {stat.filemode(mode)}")
    return str(path)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float = 10):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def first_listen() -> tuple[str, int]:
    listen = os.environ.get("FASTPRON_LISTEN", "80").split()[0]
    m = re.fullmatch(r"(?:\[(?P<v6>[^\]]+)\]|(?P<v4>[\d.]+|localhost|\*)):(?P<port>\d+)|(?P<only>\d+)", listen)
    if not m:
        raise SystemExit(f"selfcheck.py: cannot read FASTPRON_LISTEN={listen!r}")
    if m["only"]:
        return "127.0.0.1", int(m["only"])
    host = m["v4"] or m["v6"]
    host = {"*": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return host, int(m["port"])


def request(connect, method: str, path: str, host: str, headers: dict | None = None):
    conn = connect()
    try:
        conn.request(method, path, headers={"Host": host, "Accept-Encoding": "gzip", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response, body
    finally:
        conn.close()


def check_http(socket_path: str) -> None:
    names = os.environ.get("FASTPRON_SERVER_NAME", "localhost").split()
    server_name = names[0] if names else "localhost"
    use_nginx = os.environ.get("FASTPRON_NGINX", "system") != "none"
    if use_nginx:
        address, port = first_listen()
        host = server_name if port == 80 else f"{server_name}:{port}"
        connect = lambda: http.client.HTTPConnection(address, port, timeout=10)  # noqa: E731
        via = f"Nginx at {address}:{port}"
    else:
        host = server_name
        connect = lambda: UnixHTTPConnection(socket_path)  # noqa: E731
        via = "the Gunicorn socket"

    try:
        response, body = request(connect, "GET", "/article_pronunciation/input/", host)
        ok = response.status == 200 and b"csrfmiddlewaretoken" in body
        report(ok, f"GET /article_pronunciation/input/ through {via}",
               f"{response.status}, {len(body)} bytes")
    except OSError as e:
        report(False, f"GET /article_pronunciation/input/ through {via}", repr(e))
        return

    static_root = pathlib.Path(os.environ.get("STATIC_ROOT", ROOT / "staticfiles"))
    sample = next((p for p in sorted(static_root.rglob("*.css")) if p.is_file()), None)
    if not use_nginx:
        pass                    # Gunicorn alone: static files are not Nginx's to check
    elif sample is None:
        report(False, f"static files in {static_root}", "no .css file: did collectstatic run?")
    else:
        url = "/static/" + sample.relative_to(static_root).as_posix()
        try:
            response, body = request(connect, "GET", url, host)
            cache = response.getheader("Cache-Control", "")
            report(response.status == 200 and "max-age" in cache, f"GET {url}", f"{response.status}, Cache-Control: {cache}")
        except OSError as e:
            report(False, f"GET {url}", repr(e))

    if use_nginx:
        try:
            response, _ = request(connect, "GET", "/", "unknown-host.invalid")
            report(response.status == 400, "unknown Host header refused", f"answered {response.status}")
        except (http.client.RemoteDisconnected, ConnectionResetError):
            report(True, "unknown Host header refused", "connection closed without an answer (444)")
        except OSError as e:
            report(False, "unknown Host header refused", repr(e))


def main() -> int:
    print(f"fastpron deployment self-check ({ROOT})", flush=True)
    check_django()
    path = check_socket()
    check_http(path)
    failed = RESULTS.count(False)
    print(f"self-check: {len(RESULTS) - failed} ok, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
