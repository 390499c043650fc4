"""The core built with AddressSanitizer (CI) and run under valgrind (make soak), on the test corpus.

The core is built into a temporary copy of the package (setup.py's
FASTPRON_DEBUG_BUILD=1: -O1 -g), so the work tree's .so is untouched.  A
Python extension built with ASan needs libasan preloaded, leak checking off
(CPython's own allocations at exit are not leaks of ours), and
PYTHONMALLOC=malloc so that every Python object is a malloc'd block with
red zones around it.  valgrind works on CPython with PYTHONMALLOC=malloc.

A positive control shows ASan is awake: the copy's core calls ASan's report
hooks, and a read past a malloc'd block in the same set-up is reported.  (Until
4096307 the lexicon of finding 1 made the core itself read out of bounds here.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from reliability_support import CORE_MODULES, ROOT, build_core_copy

CORPUS = ROOT / "tests" / "reliability" / "core_corpus.py"
# pytest-django would put the project folder (manage.py's) first on the path, and with it the work tree's core.
PYTEST = ["-q", "-x", "-p", "no:cacheprovider", "-p", "no:django", "-W", "ignore::pytest.PytestConfigWarning"]


def _libasan() -> str | None:
    path = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True).stdout.strip()
    return path if path and os.path.isabs(path) and os.path.exists(path) else None


@pytest.fixture(scope="module")
def asan(tmp_path_factory):
    if not shutil.which("gcc") or not _libasan():
        pytest.fail("gcc with libasan is needed (build-essential; .ci/run installs it)")
    site = build_core_copy(tmp_path_factory.mktemp("asan"), {
        "CFLAGS": "-fsanitize=address -fno-omit-frame-pointer", "LDFLAGS": "-fsanitize=address"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("FASTPRON_")}
    # PYTHONSAFEPATH: `python -c` and `-m pytest` would put the work tree (the cwd) first on the path.
    env.update(PYTHONPATH=str(site), PYTHONSAFEPATH="1", LD_PRELOAD=_libasan(), PYTHONMALLOC="malloc",
               PYTHONDONTWRITEBYTECODE="1",
               ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=86:print_summary=1")
    return site, env


def _run(args, env, timeout) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def _asan_errors(stderr: str) -> list[str]:
    return re.findall(r"ERROR: AddressSanitizer: [^\n]*", stderr)


def _corpus_figures(stdout: str) -> dict:
    return json.loads(next(line for line in stdout.splitlines() if line.startswith("CORPUS OK "))[10:])


def test_the_asan_build_is_the_one_loaded(asan):
    site, env = asan
    run = _run([sys.executable, "-c", "import fastpron._core as c; print(c.__file__); "
                "print(any('libasan' in line for line in open('/proc/self/maps')))"], env, 120)
    assert run.returncode == 0, run.stderr[-2000:]
    core, mapped = run.stdout.split()
    assert core.startswith(str(site)) and mapped == "True"


def test_the_asan_build_is_the_one_loaded_here():
    """Run by the pytest runs under ASan: the fastpron they test is the copy, with libasan mapped."""
    if "LD_PRELOAD" not in os.environ:
        pytest.skip("only inside the ASan runs of this file")
    import fastpron._core
    assert "/asan" in fastpron._core.__file__ and "site/fastpron/" in fastpron._core.__file__
    assert any("libasan" in line for line in open("/proc/self/maps"))


def test_asan_finding_1_is_now_refused_cleanly(asan):
    """Finding 1's lexicon once made the core read out of bounds, which ASan reported here; the
    loader now refuses it, and ASan sees no invalid access on the way."""
    _site, env = asan
    code = ("import sys; sys.path.insert(0, 'tests/fuzz'); import fuzzlib; from fastpron._core import "
            "CompiledLexicon; from fastpron.lexicon import LexiconError; data, text = fuzzlib.crafted('slot-depth')\n"
            "try:\n    CompiledLexicon(data, 'crafted.fpl')\nexcept LexiconError as err:\n    print('REFUSED', err)")
    run = _run([sys.executable, "-c", code], env, 120)
    assert run.returncode == 0, (run.returncode, run.stderr[-2000:])
    assert "REFUSED crafted.fpl: hash slot" in run.stdout and "wrong length" in run.stdout, run.stdout
    assert not _asan_errors(run.stderr), run.stderr[-3000:]


def test_asan_is_awake(asan):
    """Positive control: the copy's core is instrumented (each of its modules calls ASan's report
    hooks), and in this process set-up a heap read past a malloc'd block is reported (exit status 86)."""
    site, env = asan
    for name in CORE_MODULES:
        module = next((site / "fastpron").glob(f"{name}.*.so"))
        symbols = subprocess.run(["nm", "-D", str(module)], capture_output=True, text=True).stdout
        assert "__asan_report_load" in symbols, module
    code = ("import ctypes; libc = ctypes.CDLL(None); libc.malloc.restype = ctypes.c_void_p; "
            "ctypes.memmove(libc.malloc(64), libc.malloc(8), 16)")
    run = _run([sys.executable, "-c", code], env, 120)
    assert run.returncode == 86, (run.returncode, run.stderr[-2000:])
    assert "heap-buffer-overflow" in _asan_errors(run.stderr)[0]


