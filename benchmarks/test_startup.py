"""Start-up and memory, each library in fresh processes (groups ``startup`` and ``memory``).

``startup``: benchmarks/startup_child.py runs in a new interpreter for each
round and reports the time from just before ``import <library>`` to its first
result on a short sentence; fastpron, OpenCC (s2t) and taibun are measured by
the same code, each with its bytecode cached as an installed package has it.
pytest-benchmark's own figures are whole-process wall times
(interpreter start-up included, the same for all three); report.py uses the
in-process figure, the median of the rounds.

``memory``: one more child per library converts the ~200 KB corpus after the
first result; report.py shows the resident memory (VmRSS) each library adds
to a bare interpreter, after the first result and after the corpus.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import HERE, ROOT

CHILD = HERE / "startup_child.py"
LIBRARIES = {"fastpron": "fastpron", "opencc": "opencc", "taibun": "taibun"}
LABELS = {"fastpron": "fastpron romanize", "opencc": "OpenCC s2t", "taibun": "taibun 1.1.8 Converter().get"}
ROUNDS = 10


def child(library: str, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    # Each library starts with its bytecode cached, as an installed package has
    # it (pip compiles OpenCC's and taibun's at install; fastpron here is an
    # editable checkout, whose cache the warm-up round writes).  Without this
    # a PYTHONDONTWRITEBYTECODE in the environment made fastpron alone compile
    # its modules from source in every round.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run([sys.executable, str(CHILD), library, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode:
        pytest.fail(f"{library} start-up child failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(params=list(LIBRARIES))
def library(request):
    pytest.importorskip(LIBRARIES[request.param], reason=f"{request.param} is not installed (pip install -e '.[bench]')")
    return request.param


@pytest.mark.benchmark(group="startup")
def test_startup(benchmark, library):
    runs = []
    benchmark.pedantic(lambda: runs.append(child(library)), rounds=ROUNDS, iterations=1, warmup_rounds=1)
    runs = runs[1:]                                     # the warm-up round
    benchmark.extra_info.update(label=LABELS[library], library=library,
                                seconds=[r["seconds"] for r in runs],
                                cpu_seconds=[r["cpu_seconds"] for r in runs],
                                import_seconds=[r["import_seconds"] for r in runs])


@pytest.mark.benchmark(group="memory")
def test_memory(benchmark, library, tmp_path_factory, text):
    corpus_file = tmp_path_factory.getbasetemp() / "corpus.txt"
    if not corpus_file.exists():
        corpus_file.write_text(text, encoding="utf-8")
    result = {}
    benchmark.pedantic(lambda: result.update(child(library, str(corpus_file))), rounds=1, iterations=1)
    benchmark.extra_info.update(label=LABELS[library], library=library, **result)
