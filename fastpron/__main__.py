"""Command line: ``python -m fastpron`` or ``fastpron``.

Reads UTF-8 text from files, the arguments or standard input and writes one
output line per input line.

    echo 先生講，學生恬恬聽。 | fastpron
    fastpron --system poj --format html 台灣
    fastpron --jobs 2 --format jsonl corpus/*.txt -o corpus.jsonl
    fastpron --lookup 行

Input is read in blocks of whole lines (256 KB for text, 64 KB for the larger
formats); each block is annotated with one core call, which segments it once
and writes every line's output (Annotator.format_lines for the formats other
than text), and written in input order, with ``--jobs N`` by N threads (the
core releases the GIL while it segments and writes a block, in every format).
See docs/corpus.md.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from .lexicon import LexiconError
from .options import Punctuation, Sandhi  # noqa: F401 (re-exported for scripts)
from .systems import Dialect, System, ToneStyle

FORMATS = {
    "text": "romanised text (default)",
    "html": "<ruby> markup",
    "json": 'one JSON object per line: {"text", "tokens"}',
    "jsonl": 'one JSON object per line: {"text", "reading", "tokens"}',
    "tsv": "text<TAB>reading<TAB>tokens (the words, space-separated); \\t \\r \\\\ escaped",
}
EXTENSIONS = {"text": None, "html": ".html", "json": ".jsonl", "jsonl": ".jsonl", "tsv": ".tsv"}
# Bytes of input per block, measured best on 10-50 MB of short lines: text output is
# about the input's size; HTML and JSON are 20-40 times larger, and a block's output
# should stay about the size of a core's cache (2 MB here). With --jobs 2, 64 KB
# blocks ran faster than 16 KB ones (fewer hand-overs of the GIL a megabyte), and
# about as fast at one job.
BLOCK_SIZES = {"text": 256 << 10, "html": 64 << 10, "json": 64 << 10, "jsonl": 64 << 10, "tsv": 64 << 10}
PROGRESS_DELAY = float(os.environ.get("FASTPRON_PROGRESS_DELAY", "0.5"))   # seconds before a bar shows
SHOWN_BAD_LINES = 10


class InputError(Exception):
    """Input that stops the run (exit status 1), with the message to print."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fastpron",
        description="Annotate Taiwanese Hokkien Han text with its pronunciation.",
        epilog="Arguments that name files (or '-', standard input) are read as UTF-8 text, in order; "
               "other arguments are the text itself; with none, standard input is read. "
               "Each input line gives one output line.")
    parser.add_argument("inputs", nargs="*", metavar="FILE|TEXT",
                        help="files to annotate ('-' is standard input), or else the text itself")
    parser.add_argument("-f", "--format", choices=list(FORMATS), default="text",
                        help="; ".join(f"{name}: {what}" for name, what in FORMATS.items()))
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
                        help="text, jsonl and tsv readings: keep CJK punctuation instead of writing , . “ ” "
                             "(方音符號 and 十五音 keep it anyway)")
    parser.add_argument("--no-capitalize", action="store_true",
                        help="text, jsonl and tsv readings: no capital letter at the start of sentences")
    parser.add_argument("--convert-romanized", action="store_true",
                        help="text and html formats: rewrite Tâi-lô or POJ words in the input in the chosen "
                             "system (default: leave Latin text as it is)")
    parser.add_argument("--lexicon", metavar="TSV", help="use another lexicon TSV (same columns as lexicon_data/lexicon.tsv)")
    parser.add_argument("--user-dict", metavar="TSV", action="append", default=[],
                        help="user dictionary: lines 'word<TAB>reading', or 'word<TAB>-' to hide a word; "
                             "may be repeated")
    parser.add_argument("--lookup", metavar="KEY", help="print every reading of a character or word and exit")
    corpus = parser.add_argument_group("files and corpora")
    where = corpus.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="write the output here (default: standard output)")
    where.add_argument("--output-dir", metavar="DIR",
                       help="write one output file per input FILE into DIR, with the input's name "
                            "(its extension changed to .html, .jsonl or .tsv for those formats)")
    corpus.add_argument("-j", "--jobs", type=_positive_int, default=1, metavar="N",
                        help="annotate with N threads (0: one per core), in every format; the output stays "
                             "in input order")
    corpus.add_argument("--errors", choices=["strict", "replace"], default="strict",
                        help="a line that is not UTF-8: strict stops with its file and line number (default); "
                             "replace reads it with U+FFFD and counts it in a summary at the end")
    corpus.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar (it is shown only when standard error is a terminal that "
                             "the output does not go to, after half a second)")
    corpus.add_argument("--block-size", type=_at_least_one, metavar="BYTES",
                        help=f"bytes of input per block (default: {BLOCK_SIZES['text']} for text, "
                             f"{BLOCK_SIZES['html']} for the other formats); a longer line makes a longer block")
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, not {number}")
    return number


