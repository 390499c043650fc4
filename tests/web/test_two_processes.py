"""An admin edit reaches every worker on its next request: two Gunicorn servers, one database.

Each server is its own process with its own fastpron Annotator, as
Gunicorn's workers are.  The edit is made through server A's admin; server
B must show it on its very next request, without a restart, and must not
reload anything while nothing changes.
"""

import http.cookiejar
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PASSWORD = "two-process-test-pw"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client for one server."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path, data=None, headers=None):
        body = data if data is None or isinstance(data, bytes) else urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path,
                                                                             **(headers or {})})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def csrf(self, path):
        status, page = self.request(path)
        assert status == 200, page[:500]
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def annotate(self, text):
        status, body = self.request("/api/annotate", json.dumps({"text": text}).encode(),
                                    {"Content-Type": "application/json"})
        assert status == 200, body
        return " ".join(t["reading"] or t["surface"] for t in json.loads(body)["tokens"])


@pytest.fixture
def two_servers(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(SECRET_KEY="two-process-test", DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="webproject.settings",
               LOG_LEVEL="INFO", DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    python = sys.executable
    for args in (["manage.py", "migrate", "-v", "0"],
                 ["manage.py", "createsuperuser", "--noinput", "--username", "admin", "--email", "a@example.org"]):
        result = subprocess.run([python, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    servers, logs = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = open(tmp_path / f"{name}.log", "w+")
            logs.append(log)
            process = subprocess.Popen([python, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                                        "--access-logfile", "-", "webproject.wsgi:application"],
                                       cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            servers.append((process, Browser(f"http://127.0.0.1:{port}"), log))
        for process, browser, log in servers:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, pathlib.Path(log.name).read_text()
                try:
                    if browser.request("/api/")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield servers
    finally:
        for process, _, _ in servers:
            process.terminate()
        for process, _, _ in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def loads(log) -> int:
    return pathlib.Path(log.name).read_text().count("user dictionary loaded")


def test_an_admin_edit_reaches_the_other_process_on_its_next_request(two_servers):
    (process_a, a, _), (process_b, b, log_b) = two_servers
    assert process_a.pid != process_b.pid
    assert a.annotate("𠔜𠔜") == b.annotate("𠔜𠔜") == "𠔜 𠔜"

    # sign in to server A's admin and add an entry there
    token = a.csrf("/admin/login/")
    status, _ = a.request("/admin/login/?next=/admin/", {"csrfmiddlewaretoken": token, "username": "admin",
                                                          "password": PASSWORD, "next": "/admin/"})
    assert status == 200
    token = a.csrf("/admin/dictionary/userentry/add/")
    status, page = a.request("/admin/dictionary/userentry/add/", {"csrfmiddlewaretoken": token, "key": "𠔜𠔜",
                                                                  "readings": "tâ-tâ", "note": ""})
    assert status == 200 and "𠔜𠔜" in page

    # server B: the very next request has it, and only that request reloaded
    before = loads(log_b)
    assert b.annotate("𠔜𠔜") == "tâ-tâ"
    assert loads(log_b) == before + 1
    for _ in range(3):
        assert b.annotate("𠔜𠔜") == "tâ-tâ"
    assert loads(log_b) == before + 1          # nothing changed: no reload
    assert a.annotate("𠔜𠔜") == "tâ-tâ"

    # a removal through A reaches B too
    status, page = a.request("/admin/dictionary/userentry/")
    entry_id = re.search(r'/admin/dictionary/userentry/(\d+)/change/', page).group(1)
    token = a.csrf(f"/admin/dictionary/userentry/{entry_id}/delete/")
    status, _ = a.request(f"/admin/dictionary/userentry/{entry_id}/delete/",
                          {"csrfmiddlewaretoken": token, "post": "yes"})
    assert status == 200
    assert b.annotate("𠔜𠔜") == "𠔜 𠔜"
