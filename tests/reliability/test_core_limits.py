"""The core under size and repetition: 50 MB inputs, no hang, flat memory.

Each check runs in a child process with a time limit, so that a hang or a
crash fails the check instead of the test run, and so that its memory
figures are its own.
"""

from __future__ import annotations

import json

import pytest

from reliability_support import run_python

MB = 1_000_000

# The child's helpers: resident and peak memory in MiB, and a text of `size` UTF-8 bytes.
PRELUDE = r"""
import json, os, random, resource, sys, time
sys.path.insert(0, "tests/fuzz")
import fastpron
from fuzzlib import ODD_STRINGS, PLANE_SAMPLES

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def of_size(piece, size):
    return piece * (size // len(piece.encode("utf-8", "surrogatepass")) + 1)

out = {}
"""


def child(code: str, timeout: float) -> dict:
    proc = run_python(PRELUDE + code + "\nprint('FIGURES ' + json.dumps(out))", timeout=timeout)
    line = next(line for line in proc.stdout.splitlines() if line.startswith("FIGURES "))
    return json.loads(line[8:])


# -- 50 MB inputs --------------------------------------------------------------------------

def test_50_mb_of_han_text(figures):
    """A 50 MB article: its romanisation is exactly the sum of its parts (it ends with a newline)."""
    got = child(r"""
sample = open("benchmarks/sample_article.txt", encoding="utf-8").read()
assert sample.endswith("\n")
text = of_size(sample, 50_000_000)
copies = text.count(sample)
annotator = fastpron.Annotator()
start = time.monotonic()
result = annotator.romanize(text)
out["romanize_seconds"] = round(time.monotonic() - start, 2)
assert result == annotator.romanize(sample) * copies, "50 MB romanisation differs from its parts"
del result
import re
part = of_size(sample, 5_000_000)          # whole copies; the HTML of 50 MB would take 2 GB
start = time.monotonic()
page = annotator.to_html(part)
out["to_html_seconds_5_mb"] = round(time.monotonic() - start, 2)
unplaced = re.compile(r' data-start="[0-9]+"')
assert unplaced.sub("", page) == unplaced.sub("", annotator.to_html(sample)) * part.count(sample)
del page
out.update(input_bytes=len(text.encode()), input_chars=len(text), copies=copies, peak_mib=round(peak()))
""", timeout=600)
    figures.update(got)
    assert got["input_bytes"] >= 50 * MB


def test_50_mb_without_a_break_in_the_segmentation(figures):
    """風寒風寒…: every position is inside a word that overlaps the next, so the segmenter
    has one 17-million-character window to hold and walk back."""
    got = child(r"""
annotator = fastpron.Annotator()
text = of_size("風寒", 50_000_000)
start = time.monotonic()
result = annotator.romanize(text)
out["romanize_seconds"] = round(time.monotonic() - start, 2)
n = len(text) // 2
# 風寒 and 寒風 are both words: the least-cost path is all of one or all of the
# other (風 寒風 … 寒, the last 寒 standing alone), as the lexicon weighs them;
# either way one window.
assert result in ("Hong-hân" + " hong-hân" * (n - 1),
                  "Hong" + " hân-hong" * (n - 1) + " " + annotator.romanize("寒").lower()), result[:80]
out.update(input_bytes=len(text.encode()), tokens=n, peak_mib=round(peak()))
""", timeout=600)
    figures.update(got)


def test_50_mb_of_odd_text(figures):
    """Every plane, surrogates, NUL, combining marks, RTL and HTML specials, 50 MB in one str:
    the tokens cover it, the romanisation and HTML agree with the same text cut in pieces."""
    got = child(r"""
import html, re
rng = random.Random(7)
pieces = ODD_STRINGS + PLANE_SAMPLES + ["台灣人行路去銀行。", "先生講，學生恬恬聽。\n"]
chunk = "".join(rng.choice(pieces) for _ in range(4000)) + "\n"
text = of_size(chunk, 50_000_000)
copies = text.count(chunk)
annotator = fastpron.Annotator()
start = time.monotonic()
result = annotator.romanize(text)
out["romanize_seconds"] = round(time.monotonic() - start, 2)
assert result == annotator.romanize(chunk) * copies
del result
start = time.monotonic()
page = annotator.to_html(text)
out["to_html_seconds"] = round(time.monotonic() - start, 2)
# The same as the HTML of each copy, its data-start offsets moved along (no 50 MB regular expressions).
import re
one, at = annotator.to_html(chunk), 0
for k in range(copies):
    expected = re.sub(r'data-start="([0-9]+)"', lambda m: f'data-start="{int(m.group(1)) + k * len(chunk)}"', one)
    assert page[at:at + len(expected)] == expected, f"copy {k} of the chunk differs in the HTML"
    at += len(expected)
assert at == len(page) or text[copies * len(chunk):] and page[at:] == annotator.to_html(text[copies * len(chunk):])
visible = html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<rp>\(</rp><rt>[^<]*</rt><rp>\)</rp>", "", one)))
assert visible == re.sub(r"[\0\ud800-\udfff]", "\ufffd", chunk), "the HTML does not give the text back"
out["html_chars"] = len(page)
del page
tokens = annotator.annotate(chunk)
assert "".join(t.text for t in tokens) == chunk
out.update(input_bytes=len(text.encode("utf-8", "surrogatepass")), input_chars=len(text), copies=copies,
           peak_mib=round(peak()))
""", timeout=900)
    figures.update(got)
    assert got["input_bytes"] >= 50 * MB


