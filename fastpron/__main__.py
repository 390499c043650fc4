"""Command line: ``python -m fastpron`` or ``fastpron``.

Reads UTF-8 text from the arguments or from standard input and writes one
output line per input line.

    echo 先生講，學生恬恬聽。 | fastpron
    fastpron --system poj --format html 台灣
    fastpron --lookup 行
"""

from __future__ import annotations

import argparse
import json
import sys

from .lexicon import LexiconError
from .options import Punctuation, Sandhi
from .systems import Dialect, System, ToneStyle


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fastpron",
        description="Annotate Taiwanese Hokkien Han text with its pronunciation.",
        epilog="Input is UTF-8 text, from the TEXT arguments or else standard input; "
               "each input line gives one output line.")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="text to annotate (default: read standard input)")
    parser.add_argument("-f", "--format", choices=["text", "html", "json"], default="text",
                        help="text: romanised (default); html: <ruby> markup; json: one JSON object per line")
    parser.add_argument("-s", "--system", default="tl", choices=[s.value for s in System],
                        help="phonetic system (default: tl, Tâi-lô)")
    parser.add_argument("-t", "--tones", default="marks", choices=[t.value for t in ToneStyle],
                        help="tone style (default: marks)")
    parser.add_argument("--sandhi", default="none", choices=[s.value for s in Sandhi],
                        help="none: citation tones (default); auto: spoken tones")
    parser.add_argument("--dialect", default="usual", choices=["usual"] + [d.value for d in Dialect],
                        help="south/north (漳/泉) alternants: usual (default, as the lexicon writes each word), "
                             "south or north")
    parser.add_argument("--keep-punctuation", action="store_true",
                        help="text format: keep CJK punctuation instead of writing , . “ ” (方音符號 and 十五音 keep it anyway)")
    parser.add_argument("--no-capitalize", action="store_true",
                        help="text format: no capital letter at the start of sentences")
    parser.add_argument("--convert-romanized", action="store_true",
                        help="text and html formats: rewrite Tâi-lô or POJ words in the input in the chosen "
                             "system (default: leave Latin text as it is)")
    parser.add_argument("--lexicon", metavar="TSV", help="use another lexicon TSV (same columns as lexicon_data/lexicon.tsv)")
    parser.add_argument("--user-dict", metavar="TSV", action="append", default=[],
                        help="user dictionary: lines 'word<TAB>reading', or 'word<TAB>-' to hide a word; "
                             "may be repeated")
    parser.add_argument("--lookup", metavar="KEY", help="print every reading of a character or word and exit")
    return parser


def read_user_dict(path: str) -> dict[str, list[str] | None]:
    """Lines 'word<TAB>reading' (a word may have several lines), or 'word<TAB>-' to hide
    a lexicon word; '#' starts a comment line; a 'hanji' header line is skipped."""
    entries: dict[str, list[str] | None] = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if fields[0] == "hanji":
                continue
            if len(fields) < 2 or not fields[1].strip():
                raise ValueError(f"{path}:{number}: expected 'word<TAB>reading' or 'word<TAB>-'")
            if fields[1].strip() == "-":
                entries[fields[0]] = None
            else:
                readings = entries.get(fields[0]) or []
                entries[fields[0]] = readings + [fields[1]]
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.convert_romanized and args.format == "json":
        parser.error("--convert-romanized works with --format text or html: json tokens keep the input's offsets")
    from .annotator import Annotator

    options = dict(system=args.system, tones=args.tones, sandhi=args.sandhi, dialect=args.dialect)
    try:
        annotator = Annotator(lexicon=args.lexicon, **options)
        for path in args.user_dict:
            annotator.update_user_dictionary(read_user_dict(path), replace=False)
    except (LexiconError, OSError, ValueError) as err:
        print(f"fastpron: {err}", file=sys.stderr)
        return 1

    out = sys.stdout
    if args.lookup is not None:
        readings = annotator.lookup(args.lookup)
        if not readings:
            print(f"fastpron: no reading of {args.lookup!r} in the lexicon", file=sys.stderr)
            return 1
        for numbered in readings:
            shown = "  ".join(f"{s.value}={annotator.render_reading(numbered, system=s)}" for s in System)
            out.write(f"{args.lookup}\t{numbered}\t{shown}\n")
        return 0

    romanize_options = dict(capitalize=not args.no_capitalize,
                            punctuation="keep" if args.keep_punctuation else None)
    converting = dict(romanized="convert") if args.convert_romanized else {}
    stdin = None
    if not args.text:
        stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
    line_number = 0
    try:
        for raw in ([" ".join(args.text)] if args.text else stdin):
            line_number += 1
            if isinstance(raw, bytes):
                try:
                    raw = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    print(f"fastpron: input line {line_number} is not valid UTF-8 "
                          f"(byte {err.start}: {raw[err.start:err.start + 1]!r}); convert it with e.g. "
                          f"`iconv -f BIG5 -t UTF-8`", file=sys.stderr)
                    return 1
            line = raw[:-1] if raw.endswith("\n") else raw
            line = line[:-1] if line.endswith("\r") else line
            if args.format == "text":
                result = annotator.romanize(line, **romanize_options, **converting)
            elif args.format == "html":
                result = annotator.to_html(line, **converting)
            else:
                result = f'{{"text": {json.dumps(line, ensure_ascii=False)}, "tokens": {annotator.to_json(line)}}}'
            out.write(result + "\n")
    except BrokenPipeError:
        return 0
    except UnicodeEncodeError as err:
        print(f"fastpron: cannot write the output in this terminal's encoding: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
