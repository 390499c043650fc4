"""The result page's outputs: one ``render`` call against the separate calls it replaced (group ``render``).

The article is the ~200 KB corpus text (about 67,000 characters, under the web
form's 100,000).  The page needs its ruby HTML, its tokens (the reading
choices) and its running text, and with "Also show" a second system's HTML;
before ``Annotator.render`` it asked for each with its own call, and each call
segmented the whole article again.  Each pair runs side by side:

* ``render html, tokens, text`` against ``to_html + annotate + romanize``;
* the same with a second system (POJ) HTML, against four calls.

report.py divides the one call's bytes per second by the separate calls'.
Timed in process CPU time, as the other one-thread groups are (test_text.py).
"""

from __future__ import annotations

import time

import pytest

SECOND = {"system": "poj"}
CASES = {
    "render html, tokens, text (one call)":
        lambda a: lambda text: a.render(text, "html", "tokens", "text"),
    "to_html + annotate + romanize (three calls)":
        lambda a: lambda text: (a.to_html(text), a.annotate(text), a.romanize(text)),
    "render html, tokens, text, POJ html (one call)":
        lambda a: lambda text: a.render(text, "html", "tokens", "text", ("html", SECOND)),
    "to_html + annotate + romanize + to_html POJ (four calls)":
        lambda a: lambda text: (a.to_html(text), a.annotate(text), a.romanize(text), a.to_html(text, **SECOND)),
}


@pytest.mark.benchmark(group="render", max_time=2.0, timer=time.process_time)
@pytest.mark.parametrize("case", list(CASES))
def test_render(throughput, fastpron, text, case):
    throughput(CASES[case](fastpron.default_annotator()), text, case)