def test_50_mb_that_is_not_han(figures):
    """NUL and lone surrogates (a 2-byte str), then astral characters (a 4-byte str): passed through
    as one token, or as unknown characters, and escaped in HTML."""
    got = child(r"""
annotator = fastpron.Annotator()
text = of_size("\0\ud800a\u0301\u05d0", 50_000_000)
tokens = annotator.annotate(text)
assert len(tokens) == 1 and tokens[0].kind == "other" and tokens[0].end == len(text)
assert annotator.romanize(text, capitalize=False) == text
assert annotator.to_html(text) == text.replace("\0", "\ufffd").replace("\ud800", "\ufffd")
out["two_byte_chars"] = len(text)
del tokens, text
text = of_size("\U0002051c", 25_000_000) + of_size("\U0010ffff", 25_000_000)   # unknown Han, then other
result = annotator.romanize(text)
assert result == text
page = annotator.to_html(text[:1_000_000])
assert page == '<span class="fp-unknown">\U0002051c</span>' * 1_000_000
out.update(four_byte_chars=len(text), input_bytes=len(text.encode()), peak_mib=round(peak()))
""", timeout=600)
    figures.update(got)


@pytest.mark.soak
def test_50_mb_agrees_with_the_reference_soak(figures):
    """The core on a whole 50 MB text of odd and Han lines, against the pure-Python reference on
    the same text in pieces of about 1 MB cut at line ends (where every segmentation starts
    afresh): the same romanisation, the same HTML once data-start is moved along."""
    got = child(r"""
import re
from fastpron.reference import ReferenceAnnotator
rng = random.Random(11)
pieces = ODD_STRINGS + PLANE_SAMPLES + ["台灣人行路去銀行。", "先生講，學生恬恬聽。", "風寒風寒", "\n"]
lines = "".join(rng.choice(pieces) for _ in range(400_000)).replace("\n", "\n") + "\n"
text = of_size(lines, 50_000_000)
cut = text.rfind("\n") + 1
text = text[:cut]
native, reference = fastpron.Annotator(), ReferenceAnnotator()
chunks, at = [], 0
while at < len(text):
    end = text.find("\n", at + 300_000) + 1 or len(text)
    chunks.append((at, text[at:end]))
    at = end
start = time.monotonic()
assert native.romanize(text) == "".join(reference.romanize(chunk) for _, chunk in chunks), "romanize"
out["romanize_seconds"] = round(time.monotonic() - start, 1)
start = time.monotonic()
page, at = native.to_html(text), 0
for offset, chunk in chunks:
    expected = re.sub(r'data-start="([0-9]+)"', lambda m: f'data-start="{int(m.group(1)) + offset}"',
                      reference.to_html(chunk))
    assert page[at:at + len(expected)] == expected, f"to_html differs in the piece at {offset}"
    at += len(expected)
assert at == len(page)
out["to_html_seconds"] = round(time.monotonic() - start, 1)
out.update(input_bytes=len(text.encode("utf-8", "surrogatepass")), input_chars=len(text), pieces=len(chunks),
           peak_mib=round(peak()))
""", timeout=7200)
    figures.update(got)
    assert got["input_bytes"] >= 49 * MB


# -- memory over many calls -----------------------------------------------------------------

MEMORY = r"""
import gc
calls = int(sys.argv[1])
annotator = fastpron.Annotator()
sample = open("benchmarks/sample_article.txt", encoding="utf-8").read()
texts = ODD_STRINGS + [sample[i:i + 60] for i in range(0, 6000, 60)] + ["台灣人行路去銀行。" * 20]
option_sets = [{}, {"system": "poj", "sandhi": "auto"}, {"system": "tps", "tones": "numbers", "dialect": "north"}]

def work(n):
    for k in range(n):
        text = texts[k % len(texts)]
        options = option_sets[k % 3]
        annotator.annotate(text, picks={0: k % 3, 2: 1}, **options)
        if k % 10 == 0:
            annotator.romanize(text, **options)
            annotator.to_html(text, **options)

work(5_000)                 # every table built, every free list warmed
gc.collect()
before = rss()
start = time.monotonic()
work(calls)
gc.collect()
after = rss()
out.update(calls=calls, rss_before_mib=round(before, 2), rss_after_mib=round(after, 2),
           growth_kib=round((after - before) * 1024), call_seconds=round(time.monotonic() - start, 1))

# The user dictionary changed again and again: overlays and tables come and go.
def change(n):
    for k in range(n):
        annotator.update_user_dictionary({"𠔜" * (1 + k % 5): "-".join(["o9"] * (1 + k % 5)), "台灣": None})
        annotator.romanize("𠔜𠔜𠔜台灣" * 10)

change(100)                 # the allocator settles: freed overlays' pages are reused from here on
gc.collect()
before = rss()
change(int(sys.argv[2]))
annotator.clear_user_dictionary()
gc.collect()
after = rss()
out.update(dictionary_changes=int(sys.argv[2]), dictionary_rss_before_mib=round(before, 2),
           dictionary_rss_after_mib=round(after, 2), dictionary_growth_kib=round((after - before) * 1024))
"""


def _memory(figures, calls: int, changes: int):
    proc = run_python(PRELUDE + MEMORY + "\nprint('FIGURES ' + json.dumps(out))", str(calls), str(changes),
                      timeout=1800)
    got = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("FIGURES "))[8:])
    figures.update(got)
    # 100,000 calls leaking even 16 bytes each would add 1.5 MiB.
    assert got["growth_kib"] < 1024, got
    assert got["dictionary_growth_kib"] < 1024, got


def test_memory_is_flat_over_100000_annotate_calls(figures):
    _memory(figures, 100_000, 300)


@pytest.mark.soak
def test_memory_is_flat_over_2_million_calls_soak(figures):
    _memory(figures, 2_000_000, 3000)
