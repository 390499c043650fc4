"""The real stack (tests/deploy/deploy_stack.py) under wrk, and what the database holds afterwards.

Everything is on 127.0.0.1: the stack listens on a free loopback port, wrk
runs for a fixed number of seconds with a fixed number of connections, and
every helper has a time limit.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid

import pytest

from deploy_stack import Stack
from reliability_support import ROOT

LUA = ROOT / "tests" / "reliability" / "wrk_flow.lua"
MARKER = re.compile(r"wrk\d+r\d+n\d+z")      # wrk<run>r<thread>n<count>z: one run's markers are its own


def missing_tools() -> str | None:
    for tool, package in (("nginx", "nginx"), ("wrk", "wrk")):
        if not shutil.which(tool):
            return f"{tool} is not installed (apt-get install {package}; .ci/run installs it)"
    if not (ROOT / "webproject" / "wsgi.py").exists():
        return "the web app is not in this checkout"
    return None


def require_tools() -> None:
    """Skip where the tools are missing, except in CI, where .ci/run installs them: there it fails."""
    reason = missing_tools()
    if reason:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


def make_stack(base: pathlib.Path, workers: int, database_url: str | None = None) -> Stack:
    """A Stack with `workers` Gunicorn workers, on SQLite in `base` or on `database_url`."""
    stack = Stack(base, workers=workers)
    if database_url:
        stack.settings["DATABASE_URL"] = database_url
        stack.env_file.write_text("".join(f'{k}="{v}"\n' for k, v in stack.settings.items()))
    return stack


@contextlib.contextmanager
def running_stack(base: pathlib.Path, workers: int, database_url: str | None = None):
    """make_stack, started, and stopped when the block ends (the module fixtures' body)."""
    require_tools()
    stack = make_stack(base, workers, database_url)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


class WrkRun:
    """One bounded wrk run of wrk_flow.lua against the stack, in the background."""

    def __init__(self, stack: Stack, seconds: int, connections: int, out_dir: pathlib.Path):
        self.stack, self.seconds, self.out_dir = stack, seconds, out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        self.started = time.monotonic()
        # The tests of a module share one stack: each run's markers carry its own number, so that
        # a run's articles are never mistaken for an earlier run's with the same thread and count.
        self.run_id = str(time.time_ns() // 1000)
        self.proc = subprocess.Popen(
            ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
             "-s", str(LUA), f"http://{stack.host}/"],
            env={**os.environ, "FP_WRK_OUT": str(out_dir), "FP_WRK_HOST": stack.host,
                 "FP_WRK_RUN": self.run_id},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self) -> dict:
        try:
            out, err = self.proc.communicate(timeout=self.seconds + 120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("wrk did not stop in time") from None
        line = next((line for line in out.splitlines() if line.startswith("FPWRK ")), None)
        assert self.proc.returncode == 0 and line, f"wrk exited {self.proc.returncode}\n{out[-2000:]}\n{err[-2000:]}"
        result = json.loads(line[6:])
        result["socket_errors"] = result["connect"] + result["read"] + result["write"] + result["timeout"]
        return result

    def notes(self) -> dict[str, list[list[str]]]:
        """What the threads wrote: posted/verified/lost markers (posted ones with their session)."""
        found: dict[str, list[list[str]]] = {"posted": [], "verified": [], "lost": []}
        for path in self.out_dir.glob("*.txt"):
            for line in path.read_text().splitlines():
                kind, *rest = line.split()
                found[kind].append(rest)
        return found


def articles(stack: Stack) -> list[tuple[str, str]]:
    """(id, text) of every article in the stack's database; the id as in a permalink."""
    url = stack.settings["DATABASE_URL"]
    query = "SELECT id, text FROM article_pronunciation_article"
    if url.startswith("sqlite:///"):
        import sqlite3
        with sqlite3.connect(f"file:{url[len('sqlite:///'):]}?mode=ro", uri=True, timeout=30) as db:
            rows = list(db.execute(query))
    else:
        import psycopg
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=10) as db:
            rows = list(db.execute(query))
    return [(str(uuid.UUID(str(article_id))), text) for article_id, text in rows]


def article_texts(stack: Stack) -> list[str]:
    """The text of every article in the stack's database."""
    return [text for _, text in articles(stack)]


def error_log(stack: Stack) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted((stack.base / "log").glob("*error.log")))


def latest_page(stack: Stack, session: str) -> tuple[int, str]:
    r = stack.request("GET", "/article_pronunciation/pronunciation/", headers={"Cookie": f"sessionid={session}"})
    return r.status, r.text


def check_flows(stack: Stack, run: WrkRun, result: dict, figures: dict) -> None:
    """Every article that got a 302 is in the database, and each one's page showed its text.

    Those whose page wrk had not fetched when it stopped, or whose page request failed (a killed
    worker, Gunicorn down), are fetched now: the visitor's latest page, or, when the visitor has
    posted again since (the latest page shows the newer text), the article's own permalink."""
    notes = run.notes()
    posted = {marker: session for marker, session in notes["posted"]}
    verified = {m for (m,) in notes["verified"]}
    ids = {m: article_id for article_id, text in articles(stack) for m in MARKER.findall(text)}
    missing = sorted(set(posted) - set(ids))
    late = [m for m in posted if m not in verified and m not in {x for (x,) in notes["lost"]}]
    late_ok = by_permalink = 0
    for marker in late:
        status, page = latest_page(stack, posted[marker])
        if status == 200 and marker in page:
            late_ok += 1
        elif marker in ids:
            r = stack.request("GET", f"/article_pronunciation/pronunciation/{ids[marker]}/")
            by_permalink += r.status == 200 and marker in r.text
    figures.update(posted=len(posted), in_database=len(set(posted) & set(ids)), lost_articles=len(missing),
                   pages_showing_the_text=len(verified) + late_ok + by_permalink, checked_after_the_run=len(late),
                   of_them_by_permalink=by_permalink, pages_without_the_text=len(notes["lost"]))
    assert missing == [], f"{len(missing)} articles that got a 302 are not in the database: {missing[:10]}"
    assert result["posted"] == len(posted)


def kill_workers(stack: Stack, count: int, every: float, stop: threading.Event) -> list[int]:
    """SIGKILL one busy worker every `every` seconds, `count` times; wait for its replacement each time."""
    killed, master = [], stack.master_pid()
    workers = len(stack.worker_pids(master))
    for _ in range(count):
        if stop.wait(every):
            break
        victim = max(stack.worker_pids(master))
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
        stack.wait_workers(workers, master, timeout=30)
    assert stack.master_pid() == master
    return killed


def raw_get(stack: Stack, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": stack.host})
        return conn.getresponse().status
    finally:
        conn.close()
