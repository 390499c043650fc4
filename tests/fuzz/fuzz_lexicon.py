"""atheris target: the loader of compiled lexicons, on damaged files with a good CRC.

    python tests/fuzz/fuzz_lexicon.py [libFuzzer options] [corpus folders]

Each input is a list of edits (offset, 32-bit value, width) applied to the
small lexicon of fuzzlib.py, whose CRC is then recomputed.  The file must be
refused with a LexiconError that names it and the fix, or load and annotate
the corpus; anything else is a finding, and so is a file that the core
accepts with one of the gaps its checks once had (fuzzlib.core_gaps;
docs/reliability.md, findings 1-3).
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
        assert message.startswith(ORIGIN + ": ") and FIX in message, message
        return
    assert not core_gaps(lexicon_bytes), core_gaps(lexicon_bytes)
    try:
        exercise(compiled)
    except SyllableError:           # a well-formed syllable no system can render: refused on first use
        return


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