def _at_least_one(value: str) -> int:
    number = _positive_int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, not {number}")
    return number


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


# ---------------------------------------------------------------- rendering a block


class Renderer:
    """Turns a block of whole lines (str, each ending with a newline, no CR before it;
    or, when `reads_bytes`, the block's UTF-8 bytes) into the output for those lines,
    one output line per input line, as UTF-8 bytes."""

    def __init__(self, annotator, args):
        self.annotator = annotator
        self.format = args.format
        self.options = dict(capitalize=not args.no_capitalize, punctuation="keep" if args.keep_punctuation else None)
        if args.convert_romanized:
            self.options["romanized"] = "convert"
        # format_lines writes exactly one newline a line, or raises: its output's lines
        # need no counting (under the GIL, over output 20 to 40 times the input's size).
        self.counted = self.format != "text"
        # ... and it reads the block's bytes, as a text file holds them (lines ending
        # in LF or CR LF): but with --convert-romanized, which rewrites the str first.
        self.reads_bytes = self.counted and not args.convert_romanized

    def __call__(self, block: str | bytes) -> bytes:
        if self.format == "text":
            # A newline is a hard boundary for the core: no word, tone group, capital or
            # space crosses it, so the block's output is the lines' outputs, newlines kept
            # (tests/test_batch.py checks it line by line).
            return self.annotator.romanize(block, **self.options).encode("utf-8")
        # The other formats: one core call for the block too, which segments it once
        # and writes each line's output without the GIL (Annotator.format_lines).
        return self.annotator.format_lines(block, self.format, **self.options)


# ---------------------------------------------------------------- reading blocks


class Source:
    """One input: a file, standard input, or the text of the arguments."""

    def __init__(self, name: str, path: str | None = None, data: bytes | None = None):
        self.name, self.path, self.data = name, path, data

    def size(self) -> int | None:
        if self.data is not None:
            return len(self.data)
        try:
            stat = os.stat(self.path) if self.path is not None else os.fstat(sys.stdin.fileno())
        except (OSError, ValueError, AttributeError):
            return None
        import stat as _stat
        return stat.st_size if _stat.S_ISREG(stat.st_mode) else None

    def blocks(self, block_size: int):
        """Blocks of whole lines, each ending with b"\\n" (one is added to a last line without it)."""
        if self.data is not None:
            if self.data:
                yield self.data if self.data.endswith(b"\n") else self.data + b"\n"
            return
        if self.path is not None:
            with open(self.path, "rb") as f:
                yield from _cut(lambda: f.read(block_size))
            return
        stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        regular = self.size() is not None
        # From a pipe or a terminal, whatever has arrived: a slow producer's lines come out as they come.
        read = (lambda: stdin.read(block_size)) if regular or not hasattr(stdin, "read1") else \
            (lambda: stdin.read1(block_size))
        yield from _cut(read)


def _cut(read):
    rest: list[bytes] = []
    while True:
        chunk = read()
        if not chunk:
            break
        cut = chunk.rfind(b"\n") + 1
        if cut == 0:                        # no line end yet: a long line, keep reading
            rest.append(chunk)
            continue
        if rest:
            rest.append(chunk[:cut])
            yield b"".join(rest)
        else:
            yield chunk[:cut] if cut < len(chunk) else chunk
        rest = [chunk[cut:]] if cut < len(chunk) else []
    if rest:
        yield b"".join(rest) + b"\n"


