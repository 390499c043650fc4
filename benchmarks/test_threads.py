"""Threads: throughput of 1 and 2 threads on the ~20 MB input (group ``threads``).

The large input is cut at line ends into 40 pieces of about 500 KB; a pool of
N threads romanizes (or renders as HTML) all of them, so each round does the
same work whatever N is, and report.py divides the bytes by the wall time.
The core releases the GIL while it segments and writes, so 2 threads should
take about half the time of 1 on a 2-core machine.

On a shared machine a second core is not always free.  So the same run also
measures a yardstick that is known to run in parallel: ``zlib.compress`` of
the same pieces (UTF-8), which releases the GIL for its whole work.  Its
speed-up is what the machine offered two threads at that time; report.py
prints it beside fastpron's.
"""

from __future__ import annotations

import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

import corpus

PIECES = 40
ROUNDS = {"zlib": 10, "romanize": 10, "to_html": 4}


def _compress(piece: bytes) -> bytes:
    return zlib.compress(piece, 1)


@pytest.mark.benchmark(group="threads")
@pytest.mark.parametrize(("function", "threads"), [(f, n) for f in ROUNDS for n in (1, 2)])
def test_threads(benchmark, fastpron, large, function, threads):
    """1 and 2 threads of the same function run one after the other, so their ratio sees the same machine."""
    pieces = corpus.chunks(large, PIECES)
    if function == "zlib":
        fn, pieces, label = _compress, [p.encode("utf-8") for p in pieces], "zlib.compress (yardstick)"
    else:
        fn, label = getattr(fastpron, function), f"fastpron {function}"
    benchmark.extra_info.update(label=f"{label}, {threads} thread{'s' if threads > 1 else ''}",
                                bytes=corpus.nbytes(large), threads=threads, function=function)
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(fn, pieces[:threads]))           # start the threads, warm up

        def run():
            for _ in pool.map(fn, pieces):
                pass
        benchmark.pedantic(run, rounds=ROUNDS[function], iterations=1, warmup_rounds=0)
