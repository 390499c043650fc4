"""``python -m fastpron.compile [TSV] [-o OUT]``: compile the lexicon for the core.

The core does this by itself when the compiled file is missing or older
than the TSV; this command does it ahead of time (``make`` runs it).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from .lexicon import DEFAULT_BINARY, DEFAULT_TSV, LexiconError, compile_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fastpron.compile",
                                     description="Compile lexicon_data/lexicon.tsv for the fastpron core.")
    parser.add_argument("tsv", nargs="?", type=pathlib.Path, default=DEFAULT_TSV)
    parser.add_argument("-o", "--out", type=pathlib.Path, default=DEFAULT_BINARY)
    args = parser.parse_args(argv)
    try:
        out = compile_file(args.tsv, args.out)
    except (LexiconError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"compiled {args.tsv} -> {out} ({out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