# ---------------------------------------------------------------- one block's work


class Result:
    __slots__ = ("output", "lines", "replaced", "error")

    def __init__(self, output: bytes, lines: int, replaced=(), error=None):
        self.output, self.lines, self.replaced, self.error = output, lines, replaced, error


def process(render: Renderer, block: bytes, errors: str) -> Result:
    """Decode, annotate and encode one block of whole lines."""
    if render.reads_bytes:
        # The core decodes the block itself, without the GIL (decoding is most of what
        # a thread does with the GIL held); a block that is not UTF-8 goes the way
        # below, which says where, or replaces the bad lines.
        try:
            return Result(render(block), block.count(b"\n"))
        except UnicodeDecodeError:
            pass
    replaced: list[int] = []
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as err:
        if errors == "strict":
            start = block.rfind(b"\n", 0, err.start) + 1
            done = block.count(b"\n", 0, start)
            bad = (done, err.start - start, block[err.start:err.start + 1])   # line in block, byte in line
            return Result(process(render, block[:start], errors).output if start else b"", done, error=bad)
        parts = []
        for number, line in enumerate(block.split(b"\n")[:-1]):
            try:
                parts.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                parts.append(line.decode("utf-8", "replace"))
                replaced.append(number)
        text = "\n".join(parts) + "\n"
    if b"\r" in block:                       # (memchr on the bytes: quicker than on the str)
        text = text.replace("\r\n", "\n")   # one CR before each line end, as a text file's line ends
    # Counted on the str, whose code units for Han text are a third of the bytes: this
    # and the decoding are what a thread does with the GIL held.
    lines = text.count("\n")
    output = render(text)
    if not render.counted:
        written = output.count(b"\n")
        if written != lines:                # never expected: say so rather than lose a line
            raise RuntimeError(f"{lines} lines in, {written} out; please report this")
    return Result(output, lines, replaced)


# ---------------------------------------------------------------- progress


class Progress:
    """A line on standard error: bytes, rate and ETA, redrawn at most 5 times a second."""

    def __init__(self, total: int | None, enabled: bool):
        self.total, self.enabled = total, enabled
        self.done = 0
        self.start = self.drawn = time.monotonic()
        self.shown = False

    def advance(self, nbytes: int) -> None:
        self.done += nbytes
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start >= PROGRESS_DELAY and (now - self.drawn >= 0.2 or not self.shown):
            self.draw(now)

    def draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        line = f"fastpron: {_size(self.done)}"
        if self.total:
            fraction = min(self.done / self.total, 1.0)
            filled = int(24 * fraction)
            eta = (self.total - self.done) / rate if rate > 0 else 0
            line += (f" of {_size(self.total)} |{'#' * filled}{'.' * (24 - filled)}| {100 * fraction:3.0f}%"
                     f", {_size(rate)}/s, ETA {_clock(eta)}")
        else:
            line += f", {_size(rate)}/s, {_clock(elapsed)}"
        sys.stderr.write("\r" + line + "\x1b[K")
        sys.stderr.flush()
        self.drawn, self.shown = now, True

    def close(self) -> None:
        """The last figures and a line end, once, if the bar was ever drawn."""
        if self.shown:
            self.draw(time.monotonic())
            sys.stderr.write("\n")
            sys.stderr.flush()
        self.enabled = self.shown = False


