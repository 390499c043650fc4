"""A real Nginx + Gunicorn + Django stack on loopback, for the deploy tests.

Everything lives in a temporary folder: settings file, socket, pidfiles,
logs, SQLite database, static files and the Nginx prefix.  The stack is
started and stopped with the same deploy/ctl.sh an operator uses.  Every
request goes to 127.0.0.1, every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import http.cookies
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TEXT = "台灣是一个美麗的島嶼。"
READING = "<ruby>台<rp>(</rp><rt>Tâi</rt><rp>)</rp></ruby><ruby>灣<rp>(</rp><rt>uân</rt>"   # the result page for TEXT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environ() -> dict[str, str]:
    """The inherited environment without settings that would steer the stack elsewhere."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FASTPRON_", "GUNICORN_", "DJANGO_")) and k not in
           {"DATABASE_URL", "STATIC_ROOT", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "HTTPS", "PORT"}}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name, default)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Stack:
    def __init__(self, base: pathlib.Path, workers: int = 2):
        self.base = base
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.run_dir = base / "run"
        self.static_root = base / "www" / "static"
        self.env_file = base / "fastpron.env"
        user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
        group = subprocess.run(["id", "-gn"], capture_output=True, text=True).stdout.strip()
        settings = {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"sqlite:///{base}/db.sqlite3",
            "STATIC_ROOT": str(self.static_root),
            "FASTPRON_USER": user,
            "FASTPRON_GROUP": group,
            "FASTPRON_RUN_DIR": str(self.run_dir),
            "FASTPRON_LOG_DIR": str(base / "log"),
            "FASTPRON_DATA_DIR": str(base),
            "FASTPRON_WWW_DIR": str(base / "www"),
            "FASTPRON_NGINX": "private",
            "FASTPRON_NGINX_PREFIX": str(base / "nginx"),
            "FASTPRON_LISTEN": self.host,
            "FASTPRON_SERVER_NAME": "127.0.0.1 localhost",
            "FASTPRON_SYSTEMD": "no",
            "GUNICORN_WORKERS": str(workers),
        }
        self.settings = settings
        self.env_file.write_text("".join(f'{k}="{v}"\n' for k, v in settings.items()))
        self.env = dict(clean_environ(), FASTPRON_ENV_FILE=str(self.env_file))

    # -- control ------------------------------------------------------------------
    def script(self, name: str, *args: str, timeout: float = 300, env: dict | None = None,
               check: bool = True) -> subprocess.CompletedProcess:
        run = subprocess.run(["bash", str(DEPLOY / name), *args], cwd=ROOT, env=dict(self.env, **(env or {})),
                             capture_output=True, text=True, timeout=timeout)
        if check and run.returncode != 0:
            raise AssertionError(f"deploy/{name} {' '.join(args)} exited {run.returncode}\n"
                                 f"--- stdout\n{run.stdout[-4000:]}\n--- stderr\n{run.stderr[-4000:]}\n{self.logs()}")
        return run

    def ctl(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return self.script("ctl.sh", *args, **kwargs)

    def start(self) -> None:
        self.ctl("prepare")
        self.ctl("start")

    def stop(self) -> None:
        self.ctl("stop", check=False, timeout=120)

    def logs(self) -> str:
        out = []
        for path in sorted((self.base / "log").glob("*error.log")):
            out.append(f"--- {path.name} (last lines)\n" + "\n".join(path.read_text(errors="replace").splitlines()[-30:]))
        return "\n".join(out)

    def master_pid(self) -> int:
        return int((self.run_dir / "gunicorn.pid").read_text().strip())

    def worker_pids(self, master: int | None = None) -> set[int]:
        master = master or self.master_pid()
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
        return {int(p) for p in out.split()}

    def wait_workers(self, count: int, master: int | None = None, timeout: float = 30) -> set[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids(master)
            if len(pids) == count:
                return pids
            time.sleep(0.1)
        raise AssertionError(f"expected {count} workers, have {self.worker_pids(master)}")

    # -- requests -------------------------------------------------------------------
    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                host: str | None = None, timeout: float = 30) -> Response:
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=body, headers={"Host": host or self.host, **(headers or {})})
            r = conn.getresponse()
            return Response(r.status, r.headers, r.read())
        finally:
            conn.close()

    def post_form(self, fields: dict, origin: bool = True) -> tuple[Response, Response, str]:
        """GET the form, then POST `fields` with its CSRF token: the form, the answer, the cookies."""
        form = self.request("GET", "/article_pronunciation/input/")
        cookies = http.cookies.SimpleCookie()
        for value in form.headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert form.status == 200 and token and "csrftoken" in cookies, (form.status, form.text[:500])
        cookie = "; ".join(f"{k}={m.value}" for k, m in cookies.items())
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                   "Referer": f"http://{self.host}/article_pronunciation/input/"}
        if origin:
            headers["Origin"] = f"http://{self.host}"
        post = self.request("POST", "/article_pronunciation/input/", timeout=60,
                            body=urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode(),
                            headers=headers)
        for value in post.headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        return form, post, "; ".join(f"{k}={m.value}" for k, m in cookies.items())

    def submit_article(self, text: str = TEXT, origin: bool = True) -> tuple[Response, Response, Response]:
        """The browser's flow: GET the form, POST it with the CSRF token, follow the 302."""
        form, post, cookie = self.post_form({"text": text, "system": "tl", "tones": "marks", "sandhi": "none",
                                             "dialect": "usual"}, origin)
        location = post.header("Location")
        result = self.request("GET", location or "/article_pronunciation/pronunciation/", headers={"Cookie": cookie})
        return form, post, result


