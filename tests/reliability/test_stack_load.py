"""Load and faults on the real stack: Nginx -> Unix socket -> Gunicorn (4 workers) -> Django on SQLite.

All traffic is on 127.0.0.1, from wrk (tests/reliability/wrk_flow.lua: the
form flow and the JSON API, each connection a visitor with its own texts)
and a few direct requests; every run has a fixed length and connection count.

* load: 64 connections for 10 s (CI) or 60 s (soak): no 5xx, no socket
  error, no lost article, every 302 leads to a page with the text posted.
* a worker killed with SIGKILL every few seconds under load: the master
  replaces each one; at most one request fails per killed worker (the one
  it was serving: a sync worker serves one at a time), and no article that
  got a 302 is lost.
* Gunicorn stopped under load and started again: meanwhile Nginx answers
  our own 502 page (never another error, never a reset), then the flow
  resumes.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
import urllib.parse

import pytest

from stack_support import WrkRun, check_flows, error_log, kill_workers, raw_get, running_stack

WORKERS = 4
CONNECTIONS = 64
# The policy of the pages Nginx answers itself (deploy/nginx/fastpron.conf): no script, no framing
NGINX_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("load"), WORKERS) as s:
        yield s


def _clean_log(stack) -> None:
    log = error_log(stack)
    assert "database is locked" not in log
    assert "Traceback" not in log and "Internal Server Error" not in log, log[-3000:]


def _load(stack, tmp_path, figures, seconds: int):
    run = WrkRun(stack, seconds, CONNECTIONS, tmp_path / "wrk")
    result = run.result()
    figures.update(seconds_of_load=seconds, connections=CONNECTIONS, workers=WORKERS,
                   **{k: result[k] for k in ("requests", "s2", "s3", "s4", "s5", "socket_errors", "forms", "posted",
                                             "verified", "api_ok", "api_bad", "unexpected", "p50_us", "p99_us")})
    assert result["s5"] == 0 and result["socket_errors"] == 0 and result["non_2xx_3xx"] == 0, result
    assert result["s4"] == 0 and result["unexpected"] == 0 and result["api_bad"] == 0 and result["lost"] == 0, result
    assert result["posted"] > 0 and result["api_ok"] > 0, result
    check_flows(stack, run, result, figures)
    assert figures["pages_showing_the_text"] == figures["posted"], figures
    _clean_log(stack)


def test_form_flow_and_api_under_64_connections(stack, tmp_path, figures):
    _load(stack, tmp_path, figures, 10)


@pytest.mark.soak
def test_form_flow_and_api_under_64_connections_for_60_s_soak(stack, tmp_path, figures):
    _load(stack, tmp_path, figures, 60)


def _kills(stack, tmp_path, figures, seconds: int, kills: int):
    stop = threading.Event()
    run = WrkRun(stack, seconds, CONNECTIONS, tmp_path / "wrk")
    try:
        killed = kill_workers(stack, kills, every=(seconds - 4) / kills, stop=stop)
    finally:
        result = run.result()
    failed = result["s5"] + result["socket_errors"]
    figures.update(seconds_of_load=seconds, workers=WORKERS, workers_killed=len(killed), requests=result["requests"],
                   failed_requests=failed, bound=len(killed), s5=result["s5"], our_502_page=result["s5_custom"],
                   socket_errors=result["socket_errors"], posted=result["posted"])
    assert len(killed) == kills
    assert failed <= len(killed), f"{failed} requests failed for {len(killed)} workers killed: {result}"
    assert result["s5"] == result["s5_custom"], result          # every 5xx was Nginx's 502 page of ours
    assert result["s4"] == 0 and result["api_bad"] <= len(killed), result
    assert len(stack.worker_pids()) == WORKERS and not set(killed) & stack.worker_pids()
    check_flows(stack, run, result, figures)
    assert figures["pages_showing_the_text"] == figures["posted"], figures
    assert "database is locked" not in error_log(stack)


def test_killed_workers_under_load_are_replaced(stack, tmp_path, figures):
    _kills(stack, tmp_path, figures, 16, 3)


@pytest.mark.soak
def test_killed_workers_under_load_are_replaced_soak(stack, tmp_path, figures):
    _kills(stack, tmp_path, figures, 60, 12)


def test_gunicorn_stopped_and_started_under_load(stack, tmp_path, figures):
    """TERM to the master (graceful: requests in progress finish), 3 s down, deploy/ctl.sh start."""
    run = WrkRun(stack, 20, CONNECTIONS, tmp_path / "wrk")
    time.sleep(5)
    master = stack.master_pid()
    os.kill(master, signal.SIGTERM)
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        try:
            os.kill(master, 0)
            time.sleep(0.1)
        except ProcessLookupError:
            break
    stopped = time.monotonic()
    down = stack.request("GET", "/article_pronunciation/input/")
    verified_before = sum(1 for _ in (tmp_path / "wrk").glob("*.txt") for line in _.read_text().splitlines()
                          if line.startswith("verified"))
    time.sleep(3)
    stack.ctl("start")
    restarted = time.monotonic()
    result = run.result()
    verified_after = len(run.notes()["verified"])
    figures.update(requests=result["requests"], s5=result["s5"], our_502_page=result["s5_custom"],
                   socket_errors=result["socket_errors"], seconds_down=round(restarted - stopped, 1),
                   pages_verified_before_the_stop=verified_before, pages_verified_after_the_restart=verified_after
                   - verified_before, posted=result["posted"])
    assert down.status == 502 and "台語讀音標註服務暫時無法回應" in down.text
    assert down.header("Content-Security-Policy") == NGINX_POLICY
    assert result["s5_custom"] > 0 and result["s5"] == result["s5_custom"], result   # only our own 502 page
    assert result["socket_errors"] == 0 and result["s4"] == 0, result                   # Nginx always answered
    assert verified_after > verified_before, "the flow did not resume after the restart"
    assert stack.master_pid() != master and len(stack.wait_workers(WORKERS)) == WORKERS
    check_flows(stack, run, result, figures)
    assert figures["pages_showing_the_text"] == figures["posted"], figures
    assert raw_get(stack, "/article_pronunciation/input/") == 200


def test_text_over_the_limit_comes_back_through_the_stack(stack, figures):
    """100,001 characters (900 KB as a form) pass Nginx and come back in the form with a 400."""
    form = stack.request("GET", "/article_pronunciation/input/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", form.header("Set-Cookie")).group(1)
    text = ("台灣<b>" * 20_001)[:100_001]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "text": text, "system": "tl", "tones": "marks",
                                   "sandhi": "none", "dialect": "usual"}).encode()
    r = stack.request("POST", "/article_pronunciation/input/", body=body, timeout=120, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}",
        "Origin": f"http://{stack.host}"})
    figures.update(characters=len(text), body_bytes=len(body), status=r.status)
    assert r.status == 400
    assert ">\n" + text.replace("<", "&lt;").replace(">", "&gt;") + "</textarea>" in r.text
    assert "100,001" in r.text


def test_nginx_error_pages_forbid_scripts_too(stack):
    """Nginx's own pages (413 here; 502 in the test above) carry a CSP without inline script,
    like every page of Django's: they have an inline style sheet and no script."""
    conn = stack.connection()
    try:
        conn.putrequest("POST", "/article_pronunciation/input/", skip_host=True)
        conn.putheader("Host", stack.host)
        conn.putheader("Content-Length", str(64 * 1024 * 1024))
        conn.endheaders()
        r = conn.getresponse()
        body = r.read().decode()
    finally:
        conn.close()
    assert r.status == 413 and "<script" not in body
    policy = r.headers.get("Content-Security-Policy", "")
    assert policy == NGINX_POLICY, policy
