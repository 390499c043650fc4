"""The result page in a real browser (group ``browser``): headless Debian Chromium.

The benchmark starts its own stack with deploy/run.sh, as test_web.py does
(Nginx -> Gunicorn -> Django, settings and SQLite database under a temporary
folder), and drives Debian's chromium through chromium-driver.  For articles
of 1,000, 10,000 and 100,000 characters (the benchmark text's first
characters, cut at a paragraph end), it submits the article once through the
input form, then loads its permalink ROUNDS times, each time reading the
browser's own timings of that load:

* ``first paint``: the first contentful paint, from the start of the navigation;
* ``load``: the load event's end, from the start of the navigation.

report.py shows the medians, and checks that a 100,000-character page costs
no more than 100 times a 1,000-character one (both figures).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time

import pytest

from test_web import Stack, _missing, running_stack

ROUNDS = int(os.environ.get("FASTPRON_BENCH_BROWSER_ROUNDS", "5"))
SIZES = (1_000, 10_000, 100_000)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

TIMINGS = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return {load: nav.loadEventEnd, paint: paint ? paint.startTime : null,
        response: nav.responseEnd, rubies: document.querySelectorAll('#fp-article ruby').length};
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    missing = _missing()
    if missing and "wrk" not in missing:
        pytest.skip(f"browser benchmark skipped: {missing}")
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("browser benchmark skipped: needs Debian's chromium and chromium-driver")
    yield from running_stack(tmp_path_factory, "browser")


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("browser benchmark skipped: selenium is not installed (`make test` installs it)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="fastpron-bench-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-TW,zh"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(300)
    driver.set_script_timeout(300)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def article_of(text: str, size: int) -> str:
    """The text's first `size` characters or a little fewer, ending at a line end (repeated if it is short)."""
    while len(text) < size:
        text += "\n" + text
    cut = text.rfind("\n", 0, size)
    return text[:cut if cut > size // 2 else size]


def submit(driver, stack: Stack, text: str) -> str:
    """Post the article through the form; the permalink the browser lands on."""
    driver.get(stack.base + "/article_pronunciation/input/")
    driver.execute_script("const t = document.querySelector('textarea[name=text]'); t.value = arguments[0];"
                          "t.dispatchEvent(new Event('input'));", text)
    from selenium.webdriver.support.ui import WebDriverWait
    driver.execute_script("document.querySelector('.input-form').requestSubmit()")
    WebDriverWait(driver, 300).until(lambda d: "/pronunciation/" in d.current_url
                                     and d.execute_script("return document.readyState") == "complete")
    return driver.current_url


@pytest.mark.parametrize("size", SIZES)
def test_result_page(benchmark, stack, browser, text, size):
    article = article_of(text, size)
    permalink = submit(browser, stack, article)
    figures = []

    def load():
        browser.get(permalink)
        timings = browser.execute_script(TIMINGS)
        for _ in range(100):            # a small page can be loaded before its first paint is recorded
            if timings["paint"] is not None:
                break
            time.sleep(0.01)
            timings = browser.execute_script(TIMINGS)
        figures.append(timings)

    benchmark.group = "browser"
    benchmark.pedantic(load, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    measured = figures[1:]                  # the warm-up round's figures are left out
    assert all(f["rubies"] > 0 for f in measured)
    paints = [f["paint"] for f in measured if f["paint"] is not None]
    benchmark.extra_info.update(
        label=f"result page, {size:,} characters", characters=len(article),
        first_paint_ms=statistics.median(paints) if paints else None,
        load_ms=statistics.median(f["load"] for f in measured),
        response_ms=statistics.median(f["response"] for f in measured),
        rubies=measured[0]["rubies"], rounds=len(measured), behind_nginx=stack.behind_nginx)
