"""Web: wrk through Nginx -> Gunicorn -> Django on loopback (group ``web``).

The benchmark starts its own stack with deploy/run.sh (what `make run` runs):
a private Nginx and Gunicorn with the deployed configurations
(deploy/nginx/, deploy/gunicorn.conf.py), settings, socket, logs and an
SQLite database under a temporary folder, on a free loopback port.  It stops
the stack at the end.  Each endpoint gets a short warm-up and then ROUNDS
bounded wrk runs (WRK_SECONDS each, 20 connections, loopback only):

* ``trivial view``: GET /api/ (a small constant JSON object through the whole
  middleware stack), the baseline;
* ``annotate API``: POST /api/annotate with a 1,000-character article
  (the first 1,000 characters of the corpus) as JSON ``{"text": ...}``;
* ``input flow``: GET the input form, POST it (the same article), follow the
  302 to the result page with the session cookie the POST set.

The trivial view and the API take turns, round by round, so that both see
the same load from the rest of a shared machine, which changed either's
throughput by a third from one run to the next.  As in the rest of the
suite, an endpoint's throughput is its best round, the one least disturbed.
report.py takes requests/s (best round; for the API against the trivial view
also the median of the rounds' ratios), p50/p99 latency (medians over the
rounds; the worst round's p99 is kept too) and errors over all rounds (socket
errors, time-outs and 4xx/5xx answers, plus redirects in the flow that lead
elsewhere).
"""

from __future__ import annotations

import html.parser
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import time
import typing
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import HERE, ROOT

WRK_SECONDS = int(os.environ.get("FASTPRON_BENCH_WRK_SECONDS", "2"))
ROUNDS = int(os.environ.get("FASTPRON_BENCH_WRK_ROUNDS", "5"))
WARMUP_SECONDS = 2
CONNECTIONS = 20
ARTICLE_CHARACTERS = 1000
LUA = HERE / "web" / "wrk.lua"
RUN_SCRIPT = ROOT / "deploy" / "run.sh"
INPUT_PATH = "/article_pronunciation/input/"


