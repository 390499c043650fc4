"""The command line on a corpus: a ~50 MB file of short lines (groups ``cli`` and ``cli jobs``).

* ``cli``, timed in CPU time (as the other one-thread figures): fastpron's
  ``romanize`` in process on the same text, as one call and in 256 KB pieces
  (the faster of the two is the yardstick), and ``fastpron FILE -o OUT`` in a
  child process, its CPU time from ``getrusage(RUSAGE_CHILDREN)``: start-up,
  reading, decoding, romanising, encoding and writing, all of it.
* ``cli jobs``, timed in wall time, as a speed-up must be: ``fastpron --jobs 1``
  and ``--jobs 2`` on the same file, for the text format and for the four
  others (``--format html``, ``json``, ``jsonl``, ``tsv``: their output is 20 to
  30 times the input's size), and the GIL-free yardstick of the thread
  benchmark, ``zlib.compress`` of the file's 256 KB pieces in 1 and 2 threads,
  which says whether the shared machine had a second core to give.

Each round writes a new output file (the last one is removed first, untimed):
rewriting a file in place makes its ``close`` wait for the old blocks to be
flushed on some file systems (ext4's ``auto_da_alloc``), a cost of the disk and
not of the command line, and a large one beside a gigabyte of JSON.

Each child's output is checked once: as many lines as the input.  One more,
untimed run records the command line's peak resident memory (``ru_maxrss``,
read by a small parent interpreter): the command line
holds at most 2 × jobs + 1 blocks (256 KB for text), whatever the file's size.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

import corpus

ROUNDS = 3
JOB_ROUNDS = 5              # the speed-up is the ratio of best rounds: more rounds, fewer disturbed ones
PIECE = 256 << 10                # the command line's block for text


def children_cpu() -> float:
    """CPU seconds (user and system) of the children waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.fixture(scope="session")
def short_lines_file(tmp_path_factory):
    try:
        text = corpus.short_lines()
    except corpus.GoldMissing as e:
        pytest.skip(str(e))
    path = tmp_path_factory.mktemp("cli") / "short_lines.txt"
    path.write_text(text, encoding="utf-8")
    return path, text


def _pieces(text: str) -> list[str]:
    return corpus.chunks(text, max(1, corpus.nbytes(text) // PIECE))


# Run by a small interpreter, so that the peak it reads is the command line's own and not
# that of a copy of this (large) process made by fork.
PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdin=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _cli(path, *args, info: dict):
    """A round of the command line on `path`, the untimed set-up of a round (the last
    output removed), and, once, its peak resident memory into info."""
    out = path.with_name("out.txt")
    command = [sys.executable, "-m", "fastpron", "--quiet", *args, str(path), "-o", str(out)]

    def run():
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL)

    def setup():
        out.unlink(missing_ok=True)

    def peak():
        setup()
        result = subprocess.run([sys.executable, "-c", PEAK, *command], check=True, capture_output=True)
        info["max_rss_mib"] = int(result.stdout) / 1024                 # ru_maxrss is in KiB
    return run, out, peak, setup


def _check_lines(out, text: str) -> None:
    with open(out, "rb") as f:
        lines = sum(block.count(b"\n") for block in iter(lambda: f.read(PIECE), b""))
    assert lines == text.count("\n"), f"{out}: {lines} lines out for {text.count(chr(10))} in"


LIBRARY_CASES = {"one call": "fastpron romanize, library in process (one call)",
                 "pieces": "fastpron romanize, library in process (256 KB pieces)"}


@pytest.mark.benchmark(group="cli", timer=time.process_time)
@pytest.mark.parametrize("case", list(LIBRARY_CASES))
def test_cli_library(benchmark, fastpron, short_lines_file, case):
    """The yardstick: romanize in this process, on the same text."""
    path, text = short_lines_file
    benchmark.extra_info.update(label=LIBRARY_CASES[case], bytes=corpus.nbytes(text), lines=text.count("\n"))
    if case == "pieces":
        pieces = _pieces(text)

        def fn():
            for piece in pieces:
                fastpron.romanize(piece)
    else:
        def fn():
            fastpron.romanize(text)
    benchmark.pedantic(fn, rounds=ROUNDS, iterations=1, warmup_rounds=1)


@pytest.mark.benchmark(group="cli", timer=children_cpu)
def test_cli_one_job(benchmark, short_lines_file):
    """`fastpron FILE -o OUT` in a child process, timed by the child's CPU time."""
    path, text = short_lines_file
    benchmark.extra_info.update(label="fastpron CLI, 1 job (child process)", bytes=corpus.nbytes(text),
                                lines=text.count("\n"))
    run, out, peak, setup = _cli(path, info=benchmark.extra_info)
    benchmark.pedantic(run, setup=setup, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    _check_lines(out, text)
    peak()


# (what, format, jobs): the yardstick, then the command line in each format
FORMATS = ("text", "html", "json", "jsonl", "tsv")
JOB_CASES = [("zlib", None, 1), ("zlib", None, 2)] + [("cli", fmt, jobs) for fmt in FORMATS for jobs in (1, 2)]


def cli_label(fmt: str, jobs: int) -> str:
    """The text format's label is the one the report has always read; the others name their format."""
    return f"fastpron CLI{'' if fmt == 'text' else f' --format {fmt}'}, {jobs} job{'s' if jobs > 1 else ''}"


@pytest.mark.benchmark(group="cli jobs", timer=time.perf_counter)
@pytest.mark.parametrize(("what", "fmt", "jobs"), JOB_CASES,
                         ids=[f"{w}-{j}" if f in (None, "text") else f"{w}-{f}-{j}" for w, f, j in JOB_CASES])
def test_cli_jobs(benchmark, fastpron, short_lines_file, what, fmt, jobs):
    path, text = short_lines_file
    setup = None
    if what == "zlib":
        label = f"zlib.compress (yardstick), {jobs} thread{'s' if jobs > 1 else ''}"
        pieces = [piece.encode("utf-8") for piece in _pieces(text)]
        pool = ThreadPoolExecutor(jobs)
        list(pool.map(lambda p: zlib.compress(p, 1), pieces[:jobs]))

        def run():
            for _ in pool.map(lambda p: zlib.compress(p, 1), pieces):
                pass
    else:
        label = cli_label(fmt, jobs)
        run, out, peak, setup = _cli(path, "--format", fmt, "--jobs", str(jobs), info=benchmark.extra_info)
    benchmark.extra_info.update(label=label, bytes=corpus.nbytes(text), jobs=jobs, format=fmt)
    benchmark.pedantic(run, setup=setup, rounds=JOB_ROUNDS, iterations=1, warmup_rounds=1 if what == "cli" else 0)
    if what == "zlib":
        pool.shutdown()
    else:
        _check_lines(out, text)
        peak()
        out.unlink()                        # up to 1.5 GB of JSON
