"""Run the atheris targets: briefly in CI, long in `make soak`.

CI fuzzes the work tree's core with atheris' Python coverage (fastpron's
Python modules); the core itself is exercised, and any crash, hang (over
30 s for one input), out-of-memory or disagreement with the reference stops
the run with the input saved.  `make soak` builds the core with clang's
coverage instrumentation and AddressSanitizer into a temporary copy, so the
fuzzer also follows the C code's branches and an invalid access is caught
where it happens.  The corpus found is kept in test-artifacts/fuzz/<target>/
and used as the seed of the next run.
"""

from __future__ import annotations

import os
import platform
import random
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest

from reliability_support import ROOT, build_core_copy

HERE = ROOT / "tests" / "fuzz"
CORPUS = ROOT / "test-artifacts" / "fuzz"
TARGETS = {"core": ("fuzz_core.py", 1024), "lexicon": ("fuzz_lexicon.py", 512)}


def _atheris():
    if sys.platform != "linux" or platform.machine() != "x86_64":
        pytest.skip("atheris is installed (test extra) on Linux x86_64 only")
    try:
        import atheris  # noqa: F401
    except ImportError:
        pytest.fail("atheris is not installed: `make test` installs the test extra, which has it")


def _seeds(folder, target: str) -> int:
    """A few seeds, so that the first inputs already reach words and pieces; plus the kept corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(target)
    for k in range(16):
        size = 8 + 16 * k
        (folder / f"seed-{k}").write_bytes(bytes([k * 16 % 256, 2 * k % 256]) + rng.randbytes(size))
    kept = CORPUS / target
    if kept.is_dir():
        for path in kept.iterdir():
            shutil.copy2(path, folder / path.name)
    return len(list(folder.iterdir()))


def _fuzz(target: str, seconds: int, tmp_path, figures, env: dict | None = None) -> dict:
    _atheris()
    script, max_len = TARGETS[target]
    corpus, artifacts = tmp_path / "corpus", tmp_path / "artifacts"
    artifacts.mkdir()
    seeds = _seeds(corpus, target)
    run_env = {**os.environ, "PYTHONSAFEPATH": "1", **(env or {})}
    run = subprocess.run([sys.executable, str(HERE / script), f"-max_total_time={seconds}", "-print_final_stats=1",
                          "-timeout=30", "-rss_limit_mb=4096", f"-max_len={max_len}", f"-artifact_prefix={artifacts}/",
                          str(corpus)], capture_output=True, text=True, timeout=seconds + 600, env=run_env, cwd=tmp_path)
    stats = dict(re.findall(r"stat::(\w+):\s+(\d+)", run.stderr))
    coverage = re.findall(r"\bcov: (\d+)", run.stderr)
    # libFuzzer saves an input that took over 10 s (-report_slow_units) as slow-unit-*: a report, not a
    # finding; the run goes on.  A hang is an input over -timeout=30: it stops the run with a timeout-* file.
    # (Slow units come from render tables built anew for an option set, in atheris-instrumented Python,
    # under ASan in soak, on a loaded machine; the input itself then takes milliseconds.)
    slow = [p.name for p in artifacts.iterdir() if p.name.startswith("slow-unit-")]
    findings = sorted(p.name for p in artifacts.iterdir() if not p.name.startswith("slow-unit-"))
    figures.update(target=target, seconds_asked=seconds, seeds=seeds, inputs=int(stats.get("number_of_executed_units", 0)),
                   executions_per_second=int(stats.get("average_exec_per_sec", 0)),
                   coverage=int(coverage[-1]) if coverage else 0, corpus=len(list(corpus.iterdir())),
                   peak_rss_mb=int(stats.get("peak_rss_mb", 0)), findings=findings, slow_units=len(slow),
                   slowest_unit_seconds=max(map(int, re.findall(r"Slowest unit: (\d+) s", run.stderr)), default=0),
                   native_coverage="inline 8-bit counters" in run.stderr)
    assert run.returncode == 0 and not findings, f"exit {run.returncode}, {findings}\n{run.stderr[-6000:]}"
    assert figures["inputs"] > 0, run.stderr[-3000:]
    CORPUS.mkdir(parents=True, exist_ok=True)          # keep what was found for the next run
    shutil.rmtree(CORPUS / target, ignore_errors=True)
    shutil.copytree(corpus, CORPUS / target)
    return figures


def test_fuzz_the_core_against_the_reference(tmp_path, figures):
    _fuzz("core", 25, tmp_path, figures)


def test_fuzz_the_lexicon_loader(tmp_path, figures):
    _fuzz("lexicon", 25, tmp_path, figures)


def _native_build(tmp_path_factory) -> dict:
    """The core with clang's coverage and ASan, and the environment to fuzz it; {} without clang."""
    if not shutil.which("clang"):
        return {}
    flags = "-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer"
    # The flags go in CC, not CFLAGS, which distutils would add to the link: the sanitizer
    # runtime is not linked in, it comes with atheris' asan_with_fuzzer.so, preloaded.
    site = build_core_copy(tmp_path_factory.mktemp("clang"), {"CC": f"clang {flags}", "LDSHARED": "clang -shared"})
    runtime = os.path.join(sysconfig.get_paths()["purelib"], "asan_with_fuzzer.so")
    assert os.path.exists(runtime), runtime
    return {"PYTHONPATH": str(site), "LD_PRELOAD": runtime, "ASAN_OPTIONS": "detect_leaks=0",
            "FASTPRON_FUZZ_NO_MEMORY_LIMIT": "1"}


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    _atheris()
    return _native_build(tmp_path_factory)


@pytest.mark.soak
def test_fuzz_the_core_against_the_reference_soak(tmp_path, figures, native):
    _fuzz("core", 900, tmp_path, figures, native)
    assert figures["native_coverage"] == bool(native)


@pytest.mark.soak
def test_fuzz_the_lexicon_loader_soak(tmp_path, figures, native):
    _fuzz("lexicon", 600, tmp_path, figures, native)
    assert figures["native_coverage"] == bool(native)
