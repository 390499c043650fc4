"""Throughput on text: fastpron and its peers on the same input, in one run.

Groups (benchmarks/report.py divides bytes per call by the best round):

* ``text``: the ~200 KB corpus.  fastpron's romanize (Tâi-lô), to_html,
  annotate and romanize in POJ, 方音符號 (tps) and 十五音 (sni); OpenCC s2t
  and t2s, the native-speed yardstick for dictionary conversion of Chinese.
* ``slice``: the corpus's first 32 KB, for the pure-Python peers: taibun 1.1.8
  ``Converter().get`` and fastpron's own ``ReferenceAnnotator``, with
  fastpron's romanize on exactly the same slice for the ratio.
* ``large``: the ~20 MB concatenation: romanize, to_html, OpenCC s2t and t2s.

Every call here runs in one thread, so it is timed by the process's CPU time
(``time.process_time``, user and system): on an idle machine that is the wall
time, and on this shared one it leaves out the time the process waits for a
core while other work runs, which would otherwise land on one side of a ratio.
"""

from __future__ import annotations

import time

import pytest

FASTPRON_CASES = {
    "romanize": lambda fp: fp.romanize,
    "to_html": lambda fp: fp.to_html,
    "annotate": lambda fp: fp.annotate,
    "romanize poj": lambda fp: fp.Annotator(system="poj").romanize,
    "romanize tps": lambda fp: fp.Annotator(system="tps").romanize,
    "romanize sni": lambda fp: fp.Annotator(system="sni").romanize,
}
# The order of the text group: each target's two sides next to each other in time.
TEXT_CASES = ["fastpron romanize", "OpenCC s2t", "fastpron to_html", "OpenCC t2s", "fastpron annotate",
              "fastpron romanize poj", "fastpron romanize tps", "fastpron romanize sni"]


@pytest.mark.benchmark(group="text", max_time=2.0, timer=time.process_time)
@pytest.mark.parametrize("case", TEXT_CASES)
def test_text(throughput, request, text, case):
    library, _, what = case.partition(" ")
    if library == "OpenCC":
        convert = request.getfixturevalue("opencc").OpenCC(what).convert
    else:
        convert = FASTPRON_CASES[what](request.getfixturevalue("fastpron"))
    throughput(convert, text, case)


@pytest.mark.benchmark(group="slice", max_time=2.0, timer=time.process_time)
def test_slice_fastpron(throughput, fastpron, text_slice):
    throughput(fastpron.romanize, text_slice, "fastpron romanize")


@pytest.mark.benchmark(group="slice", max_time=2.0, timer=time.process_time)
def test_slice_reference(throughput, fastpron, text_slice):
    from fastpron.reference import ReferenceAnnotator
    throughput(ReferenceAnnotator().romanize, text_slice, "fastpron reference romanize", rounds=8)


@pytest.mark.benchmark(group="slice", max_time=2.0, timer=time.process_time)
def test_slice_taibun(throughput, taibun_converter, text_slice):
    throughput(taibun_converter.get, text_slice, "taibun 1.1.8 Converter().get", rounds=8)


@pytest.mark.benchmark(group="large", timer=time.process_time)
@pytest.mark.parametrize("case", ["romanize", "to_html"])
def test_large_fastpron(throughput, fastpron, large, case):
    throughput(FASTPRON_CASES[case](fastpron), large, f"fastpron {case}", rounds=3 if case == "romanize" else 2)


@pytest.mark.benchmark(group="large", timer=time.process_time)
@pytest.mark.parametrize("config", ["s2t", "t2s"])
def test_large_opencc(throughput, opencc, large, config):
    throughput(opencc.OpenCC(config).convert, large, f"OpenCC {config}", rounds=3)
