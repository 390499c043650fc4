"""Fixtures of the benchmark suite (run by `make bench`, never by `make test`).

Every benchmark records in ``benchmark.extra_info`` what benchmarks/report.py
needs besides the timings: ``bytes`` (UTF-8 input bytes per call, for
throughput) or the figures measured in a child process or by wrk.
"""

from __future__ import annotations

import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

import corpus  # noqa: E402


def _input(fn):
    try:
        return fn()
    except corpus.GoldMissing as e:
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def text() -> str:
    return _input(corpus.text)


@pytest.fixture(scope="session")
def large() -> str:
    return _input(corpus.large)


@pytest.fixture(scope="session")
def text_slice() -> str:
    return _input(corpus.slice_)


@pytest.fixture(scope="session")
def fastpron():
    import fastpron
    fastpron.romanize("台灣")               # load the lexicon outside the timings
    return fastpron


@pytest.fixture(scope="session")
def opencc():
    return pytest.importorskip("opencc", reason="OpenCC is not installed (pip install -e '.[bench]')")


@pytest.fixture(scope="session")
def taibun_converter():
    taibun = pytest.importorskip("taibun", reason="taibun is not installed (pip install -e '.[bench]')")
    return taibun.Converter()


@pytest.fixture
def throughput(benchmark):
    """``throughput(fn, text, label, rounds=None)``: benchmark ``fn(text)`` and record the input's UTF-8 size.

    Without ``rounds`` pytest-benchmark calibrates the count; slow cases fix it.
    """
    def run(fn, text: str, label: str, *, rounds: int | None = None):
        benchmark.extra_info["label"] = label
        benchmark.extra_info["bytes"] = corpus.nbytes(text)
        if rounds is None:
            fn(text)                        # warm up: per-system tables, caches, allocator
            return benchmark(fn, text)
        return benchmark.pedantic(fn, args=(text,), rounds=rounds, iterations=1, warmup_rounds=1)
    return run


def pytest_benchmark_update_json(config, benchmarks, output_json):
    """Record the versions compared, for report.py's header."""
    from importlib import metadata
    versions = {}
    for name, dist in (("fastpron", "fastpron"), ("OpenCC", "opencc"), ("taibun", "taibun")):
        try:
            versions[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            if name == "fastpron":
                import fastpron
                versions[name] = fastpron.__version__
    output_json["versions"] = versions
    output_json["skipped"] = dict(_skipped)


_skipped: dict[str, str] = {}


def pytest_runtest_logreport(report):
    """Remember why a benchmark was skipped, for report.py."""
    if report.skipped and isinstance(report.longrepr, tuple):
        _skipped[report.nodeid] = str(report.longrepr[2]).removeprefix("Skipped: ")