def _missing() -> str | None:
    """Why the web benchmark cannot run here, or None."""
    if not shutil.which("wrk"):
        return "wrk is not installed (Debian package wrk; `make bench` installs it when run as root)"
    for path in (RUN_SCRIPT, ROOT / "deploy" / "gunicorn.conf.py", ROOT / "webproject" / "api" / "views.py",
                 ROOT / "manage.py"):
        if not path.exists():
            return f"the web app or its deploy scripts are not ready: {path.relative_to(ROOT)} is missing"
    try:
        import django  # noqa: F401
        import gunicorn  # noqa: F401
    except ImportError as e:
        return f"the web packages are not installed ({e.name}); `make test` installs them"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """deploy/run.sh in its own session; stop() ends it and everything it started."""

    def __init__(self, var: "os.PathLike[str]"):
        self.var = var
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(var, "run.log")
        env = dict(os.environ, PORT=str(self.port), FASTPRON_VAR=str(var),
                   DATABASE_URL=f"sqlite:///{os.path.join(var, 'db.sqlite3')}")
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(["bash", str(RUN_SCRIPT)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def log_tail(self, lines: int = 30) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"deploy/run.sh exited with status {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/api/", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the stack did not answer on {self.base} in {timeout:.0f} s:\n{self.log_tail()}")

    @property
    def behind_nginx(self) -> bool:
        return "Nginx: " in self.log_tail(200)

    def stop(self) -> None:
        # run.sh stops Gunicorn (and means to stop Nginx) on TERM; whatever is
        # left of its session, its own process group, is ended after it: QUIT
        # is Nginx's graceful stop.
        pgid = self.process.pid
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            time.sleep(1)
            try:
                os.killpg(pgid, signal.SIGQUIT)     # bash ignores it; Nginx and Gunicorn stop
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        for sig, grace in ((signal.SIGQUIT, 5.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            end = time.monotonic() + grace
            while time.monotonic() < end:
                try:
                    os.killpg(pgid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def running_stack(tmp_path_factory, name: str):
    """A module's ``stack`` fixture, once it has checked what it needs: ``yield from running_stack(...)``.

    Starts a Stack under a temporary folder called `name`, yields it once it serves (the test
    fails if it does not start), and stops it at the end.  (test_browser_page.py uses it too.)
    """
    stack = Stack(tmp_path_factory.mktemp(name))
    try:
        try:
            stack.wait_ready()
        except RuntimeError as e:
            pytest.fail(f"{name} benchmark: the stack did not start: {e}")
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    missing = _missing()
    if missing:
        pytest.skip(f"web benchmark skipped: {missing}")
    yield from running_stack(tmp_path_factory, "web")


@pytest.fixture(scope="module")
def article(text) -> str:
    return text[:ARTICLE_CHARACTERS]


def wrk(stack: Stack, url_path: str, seconds: int, env: dict) -> dict:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s", "-s", str(LUA),
               stack.base + url_path]
    done = subprocess.run(command, env=dict(os.environ, **env), capture_output=True, text=True,
                          timeout=seconds + 60)
    line = next((line for line in done.stdout.splitlines() if line.startswith("FPWRK ")), None)
    if done.returncode or line is None:
        pytest.fail(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(line[len("FPWRK "):])


class Endpoint(typing.NamedTuple):
    label: str
    request: str            # what the report says was sent
    url_path: str
    env: dict               # wrk.lua's mode and body


def summary(endpoint: Endpoint, rounds: list[dict], stack: Stack) -> dict:
    """An endpoint's figures over its rounds: throughput of the best round,
    latency percentiles as medians over the rounds, errors of all rounds."""
    for result in rounds:
        result["seconds"] = result["duration_us"] / 1e6
        result["requests_per_second"] = result["requests"] / result["seconds"]
    best = max(rounds, key=lambda result: result["requests_per_second"])
    return dict(
        label=endpoint.label, request=endpoint.request, rounds=len(rounds),
        requests=sum(result["requests"] for result in rounds), seconds=best["seconds"],
        requests_per_second=best["requests_per_second"],
        requests_per_second_rounds=[round(result["requests_per_second"], 1) for result in rounds],
        errors=sum(sum(result["errors"].values()) + result["flow"]["broken"] for result in rounds),
        latency_ms={name: statistics.median(result["latency_us"][name] for result in rounds) / 1000
                    for name in rounds[0]["latency_us"]},
        p99_worst_ms=max(result["latency_us"]["p99"] for result in rounds) / 1000,
        response_bytes=best["bytes"] // max(best["requests"], 1),
        connections=CONNECTIONS, behind_nginx=stack.behind_nginx, wrk=rounds)


def measure(benchmark, stack: Stack, *endpoints: Endpoint) -> list[dict]:
    """Warm each endpoint up, then run ROUNDS rounds, each a wrk run of every
    endpoint in turn: endpoints compared with each other take their rounds
    side by side, under the same load from the rest of the machine."""
    for endpoint in endpoints:
        wrk(stack, endpoint.url_path, WARMUP_SECONDS, endpoint.env)
    rounds: list[list[dict]] = [[] for _ in endpoints]

    def one_round():
        for endpoint, results in zip(endpoints, rounds):
            results.append(wrk(stack, endpoint.url_path, WRK_SECONDS, endpoint.env))

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    return [summary(endpoint, results, stack) for endpoint, results in zip(endpoints, rounds)]


@pytest.mark.benchmark(group="web")
def test_web_annotate_api(benchmark, stack, article, tmp_path):
    """The annotate API and, round by round beside it, the trivial view (its baseline)."""
    body = tmp_path / "annotate.json"
    body.write_text(json.dumps({"text": article}, ensure_ascii=False), encoding="utf-8")
    with urllib.request.urlopen(urllib.request.Request(
            stack.base + "/api/annotate", data=body.read_bytes(),
            headers={"Content-Type": "application/json"}), timeout=10) as answer:
        tokens = json.load(answer)["tokens"]
    assert "".join(token["surface"] for token in tokens) == article
    trivial, api = measure(
        benchmark, stack,
        Endpoint("trivial view", "GET /api/", "/api/", {"FP_WRK_MODE": "get"}),
        Endpoint("annotate API", f"POST /api/annotate, {len(article):,} characters", "/api/annotate",
                 {"FP_WRK_MODE": "post", "FP_WRK_BODY": str(body), "FP_WRK_TYPE": "application/json"}))
    benchmark.extra_info.update(api, baseline=trivial)


class _FormFields(html.parser.HTMLParser):
    """The fields of the form that posts to INPUT_PATH, with their initial values."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = (a.get("action") or "").endswith(INPUT_PATH) and (a.get("method") or "").lower() == "post"
            return
        if not self._in_form:
            return
        if tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.fields:      # the selected option, else the first
                self.fields[self._select] = a.get("value") or ""
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self.fields[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None


@pytest.mark.benchmark(group="web")
def test_web_input_flow(benchmark, stack, article, tmp_path):
    with urllib.request.urlopen(stack.base + INPUT_PATH, timeout=10) as answer:
        page = answer.read().decode("utf-8")
        cookies = [v.split(";", 1)[0] for k, v in answer.headers.items() if k.lower() == "set-cookie"]
    parser = _FormFields()
    parser.feed(page)
    fields = dict(parser.fields, text=article)
    csrf_cookie = next((c for c in cookies if c.startswith("csrftoken=")), None)
    assert "csrfmiddlewaretoken" in fields and csrf_cookie, "the input page has no CSRF token or cookie"
    body = tmp_path / "form.txt"
    body.write_text(urllib.parse.urlencode(fields), encoding="utf-8")
    env = {"FP_WRK_MODE": "flow", "FP_WRK_BODY": str(body), "FP_WRK_PATH": INPUT_PATH, "FP_WRK_COOKIE": csrf_cookie}
    flow, = measure(benchmark, stack, Endpoint("input flow", "GET form → POST → 302 → GET result page",
                                               INPUT_PATH, env))
    best = max(flow["wrk"], key=lambda result: result["requests_per_second"])
    benchmark.extra_info.update(flow, flows_per_second=best["flow"]["results"] / best["seconds"])
    for result in flow["wrk"]:
        assert result["flow"]["posted"] > 0 and result["flow"]["results"] > 0, \
            f"the flow never reached a result page: {result['flow']}"
