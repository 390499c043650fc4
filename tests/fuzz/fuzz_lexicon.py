"""atheris target: the loader of compiled lexicons, on damaged files with a good CRC.

    python tests/fuzz/fuzz_lexicon.py [libFuzzer options] [corpus folders]

Each input is a list of edits (offset, 32-bit value, width) applied to the
small lexicon of fuzzlib.py, whose CRC is then recomputed.  The file must be
refused with a LexiconError that names it and the fix, or load and annotate
the corpus; anything else is a finding.  Files with one of the known gaps of
the core's checks (fuzzlib.core_gaps; docs/reliability.md, findings 1-3) are
not used after loading, so that the fuzzer goes on looking for new ones:
test_lexicon_damage.py reproduces those gaps.
"""

import sys

import atheris

with atheris.instrument_imports(include=["fastpron"]):
    from fastpron._core import CompiledLexicon
    from fastpron.lexicon import LexiconError
    from fastpron.syllable import SyllableError

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fuzzlib import core_gaps, exercise, reseal, small_lexicon_bytes  # noqa: E402

ORIGINAL = small_lexicon_bytes()
ORIGIN = "fuzzed-lexicon.fpl"
FIX = "python -m fastpron.compile"
# The core's own messages name no fix (finding 4): accepted here, counted by test_lexicon_damage.py.
CORE_MESSAGES = ("has a bad key length", "runs past the end", "names a syllable out of range",
                 "records, the header says", "is out of range", "names a key without readings", "variant pair")


def damaged(fdp: atheris.FuzzedDataProvider) -> bytes:
    data = bytearray(ORIGINAL)
    for _ in range(fdp.ConsumeIntInRange(1, 6)):
        at = fdp.ConsumeIntInRange(0, len(data) - 1)
        width = (1, 2, 4)[fdp.ConsumeIntInRange(0, 2)]
        value = fdp.ConsumeIntInRange(0, (1 << 8 * width) - 1)
        at = min(at, len(data) - width)
        data[at:at + width] = value.to_bytes(width, "little")
    if fdp.ConsumeBool():
        del data[fdp.ConsumeIntInRange(0, len(data)):]
    return reseal(bytes(data))


def TestOneInput(data: bytes) -> None:   # noqa: N802
    fdp = atheris.FuzzedDataProvider(data)
    lexicon_bytes = damaged(fdp)
    try:
        compiled = CompiledLexicon(lexicon_bytes, ORIGIN)
    except LexiconError as err:
        message = str(err)
        assert message.startswith(ORIGIN + ": "), message
        assert FIX in message or any(m in message for m in CORE_MESSAGES), message
        return
    if core_gaps(lexicon_bytes):
        return
    try:
        exercise(compiled)
    except SyllableError:           # a well-formed syllable no system can render: refused on first use
        return


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
