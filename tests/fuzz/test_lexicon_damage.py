"""A damaged compiled lexicon is refused with a LexiconError naming the file and the fix; never a crash.

The mutation fuzzer (lexicon_mutator.py) damages a compiled lexicon at
random (bit flips, words set to edge values, words copied, header counts,
hash slots redirected to other records, bytes inserted or removed,
truncation) and recomputes the CRC, so the damage reaches the checks behind
it.  Every case runs in a child process; a crash or a hang is recorded with
its case number and the run goes on after it.

Gaps once found in the core's own checks (docs/reliability.md, findings 1-4)
have tests of their own at the end; the core (_lookup.pyx) now refuses each case.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys

import pytest

import lexicon_mutator
from fuzzlib import HEADER_SIZE, reseal, small_lexicon_bytes
from reliability_support import ROOT

FIX = "python -m fastpron.compile"


def _damage(figures, which: str, count: int, seed: int):
    summary = lexicon_mutator.run(which, seed=seed, count=count)
    figures.update({k: (len(v) if isinstance(v, list) else v) for k, v in summary.items()})
    figures["examples"] = summary["known_examples"][:5] + summary["use_error"][:5]
    brief = {k: v for k, v in summary.items() if k != "known_examples"}
    assert summary["crashes"] == [] and summary["hangs"] == [], brief
    assert summary["wrong_error"] == [] and summary["unclear"] == [], brief
    # Findings 1-4 (docs/reliability.md), closed in _core.pyx: no file with one of those gaps gets through.
    assert summary["known_core_gaps"] == {}, (brief, summary["known_examples"][:5])
    # Syllables that are well formed but no syllable of Tâi-lô (lt4): the loader's pattern lets
    # them through, the first rendering refuses them with a SyllableError naming the syllable.
    assert all("SyllableError" in e for e in summary["use_error"]), summary["use_error"]
    assert summary["refused"] + summary["accepted"] + len(summary["use_error"]) + sum(
        summary["known_core_gaps"].values()) >= count
    return summary


def test_damaged_small_lexicon(figures):
    _damage(figures, "small", 4000, seed=1)


def test_damaged_full_lexicon(figures):
    _damage(figures, "full", 300, seed=2)


@pytest.mark.soak
def test_damaged_small_lexicon_soak(figures):
    _damage(figures, "small", 100_000, seed=3)


@pytest.mark.soak
def test_damaged_full_lexicon_soak(figures):
    _damage(figures, "full", 5000, seed=4)


# -- the readers of the tables (fastpron/lexicon.py, _lookup.pyx) -----------------------

def _with(data: bytes, at: int, value: bytes) -> bytes:
    return reseal(data[:at] + value + data[at + len(value):])


@pytest.mark.parametrize("damage, message", [
    # a syllable's text is not ASCII (was: UnicodeDecodeError)
    (lambda d: _with(d, HEADER_SIZE + 4 * 30 + 2, b"\xff"), r"corrupt \(syllable table: 'ascii' codec"),
    # the syllable count runs past the file (was: struct.error)
    (lambda d: d[:48] + struct.pack("<I", 10**6) + d[52:], r"corrupt \(syllable table: unpack_from"),
    # the variant count runs past the file (was: struct.error); the core reads the table in place
    (lambda d: d[:64] + struct.pack("<I", 0x7FFFFFFF) + d[68:], r"section sizes do not add up"),
    # a variant is no code point (was: ValueError from chr()); the variants property reads only checked pairs
    (lambda d: _with(d, len(d) - 4, struct.pack("<I", 0x7FFFFFFF)), r"variant pair \d+ is out of range"),
    # a syllable that is not numbered Tâi-lô (was: SyllableError on the first call)
    (lambda d: _with(d, HEADER_SIZE + 4 * 30, b"IT"), r"corrupt \(syllable 'IT4'"),
])
def test_damaged_tables_are_a_lexicon_error(damage, message):
    from fastpron._core import CompiledLexicon
    from fastpron.lexicon import LexiconError
    data = small_lexicon_bytes()
    assert struct.unpack_from("<I", data, 48)[0] == 29           # 29 syllables, it4 first: the offsets rely on it
    with pytest.raises(LexiconError, match=message) as info:
        CompiledLexicon(damage(data), "lexicon.fpl")
    assert str(info.value).startswith("lexicon.fpl: ") and FIX in str(info.value)


@pytest.mark.parametrize("damage, message", [
    (lambda d: d[: len(d) // 3], "truncated"),
    (lambda d: d[:8] + struct.pack("<I", 4) + d[12:], "format version 4"),
    (lambda d: d[:-10] + bytes(10), r"CRC mismatch"),
    (lambda d: _with(d, HEADER_SIZE + 200, b"\x80"), "corrupt"),
    (lambda d: b"", "bad magic"),
])
def test_an_installed_fastpron_with_a_damaged_lexicon_says_which_file_and_how_to_fix_it(tmp_path, damage,
                                                                                          message):
    """The package as installed (no lexicon_data/ beside it to rebuild from): the command and the
    library stop with the file's path and the fix, exit status 1, no traceback from C."""
    package = tmp_path / "site" / "fastpron"
    shutil.copytree(ROOT / "fastpron", package, ignore=shutil.ignore_patterns("*.c", "*.html", "__pycache__"))
    fpl = package / "data" / "lexicon.fpl"
    fpl.write_bytes(damage(fpl.read_bytes()))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FASTPRON_")}
    env.update(PYTHONPATH=str(tmp_path / "site"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    code = "import fastpron, sys; print(fastpron.romanize(sys.argv[1]))"
    run = subprocess.run([sys.executable, "-c", code, "台灣"], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=60)
    assert run.returncode == 1, (run.returncode, run.stderr[-800:])
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("fastpron.lexicon.LexiconError: " + str(fpl)), last
    assert re.search(message, last), last
    assert FIX in last
    cli = subprocess.run([sys.executable, "-m", "fastpron", "台灣"], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=60)
    assert cli.returncode == 1 and str(fpl) in cli.stderr and FIX in cli.stderr, cli.stderr[-800:]
    assert "Traceback" not in cli.stderr


# -- known gaps of the core's checks: reproducers -------------------------------------------

CORE_CHILD = r"""
import os, resource, sys
sys.path.insert(0, "tests/fuzz")
if os.environ.get("FASTPRON_FUZZ_NO_MEMORY_LIMIT") != "1":      # ASan reserves terabytes of address space
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from fuzzlib import crafted, exercise
from fastpron._core import CompiledLexicon
from fastpron.lexicon import LexiconError
data, text = crafted(sys.argv[1])
try:
    lexicon = CompiledLexicon(data, "crafted.fpl")
except LexiconError as err:
    print("REFUSED", err)
    sys.exit(0)
import fuzzlib
fuzzlib.SMALL_CORPUS = [text]
exercise(lexicon)
print("ACCEPTED")
"""


def _crafted(kind: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([sys.executable, "-c", CORE_CHILD, kind], capture_output=True, text=True,
                              cwd=ROOT, timeout=6)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{kind}: the core hung on a lexicon it accepted")


def test_a_slot_naming_a_shorter_key_is_refused():
    run = _crafted("slot-depth")
    assert run.returncode == 0 and run.stdout.startswith("REFUSED crafted.fpl: ") and FIX in run.stdout, \
        (run.returncode, run.stdout, run.stderr[-500:])


def test_a_hash_table_without_an_empty_slot_is_refused():
    run = _crafted("full-table")
    assert run.returncode == 0 and run.stdout.startswith("REFUSED crafted.fpl: ") and FIX in run.stdout


def test_a_header_longest_key_above_the_records_is_refused():
    run = _crafted("max-key-len")
    assert run.returncode == 0 and run.stdout.startswith("REFUSED crafted.fpl: ") and FIX in run.stdout


def test_the_core_checks_name_the_fix():
    run = _crafted("bad-record")
    assert run.stdout.startswith("REFUSED crafted.fpl: record 0 has a bad key length")
    assert FIX in run.stdout
