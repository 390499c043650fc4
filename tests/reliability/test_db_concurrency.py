"""Concurrent writes from every Gunicorn worker, through Nginx, on the stack's database.

SQLite by default (WAL, busy timeout and IMMEDIATE transactions: see
webproject/settings.py); PostgreSQL when DATABASE_URL points at one, as in
CI's second pass (.ci/run: deploy/ci-postgres.sh runs this file too).

For a fixed time, on 127.0.0.1: 24 visitors post new articles (an insert
each, and a session row), 8 post reading picks to one and the same article
in its owner's session (updates of one row), and a loop imports the user dictionary with
`manage.py import_user_dictionary` from another process (a transaction that
writes entries and the dictionary's revision, which every worker then reads
and reloads).  Every request must succeed, every write must be there
afterwards, and no worker may log "database is locked" or any error.
"""

from __future__ import annotations

import http.client
import http.cookies
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from reliability_support import ROOT
from stack_support import article_texts, error_log, running_stack

WORKERS = 4
POSTERS, PICKERS = 24, 8


def _database_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("db"), WORKERS, _database_url()) as s:
        yield s


class Visitor:
    """One browser: its own cookies and connection, on loopback, every request with a time limit."""

    def __init__(self, stack):
        self.stack, self.cookies = stack, http.cookies.SimpleCookie()

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.stack.port, timeout=60)
        headers = {"Host": self.stack.host, "Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        body = None
        if fields is not None:
            fields = {"csrfmiddlewaretoken": self.token, **fields}
            body = urllib.parse.urlencode(fields).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": f"http://{self.stack.host}"})
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            text = r.read().decode("utf-8", "replace")
            for value in r.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            if "csrfmiddlewaretoken" in text:
                self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
            return r.status, dict(r.headers), text
        finally:
            conn.close()


def _import_loop(stack, tsv, stop: threading.Event, outcomes: list):
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}, **stack.settings,
           "DJANGO_SETTINGS_MODULE": "webproject.settings"}
    k = 0
    while not stop.is_set():
        k += 1
        tsv.write_text(f"hanji\treading\tnote\n𠔜𠔜\ttâ-tâ\timport {k}\n𠔜\ttâ\t\n", encoding="utf-8")
        run = subprocess.run([sys.executable, "manage.py", "import_user_dictionary", str(tsv)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        outcomes.append((run.returncode, run.stderr[-500:]))


def _concurrent_writes(stack, tmp_path, figures, seconds: float):
    # One figures file per database: .ci/run and `make soak` run this file on SQLite, then on
    # PostgreSQL, and the second run would otherwise write over the first one's figures.
    database = "postgresql" if _database_url() else "sqlite"
    base, dot, rest = figures.name.partition(".")
    figures.name = figures["check"] = f"{base}_on_{database}{dot}{rest}"
    setup = Visitor(stack)
    setup.request("GET", "/article_pronunciation/input/")
    status, headers, _ = setup.request("POST", "/article_pronunciation/input/",
                                       {"text": "行。行。行。", "system": "tl", "tones": "marks", "sandhi": "none",
                                        "dialect": "usual"})
    assert status == 302
    _, _, page = setup.request("GET", "/article_pronunciation/pronunciation/")
    shared = re.search(r"/article_pronunciation/pronunciation/([0-9a-f-]{36})/", page).group(1)
    readings = f"/article_pronunciation/pronunciation/{shared}/readings/"

    stop, lock = threading.Event(), threading.Lock()
    tally = {"articles": 0, "picks": 0, "failures": []}
    posted: list[str] = []

    def poster(n: int):
        visitor = Visitor(stack)
        visitor.request("GET", "/article_pronunciation/input/")
        k = 0
        while not stop.is_set():
            k += 1
            text = f"台灣db{n}x{k}y"
            status, headers, _ = visitor.request("POST", "/article_pronunciation/input/", {
                "text": text, "system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"})
            with lock:
                if status == 302:
                    tally["articles"] += 1
                    posted.append(text)
                else:
                    tally["failures"].append(f"article {status}")

    def picker(n: int):
        visitor = Visitor(stack)
        for name, morsel in setup.cookies.items():     # the owner's session: picks change the article itself
            visitor.cookies[name] = morsel.value
        visitor.request("GET", readings)
        k = 0
        while not stop.is_set():
            k += 1
            status, _, _ = visitor.request("POST", readings, {"pick-0": str(k % 3), "pick-2": str((k + n) % 3)})
            with lock:
                if status == 302:
                    tally["picks"] += 1
                else:
                    tally["failures"].append(f"pick {status}")

    imports: list = []
    threads = [threading.Thread(target=poster, args=(n,)) for n in range(POSTERS)]
    threads += [threading.Thread(target=picker, args=(n,)) for n in range(PICKERS)]
    threads.append(threading.Thread(target=_import_loop, args=(stack, tmp_path / "words.tsv", stop, imports)))
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=180)
    assert not any(t.is_alive() for t in threads)

    texts = article_texts(stack)
    missing = sorted(set(posted) - set(texts))
    figures.update(database=database, workers=WORKERS, writers=POSTERS + PICKERS + 1, seconds_of_writes=seconds,
                   articles_posted=tally["articles"], pick_updates=tally["picks"], dictionary_imports=len(imports),
                   failed_requests=len(tally["failures"]), failed_imports=sum(1 for rc, _ in imports if rc),
                   articles_missing=len(missing))
    assert tally["failures"] == [], tally["failures"][:20]
    assert [err for rc, err in imports if rc] == []
    assert tally["articles"] > 0 and tally["picks"] > 0 and len(imports) > 0
    assert missing == []
    log = error_log(stack)
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]
    # the last import is what every worker shows now
    visitor = Visitor(stack)
    visitor.request("GET", "/article_pronunciation/input/")
    for _ in range(2 * WORKERS):
        status, _, body = visitor.request("GET", "/dictionary/?q=%F0%A0%94%9C%F0%A0%94%9C")
        assert status == 200 and "tâ-tâ" in body


def test_concurrent_writes_from_every_worker(stack, tmp_path, figures):
    _concurrent_writes(stack, tmp_path, figures, 10)


@pytest.mark.soak
def test_concurrent_writes_from_every_worker_soak(stack, tmp_path, figures):
    _concurrent_writes(stack, tmp_path, figures, 60)
