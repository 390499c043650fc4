"""Cross-check fastpron.systems against taibun 1.1.8, syllable by syllable.

    pip install taibun==1.1.8
    python3 benchmarks/crosscheck_taibun.py [--examples 3]

Every distinct syllable of lexicon_data/lexicon.tsv (neutral-tone ones left
out: taibun cannot take "--" on a lone syllable) is rendered by fastpron and
by taibun (sandhi off, the marked Tâi-lô fed as non-CJK text).  For each
system and tone style the script prints how many syllables differ and groups
the differences by Tâi-lô final, with examples, so that every class can be
investigated.  docs/systems.md explains each class.  taibun is needed only
here, never by fastpron or its tests.
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import re
import sys
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastpron.syllable import render_tailo  # noqa: E402
from fastpron.systems import System, ToneStyle, parse_parts, render  # noqa: E402

# (taibun system, taibun format, fastpron system, fastpron tone style)
PAIRS = [
    ("Tailo", "mark", System.TL, ToneStyle.MARKS),
    ("Tailo", "number", System.TL, ToneStyle.NUMBERS),
    ("Tailo", "strip", System.TL, ToneStyle.NONE),
    ("POJ", "mark", System.POJ, ToneStyle.MARKS),
    ("POJ", "number", System.POJ, ToneStyle.NUMBERS),
    ("POJ", "strip", System.POJ, ToneStyle.NONE),
    ("Zhuyin", "mark", System.TPS, ToneStyle.MARKS),
    ("Zhuyin", "number", System.TPS, ToneStyle.NUMBERS),
    ("Zhuyin", "strip", System.TPS, ToneStyle.NONE),
    ("TLPA", "number", System.TLPA, ToneStyle.NUMBERS),
    ("TLPA", "strip", System.TLPA, ToneStyle.NONE),
    ("Pingyim", "mark", System.BP, ToneStyle.MARKS),
    ("Pingyim", "number", System.BP, ToneStyle.NUMBERS),
    ("Pingyim", "strip", System.BP, ToneStyle.NONE),
    ("Tongiong", "mark", System.TONGIONG, ToneStyle.MARKS),
    ("Tongiong", "number", System.TONGIONG, ToneStyle.NUMBERS),
    ("Tongiong", "strip", System.TONGIONG, ToneStyle.NONE),
    # taibun's IPA "mark" style is superscript pitch numbers, fastpron's NUMBERS.
    ("IPA", "mark", System.IPA, ToneStyle.NUMBERS),
    ("IPA", "strip", System.IPA, ToneStyle.NONE),
]


def lexicon_syllables(path: pathlib.Path) -> list[str]:
    found = set()
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            reading = line.split("\t")[1]
            for token in re.findall(r"(?:--)?[A-Za-z]+[1-9]", reading):
                found.add(token.lower())
    return sorted(found)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip().lower())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2, help="examples per class")
    parser.add_argument("--lexicon", default=str(ROOT / "lexicon_data" / "lexicon.tsv"))
    args = parser.parse_args()
    try:
        from taibun import Converter
    except ImportError:
        print("taibun is not installed: pip install taibun==1.1.8", file=sys.stderr)
        return 2

    syllables = [s for s in lexicon_syllables(pathlib.Path(args.lexicon)) if not s.startswith("--")]
    print(f"{len(syllables)} distinct non-neutral lexicon syllables\n")
    for taibun_system, taibun_format, system, tones in PAIRS:
        converter = Converter(
            system=taibun_system, format=taibun_format, sandhi="none", convert_non_cjk=True, punctuation="none"
        )
        classes = collections.defaultdict(list)
        for syllable in syllables:
            theirs = normalise(converter.get(render_tailo(syllable)))
            ours = render(syllable, system, tones)
            if theirs != ours:
                classes[parse_parts(syllable).final].append((syllable, ours, theirs))
        total = sum(len(v) for v in classes.values())
        print(f"== {taibun_system}/{taibun_format} vs {system.value}/{tones.value}: {total} differ")
        for final, diffs in sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            shown = "; ".join(f"{s}: {o} | taibun {t}" for s, o, t in diffs[: args.examples])
            print(f"   -{final:<6} {len(diffs):4}  {shown}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