def _size(n: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


# ---------------------------------------------------------------- the run


def run(sources: list[Source], outputs, render: Renderer, args) -> int:
    """Annotate every source, in order, into outputs(index) (an open binary file per source)."""
    jobs = args.jobs or os.cpu_count() or 1
    block_size = args.block_size or BLOCK_SIZES[args.format]
    sizes = [source.size() for source in sources]
    progress = Progress(None if None in sizes else sum(sizes), not args.quiet and _is_terminal(sys.stderr) and not (
        args.output in (None, "-") and args.output_dir is None and _is_terminal(sys.stdout)))
    replaced: list[tuple[str, int]] = []
    pool = ThreadPoolExecutor(jobs) if jobs > 1 else None
    pending: collections.deque = collections.deque()
    current = {"index": -1, "out": None, "line": 1}

    def work():
        for index, source in enumerate(sources):
            for block in source.blocks(block_size):
                if pool is None:
                    yield index, len(block), process(render, block, args.errors)
                else:
                    yield index, len(block), pool.submit(process, render, block, args.errors)
            yield index, 0, None                            # the end of a source

    def finish(index, nbytes, result) -> int | None:
        if current["index"] != index:
            if current["out"] is not None:
                current["out"].close_source()
            current["index"], current["out"], current["line"] = index, outputs(index), 1
        if result is None:
            return None
        if not isinstance(result, Result):
            result = result.result()
        first_line = current["line"]                        # the block's first line number in its source
        current["line"] += result.lines
        if result.output:
            current["out"].write(result.output)
        replaced.extend((sources[index].name, first_line + k) for k in result.replaced)
        progress.advance(nbytes)
        if result.error is not None:
            line, column, byte = result.error
            where = "input line" if sources[index].path is None else f"{sources[index].name}: input line"
            progress.close()
            print(f"fastpron: {where} {first_line + line} is not valid UTF-8 (byte {column}: {byte!r}); "
                  f"convert it with e.g. `iconv -f BIG5 -t UTF-8`, or pass --errors replace to read it "
                  f"with replacement characters", file=sys.stderr)
            return 1
        return None

    try:
        for item in work():
            if pool is None:
                status = finish(*item)
                if status is not None:
                    return status
                continue
            pending.append(item)
            while len(pending) > 2 * jobs:
                status = finish(*pending.popleft())
                if status is not None:
                    return status
        while pending:
            status = finish(*pending.popleft())
            if status is not None:
                return status
        if current["out"] is not None:
            current["out"].close_source()
            current["out"] = None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if current["out"] is not None and not current["out"].keep_open:
            current["out"].stream.close()           # a stopped run's file of --output-dir
        progress.close()
    if replaced:
        shown = ", ".join(f"{name}:{number}" if name else f"line {number}" for name, number in replaced[:SHOWN_BAD_LINES])
        more = f" and {len(replaced) - SHOWN_BAD_LINES} more" if len(replaced) > SHOWN_BAD_LINES else ""
        print(f"fastpron: {len(replaced)} line{'s' if len(replaced) != 1 else ''} not valid UTF-8, "
              f"read with replacement characters (U+FFFD): {shown}{more}", file=sys.stderr)
    return 0


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


class Output:
    """Where one source's output goes: a file of --output-dir, or the shared output."""

    def __init__(self, stream, path: str | None = None, encoding: str | None = "utf-8", keep_open: bool = False):
        # encoding None: a text stream (sys.stdout replaced by a StringIO, say), written str
        self.stream, self.path, self.keep_open = stream, path, keep_open
        self.text = encoding is None
        self.transcode = not self.text and encoding.replace("_", "-").lower() not in ("utf-8", "utf8")
        self.encoding = encoding
        self.interactive = keep_open and not path

    def write(self, data: bytes) -> None:
        if self.text:
            self.stream.write(data.decode("utf-8"))
        elif self.transcode:
            self.stream.write(data.decode("utf-8").encode(self.encoding))
        else:
            self.stream.write(data)
        if self.interactive:
            self.stream.flush()

    def close_source(self) -> None:
        if self.keep_open:
            self.stream.flush()
        else:
            self.stream.close()


def _looks_like_a_file(arg: str) -> bool:
    return arg.isascii() and " " not in arg and ("/" in arg or re.search(r"\.[A-Za-z0-9]{1,5}$", arg) is not None)


def _sources(parser, args) -> list[Source]:
    if args.output_dir is not None:
        if not args.inputs:
            parser.error("--output-dir needs input FILEs (standard input has no name to write)")
        files = args.inputs
    elif not args.inputs:
        return [Source("", None)]
    elif any(arg == "-" or os.path.exists(arg) for arg in args.inputs):
        files = args.inputs
    else:
        guessed = [arg for arg in args.inputs if _looks_like_a_file(arg)]
        if guessed:
            print(f"fastpron: no file named {guessed[0]!r}: annotating the arguments as text", file=sys.stderr)
        text = " ".join(args.inputs).encode("utf-8", "surrogateescape")
        return [Source("", data=text)]
    sources = []
    for arg in files:
        if arg == "-":
            if args.output_dir is not None:
                parser.error("--output-dir needs input FILEs, not '-'")
            sources.append(Source("", None))
        elif os.path.isdir(arg):
            raise InputError(f"{arg} is a directory; give the files in it, e.g. {arg.rstrip('/')}/*.txt")
        elif not os.path.exists(arg):
            raise InputError(f"{arg}: no such file")
        elif not os.access(arg, os.R_OK):
            raise InputError(f"{arg}: not readable")
        else:
            sources.append(Source(arg, arg))
    return sources


def _outputs(sources: list[Source], args):
    """outputs(index) -> Output, and the list of output files to check beforehand."""
    if args.output_dir is not None:
        os.makedirs(args.output_dir, exist_ok=True)
        names = {}
        for source in sources:
            base = os.path.basename(source.path)
            extension = EXTENSIONS[args.format]
            if extension:
                base = os.path.splitext(base)[0] + extension
            target = os.path.join(args.output_dir, base)
            if target in names.values():
                raise InputError(f"two inputs would both be written to {target}; rename one, or run once per folder")
            if os.path.exists(target) and os.path.samefile(target, source.path):
                raise InputError(f"{source.path} would be overwritten by its own output; choose another --output-dir")
            names[source.path] = target
        return (lambda index: Output(open(names[sources[index].path], "wb"), names[sources[index].path])), None
    if args.output is not None and args.output != "-":
        for source in sources:
            if source.path and os.path.exists(args.output) and os.path.samefile(args.output, source.path):
                raise InputError(f"{source.path} would be overwritten by the output; choose another -o")
        shared = Output(open(args.output, "wb"), args.output, keep_open=True)
    else:
        if hasattr(sys.stdout, "buffer"):
            sys.stdout.flush()                      # what was printed before goes first
            shared = Output(sys.stdout.buffer, None, getattr(sys.stdout, "encoding", None) or "utf-8",
                            keep_open=True)
        else:
            shared = Output(sys.stdout, None, None, keep_open=True)
    return (lambda index: shared), shared


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.convert_romanized and args.format in ("json", "jsonl", "tsv"):
        parser.error(f"--convert-romanized works with --format text or html: {args.format} tokens keep the "
                     "input's offsets")
    from .annotator import Annotator

    options = dict(system=args.system, tones=args.tones, sandhi=args.sandhi, dialect=args.dialect)
    try:
        annotator = Annotator(lexicon=args.lexicon, **options)
        for path in args.user_dict:
            annotator.update_user_dictionary(read_user_dict(path), replace=False)
    except (LexiconError, OSError, ValueError) as err:
        print(f"fastpron: {err}", file=sys.stderr)
        return 1

    if args.lookup is not None:
        readings = annotator.lookup(args.lookup)
        if not readings:
            print(f"fastpron: no reading of {args.lookup!r} in the lexicon", file=sys.stderr)
            return 1
        for numbered in readings:
            shown = "  ".join(f"{s.value}={annotator.render_reading(numbered, system=s)}" for s in System)
            sys.stdout.write(f"{args.lookup}\t{numbered}\t{shown}\n")
        return 0

    try:
        sources = _sources(parser, args)
        outputs, shared = _outputs(sources, args)
        try:
            return run(sources, outputs, Renderer(annotator, args), args)
        finally:
            if shared is not None and shared.path is not None:
                shared.stream.close()
    except InputError as err:
        print(f"fastpron: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        if isinstance(err, BrokenPipeError):
            # The reader went away (`fastpron big.txt | head`): stop quietly, and let the
            # interpreter's last flush go nowhere.
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            return 0
        print(f"fastpron: {err}", file=sys.stderr)
        return 1
    except UnicodeEncodeError as err:
        print(f"fastpron: cannot write the output in this terminal's encoding: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nfastpron: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