class Load:
    """Bounded load in background threads: each request on a new connection.

    Threads stop at `stop()`, after `max_seconds`, or after `max_requests`
    in all.  Every answer must have its expected status; anything else
    (another status, a reset, a timeout) is a failure, kept with its reason.
    """

    def __init__(self, stack: Stack, threads: int = 4, max_seconds: float = 120, max_requests: int = 50_000,
                 static_path: str | None = None, with_posts: bool = True):
        self.stack, self.max_seconds, self.max_requests = stack, max_seconds, max_requests
        self.static_path = static_path
        self.with_posts = with_posts
        self.sent = 0
        self.failures: list[str] = []
        self.statuses: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def __enter__(self) -> "Load":
        self.started = time.monotonic()
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)
        self.seconds = time.monotonic() - self.started

    def _record(self, kind: str, ok: bool, reason: str = "") -> None:
        with self._lock:
            self.sent += 1
            self.statuses[kind] = self.statuses.get(kind, 0) + 1
            if not ok:
                self.failures.append(f"{kind}: {reason}")

    def _more(self) -> bool:
        return (not self._stop.is_set() and self.sent < self.max_requests
                and time.monotonic() - self.started < self.max_seconds)

    def _one(self, kind: str, call, expect: int) -> None:
        try:
            status = call()
            self._record(kind, status == expect, f"status {status}")
        except Exception as e:          # noqa: BLE001 — every failure counts, whatever it is
            self._record(kind, False, repr(e))

    def _run(self, number: int) -> None:
        s = self.stack
        while self._more():
            self._one("GET form", lambda: s.request("GET", "/article_pronunciation/input/").status, 200)
            if self.static_path and self._more():
                self._one("GET static", lambda: s.request("GET", self.static_path).status, 200)
            if self.with_posts and number == 0 and self._more():
                def flow():
                    form, post, result = s.submit_article()
                    return 200 if post.status == 302 and result.status == 200 and READING in result.text \
                        else f"{post.status}/{result.status}"
                self._one("POST flow", flow, 200)

    def summary(self) -> str:
        return (f"{self.sent} requests in {self.seconds:.1f} s, {len(self.failures)} failed "
                f"({', '.join(f'{k}: {v}' for k, v in sorted(self.statuses.items()))})")


def nginx_missing() -> str | None:
    return None if shutil.which("nginx") else "nginx is not installed (apt-get install nginx; .ci/run installs it)"