def _corpus_under_asan(asan, figures, scale: str, timeout: float):
    _site, env = asan
    run = _run([sys.executable, str(CORPUS), "--scale", scale], env, timeout)
    figures["asan_errors"] = len(_asan_errors(run.stderr))
    assert run.returncode == 0 and not _asan_errors(run.stderr), run.stderr[-6000:]
    figures.update(_corpus_figures(run.stdout))


def test_corpus_under_asan(asan, figures):
    _corpus_under_asan(asan, figures, "small", 900)


def test_core_tests_under_asan(asan, figures):
    """tests/test_core.py (exact outputs, 2.4 million characters, threads) and the
    format_lines tests of tests/test_batch.py (a block's lines written from its
    tokens, UTF-8 decoded in the core, threads) on the ASan build."""
    _site, env = asan
    run = _run([sys.executable, "-m", "pytest", *PYTEST, "tests/test_core.py", "tests/test_batch.py", "-k",
                "not test_batch.py or format_lines",
                "tests/reliability/test_sanitizers.py::test_the_asan_build_is_the_one_loaded_here"], env, 900)
    figures["asan_errors"] = len(_asan_errors(run.stderr + run.stdout))
    figures["pytest"] = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    assert run.returncode == 0 and not _asan_errors(run.stderr + run.stdout), (run.stdout[-3000:], run.stderr[-3000:])


@pytest.mark.soak
def test_corpus_and_property_tests_under_asan_soak(asan, figures):
    _corpus_under_asan(asan, figures, "full", 3600)
    site, env = asan
    run = _run([sys.executable, "-m", "pytest", *PYTEST, "-m", "not soak", "tests/test_core.py",
                "tests/reliability/test_sanitizers.py::test_the_asan_build_is_the_one_loaded_here", "tests/test_reference.py", "tests/test_lexicon.py",
                "tests/reliability/test_core_properties.py", "tests/fuzz/test_lexicon_damage.py"],
               {**env, "FASTPRON_FUZZ_NO_MEMORY_LIMIT": "1", "FASTPRON_FIGURES_DIR": str(site.parent / "figures")},
               5400)
    figures["pytest"] = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    figures["asan_errors_in_tests"] = len(_asan_errors(run.stderr + run.stdout))
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])


@pytest.mark.soak
def test_corpus_under_valgrind_soak(tmp_path, figures):
    """valgrind's memcheck on a debug build (no ASan).  CPython itself draws a few 'uninitialised
    value' reports at start-up (its small-int and GC internals, without valgrind annotations): they
    are counted, and must not involve the core; an invalid read, write or free anywhere fails."""
    if not shutil.which("valgrind"):
        pytest.fail("valgrind is not installed (apt-get install valgrind; `make soak` installs it)")
    site = build_core_copy(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FASTPRON_")}
    env.update(PYTHONPATH=str(site), PYTHONSAFEPATH="1", PYTHONMALLOC="malloc", PYTHONDONTWRITEBYTECODE="1")
    run = _run(["valgrind", "--tool=memcheck", "--error-exitcode=99", "--leak-check=no", "--num-callers=50",
                sys.executable, str(CORPUS), "--scale", "small"], env, 7200)
    reports = re.split(r"\n==\d+== \n", run.stderr)
    errors = [r for r in reports if re.search(r"==\d+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source)", r)]
    invalid = [r for r in errors if re.search(r"==\d+== (Invalid|Mismatched free)", r)]
    in_core = [r for r in errors if any(f"{name}{suffix}" in r for name in CORE_MODULES
                                        for suffix in (".c", ".pyx", ".pxd", ".cpython"))]
    figures.update(valgrind_reports=len(errors), invalid_accesses=len(invalid), reports_in_core=len(in_core))
    assert "CORPUS OK " in run.stdout, run.stderr[-4000:]
    figures.update(_corpus_figures(run.stdout))
    assert invalid == [] and in_core == [], "\n\n".join((invalid + in_core)[:3])
