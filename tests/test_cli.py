"""The command line, run as a real subprocess."""

import json
import subprocess
import sys

import pytest


def run(*args, stdin: bytes = b""):
    return subprocess.run([sys.executable, "-m", "fastpron", *args], input=stdin,
                          capture_output=True, timeout=60)


def test_stdin_one_line_out_per_line_in():
    result = run(stdin="先生講，學生恬恬聽。\n\n台灣\n".encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "Sian-sinn kóng, ha̍k-sing tiām-tiām thiann.\n\nTâi-uân\n"


def test_text_arguments_and_options():
    result = run("--system", "poj", "--tones", "numbers", "台灣")
    assert result.stdout.decode() == "Tai5-oan5\n"
    assert run("--sandhi", "auto", "台灣").stdout.decode() == "Tāi-uân\n"
    assert run("--keep-punctuation", "--no-capitalize", "先生。").stdout.decode() == "sian-sinn。\n"


def test_html_and_json_formats():
    html = run("--format", "html", "台<").stdout.decode()
    assert html == '<span class="fp-char" data-start="0"><ruby>台<rp>(</rp><rt>tâi</rt><rp>)</rp></ruby></span>&lt;\n'
    line = run("-f", "json", "行路").stdout.decode()
    assert json.loads(line) == {"text": "行路", "tokens": [
        {"text": "行路", "reading": "kiânn-lōo", "syllables": ["kiânn", "lōo"], "alternatives": [],
         "kind": "word", "start": 0, "end": 2, "choice": 0}]}


def test_lookup():
    result = run("--lookup", "台灣")
    assert result.stdout.decode().startswith("台灣\tTai5-uan5\ttl=Tâi-uân  poj=Tâi-oân  tlpa=Tai5-uan5")
    missing = run("--lookup", "𠔜")
    assert missing.returncode == 1 and "no reading of '𠔜'" in missing.stderr.decode()


def test_user_dictionary_file(tmp_path):
    user = tmp_path / "user.tsv"
    user.write_text("# my words\n𠔜𠔜\ttâ-tâ\n", encoding="utf-8")
    assert run("--user-dict", str(user), "𠔜𠔜").stdout.decode() == "Tâ-tâ\n"
    user.write_text("𠔜𠔜\n", encoding="utf-8")
    bad = run("--user-dict", str(user), "𠔜𠔜")
    assert bad.returncode == 1 and "expected 'word<TAB>reading' or 'word<TAB>-'" in bad.stderr.decode()
    user.write_text("台灣\t-\n", encoding="utf-8")
    assert run("--user-dict", str(user), "台灣").stdout.decode() == "Tâi uan\n"    # the word hidden: two characters


def test_invalid_utf8_is_a_clear_error():
    result = run(stdin="台灣\n".encode() + b"\xff\xfe\n")
    assert result.returncode == 1
    assert result.stdout.decode() == "Tâi-uân\n"
    assert "input line 2 is not valid UTF-8" in result.stderr.decode()


@pytest.mark.parametrize("args, message", [
    (["--system", "klingon"], "invalid choice: 'klingon'"),
    (["--colour"], "unrecognized arguments: --colour"),
    (["--format", "pdf"], "invalid choice: 'pdf'"),
])
def test_bad_options_exit_2(args, message):
    result = run(*args, "台灣")
    assert result.returncode == 2
    assert message in result.stderr.decode()


def test_missing_lexicon_file(tmp_path):
    result = run("--lexicon", str(tmp_path / "none.tsv"), "台灣")
    assert result.returncode == 1 and "does not exist" in result.stderr.decode()


# ---------------------------------------------------------------- corpus scale (issue 18)

import os
import pathlib
import pty

from fastpron.__main__ import main as cli_main

ROOT = pathlib.Path(__file__).resolve().parent.parent


def corpus_lines() -> list[str]:
    from test_batch import sample_lines
    return [line for line in sample_lines() if "\ud800" not in line and "\r" not in line]


def per_line(lines: list[str], fmt: str, options: dict) -> str:
    """What the command line wrote before block processing: one annotator call per line."""
    import fastpron
    annotator = fastpron.Annotator(**{k: v for k, v in options.items() if k in ("system", "tones", "sandhi")})
    romanize_options = {k: v for k, v in options.items() if k in ("capitalize", "punctuation", "romanized")}
    escape = {"\\": "\\\\", "\t": "\\t", "\r": "\\r"}
    out = []
    for line in lines:
        if fmt == "text":
            out.append(annotator.romanize(line, **romanize_options))
        elif fmt == "html":
            out.append(annotator.to_html(line, **{k: v for k, v in romanize_options.items() if k == "romanized"}))
        elif fmt == "json":
            out.append(f'{{"text": {json.dumps(line, ensure_ascii=False)}, "tokens": {annotator.to_json(line)}}}')
        elif fmt == "jsonl":
            reading = json.dumps(annotator.romanize(line, **romanize_options), ensure_ascii=False)
            out.append(f'{{"text": {json.dumps(line, ensure_ascii=False)}, "reading": {reading}, '
                       f'"tokens": {annotator.to_json(line)}}}')
        else:
            words = [w for t in annotator.annotate(line) for w in (t.text.split() if t.kind == "other" else [t.text])]
            out.append("\t".join("".join(escape.get(c, c) for c in field)
                                 for field in (line, annotator.romanize(line, **romanize_options), " ".join(words))))
    return "".join(line + "\n" for line in out)


CLI_OPTIONS = [
    ([], {}),
    (["--system", "poj", "--sandhi", "auto"], {"system": "poj", "sandhi": "auto"}),
    (["--no-capitalize", "--keep-punctuation", "--tones", "numbers"],
     {"capitalize": False, "punctuation": "keep", "tones": "numbers"}),
    (["--convert-romanized"], {"romanized": "convert"}),
]


@pytest.mark.parametrize("fmt, args, options", [
    (fmt, args, options) for fmt in ("text", "html", "json", "jsonl", "tsv") for args, options in CLI_OPTIONS
    if not (fmt in ("json", "jsonl", "tsv") and "romanized" in options)])   # they reject --convert-romanized
def test_blocks_and_jobs_write_what_one_call_per_line_wrote(tmp_path, fmt, args, options):
    """Byte for byte, whatever the block size and the number of jobs: one core call a
    block (one segmentation, every line written from its tokens) is one call a line."""
    lines = corpus_lines() * 3
    source = tmp_path / "in.txt"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    expected = per_line(lines, fmt, options)
    for extra in ([], ["--block-size", "7", "--jobs", "2"], ["--block-size", "300", "--jobs", "3"]):
        out = tmp_path / "out"
        assert cli_main(["-f", fmt, *args, *extra, str(source), "-o", str(out)]) == 0
        assert out.read_text(encoding="utf-8") == expected, extra


def test_jsonl_and_tsv_in_blocks_and_jobs_are_the_library_per_line(tmp_path):
    import fastpron
    annotator = fastpron.Annotator(system="poj", sandhi="auto")
    lines = corpus_lines() * 2
    source = tmp_path / "in.txt"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    escape = {"\\": "\\\\", "\t": "\\t", "\r": "\\r"}
    rows = [{"text": line, "reading": annotator.romanize(line, capitalize=False),
             "tokens": json.loads(annotator.to_json(line))} for line in lines]
    # as the command line writes them: json.dumps' separators around the core's compact arrays
    jsonl = "".join(f'{{"text": {json.dumps(line, ensure_ascii=False)}, "reading": '
                    f'{json.dumps(row["reading"], ensure_ascii=False)}, "tokens": {annotator.to_json(line)}}}\n'
                    for line, row in zip(lines, rows))
    tsv = "".join("\t".join("".join(escape.get(c, c) for c in field) for field in (
        line, annotator.romanize(line, capitalize=False),
        " ".join(w for t in annotator.annotate(line) for w in (t.text.split() if t.kind == "other" else [t.text]))))
        + "\n" for line in lines)
    for extra in ([], ["--block-size", "5", "--jobs", "2"], ["--block-size", "200", "--jobs", "3"]):
        out = tmp_path / "out"
        assert cli_main(["-f", "jsonl", "-s", "poj", "--sandhi", "auto", "--no-capitalize", *extra, str(source),
                         "-o", str(out)]) == 0
        assert out.read_bytes().decode() == jsonl, extra
        assert [json.loads(row) for row in jsonl.split("\n")[:-1]] == rows
        assert cli_main(["-f", "tsv", "-s", "poj", "--sandhi", "auto", "--no-capitalize", *extra, str(source),
                         "-o", str(out)]) == 0
        assert out.read_bytes().decode() == tsv, extra


def test_crlf_and_a_last_line_without_newline(tmp_path):
    source = tmp_path / "in.txt"
    source.write_bytes("台灣\r\n先生\r\r\n\r\n行路".encode())
    out = tmp_path / "out"
    for block_size in ("1", "3", "1000"):
        assert cli_main(["--block-size", block_size, str(source), "-o", str(out)]) == 0
        assert out.read_bytes().decode() == "Tâi-uân\nSian-sinn\r\n\nKiânn-lōo\n"
    assert run(stdin=b"").stdout == b""
    assert run(stdin="台灣".encode()).stdout.decode() == "Tâi-uân\n"


def test_jsonl_and_tsv_formats():
    stdin = "行路。\n\n台\t灣 abc\\\n".encode()
    result = run("-f", "jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert rows == [
        {"text": "行路。", "reading": "Kiânn-lōo.", "tokens": [
            {"text": "行路", "reading": "kiânn-lōo", "syllables": ["kiânn", "lōo"], "alternatives": [],
             "kind": "word", "start": 0, "end": 2, "choice": 0},
            {"text": "。", "reading": None, "syllables": [], "alternatives": [], "kind": "other",
             "start": 2, "end": 3, "choice": 0}]},
        {"text": "", "reading": "", "tokens": []},
        {"text": "台\t灣 abc\\", "reading": "Tâi\tuan abc\\", "tokens": [
            {"text": "台", "reading": "tâi", "syllables": ["tâi"], "alternatives": [], "kind": "char",
             "start": 0, "end": 1, "choice": 0},
            {"text": "\t", "reading": None, "syllables": [], "alternatives": [], "kind": "other",
             "start": 1, "end": 2, "choice": 0},
            {"text": "灣", "reading": "uan", "syllables": ["uan"], "alternatives": ["uân"], "kind": "char",
             "start": 2, "end": 3, "choice": 0},
            {"text": " abc\\", "reading": None, "syllables": [], "alternatives": [], "kind": "other",
             "start": 3, "end": 8, "choice": 0}]},
    ]
    result = run("-f", "tsv", "--no-capitalize", stdin=stdin + "先生講，「好」\n".encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == (
        "行路。\tkiânn-lōo.\t行路 。\n"
        "\t\t\n"
        "台\\t灣 abc\\\\\ttâi\\tuan abc\\\\\t台 灣 abc\\\\\n"
        "先生講，「好」\tsian-sinn kóng, “hó”\t先生 講 ，「 好 」\n")


def test_files_output_and_output_dir(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("台灣\n先生\n", encoding="utf-8")
    b.write_text("行路\n", encoding="utf-8")
    result = run(str(a), "-", str(b), stdin="銀行\n".encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "Tâi-uân\nSian-sinn\nGîn-hâng\nKiânn-lōo\n"
    out = tmp_path / "all.txt"
    assert run(str(a), str(b), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == "Tâi-uân\nSian-sinn\nKiânn-lōo\n"
    result = run("-f", "tsv", "--output-dir", str(tmp_path / "out"), str(a), str(b))
    assert result.returncode == 0 and result.stdout == b"", result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.tsv", "b.tsv"]
    assert (tmp_path / "out" / "b.tsv").read_text(encoding="utf-8") == "行路\tKiânn-lōo\t行路\n"
    assert run("--output-dir", str(tmp_path / "txt"), str(a)).returncode == 0
    assert (tmp_path / "txt" / "a.txt").read_text(encoding="utf-8") == "Tâi-uân\nSian-sinn\n"


@pytest.mark.parametrize("args, message", [
    (["{a}", "{missing}"], "{missing}: no such file"),
    (["{dir}"], "is a directory"),
    (["{a}", "-o", "{a}"], "would be overwritten by the output"),
    (["--output-dir", "{dir}", "{a}"], "would be overwritten by its own output"),
    (["--output-dir", "{out}", "{a}", "{dir}/sub/a.txt"], "two inputs would both be written to"),
])
def test_file_errors_exit_1(tmp_path, args, message):
    (tmp_path / "sub").mkdir()
    for path in (tmp_path / "a.txt", tmp_path / "sub" / "a.txt"):
        path.write_text("台灣\n", encoding="utf-8")
    names = dict(a=tmp_path / "a.txt", missing=tmp_path / "missing.txt", dir=tmp_path, out=tmp_path / "out")
    result = run(*[arg.format(**names) for arg in args])
    assert result.returncode == 1, result.stderr
    assert message.format(**names) in result.stderr.decode()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "台灣\n"


@pytest.mark.parametrize("args, message", [
    (["--jobs", "-1"], "expected 0 or more"),
    (["--jobs", "two"], "expected a whole number"),
    (["--block-size", "0"], "expected 1 or more"),
    (["--errors", "ignore"], "invalid choice: 'ignore'"),
    (["-o", "x", "--output-dir", "y"], "not allowed with argument"),
    (["--output-dir", "y"], "--output-dir needs input FILEs"),
    (["-f", "jsonl", "--convert-romanized"], "--convert-romanized works with --format text or html"),
])
def test_bad_corpus_options_exit_2(tmp_path, args, message):
    result = subprocess.run([sys.executable, "-m", "fastpron", *args], input=b"", capture_output=True,
                            timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr.decode() and "usage: fastpron" in result.stderr.decode()


def test_text_argument_that_looks_like_a_missing_file(tmp_path):
    result = subprocess.run([sys.executable, "-m", "fastpron", "corpus.txt"], capture_output=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == "corpus.txt\n"
    assert "no file named 'corpus.txt': annotating the arguments as text" in result.stderr.decode()


def bad_corpus(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("台灣\n" * 50, encoding="utf-8")
    b.write_bytes("先生\n行路\n".encode() + "台".encode() + b"\xff\xfe\n" + "銀行\n".encode() * 20
                  + b"\xe5\xad\n" + "學生".encode())
    return a, b


@pytest.mark.parametrize("extra", [[], ["--jobs", "2", "--block-size", "10"]])
def test_bad_utf8_stops_with_file_and_line(tmp_path, extra):
    a, b = bad_corpus(tmp_path)
    result = run(*extra, str(a), str(b))
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"fastpron: {b}: input line 3 is not valid UTF-8 (byte 3: b'\\xff'); convert it with e.g. "
        "`iconv -f BIG5 -t UTF-8`, or pass --errors replace to read it with replacement characters\n")
    assert result.stdout.decode() == "Tâi-uân\n" * 50 + "Sian-sinn\nKiânn-lōo\n"


@pytest.mark.parametrize("extra", [[], ["--jobs", "2", "--block-size", "10"]])
def test_bad_utf8_replaced_and_counted(tmp_path, extra):
    a, b = bad_corpus(tmp_path)
    result = run("--errors", "replace", *extra, str(a), str(b))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == ("Tâi-uân\n" * 50 + "Sian-sinn\nKiânn-lōo\nTâi��\n" + "Gîn-hâng\n" * 20
                                      + "�\nHa̍k-sing\n")
    assert result.stderr.decode() == (f"fastpron: 2 lines not valid UTF-8, read with replacement characters "
                                      f"(U+FFFD): {b}:3, {b}:24\n")


def test_replace_summary_lists_ten_lines_and_counts_the_rest():
    stdin = b"".join(b"\xff%d\n" % k if k % 3 == 0 else "台灣\n".encode() for k in range(40))
    for extra in ([], ["--jobs", "2", "--block-size", "7"]):
        result = run("--errors", "replace", *extra, stdin=stdin)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().split("\n")[:4] == ["� Khòng", "Tâi-uân", "Tâi-uân", "� Sann"]
        assert result.stdout.count(b"\n") == 40
        assert result.stderr.decode() == (
            "fastpron: 14 lines not valid UTF-8, read with replacement characters (U+FFFD): line 1, line 4, "
            "line 7, line 10, line 13, line 16, line 19, line 22, line 25, line 28 and 4 more\n")


def test_output_line_count_equals_input_line_count(tmp_path):
    import random
    rng = random.Random(18)
    pieces = [b"\n", b"\r\n", b"\r", b"\xff", b"\xe5\xad", "台灣".encode(), "。".encode(), b"a", b" ", b"\x00"]
    data = b"".join(rng.choice(pieces) for _ in range(20000))
    source = tmp_path / "in.bin"
    source.write_bytes(data)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    for fmt in ("text", "html", "json", "jsonl", "tsv"):
        result = run("-f", fmt, "--errors", "replace", "--jobs", "2", "--block-size", "500", str(source))
        assert result.returncode == 0, result.stderr
        assert result.stdout.count(b"\n") == lines, fmt


def run_on_a_terminal(*args, stdout_too=False):
    """Run the command line with standard error (and with `stdout_too` standard output) on a
    pseudo-terminal; return (status, stdout, what the terminal got)."""
    master, slave = pty.openpty()
    env = dict(os.environ, FASTPRON_PROGRESS_DELAY="0")
    process = subprocess.Popen([sys.executable, "-m", "fastpron", *args], stdin=subprocess.DEVNULL,
                               stdout=slave if stdout_too else subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    stdout = b"" if stdout_too else process.stdout.read()
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=60), stdout, b"".join(chunks).decode()


def test_progress_bar_only_on_a_terminal(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("先生講，學生恬恬聽。\n" * 20000, encoding="utf-8")
    size = source.stat().st_size
    status, stdout, stderr = run_on_a_terminal("--block-size", "50000", str(source), "-o", str(tmp_path / "out"))
    assert status == 0
    last = stderr.rstrip("\r\n").split("\r")[-1]
    assert size == 620000
    assert last.startswith(f"fastpron: 620.0 kB of 620.0 kB |{'#' * 24}| 100%, ")
    assert " MB/s, ETA 0:00:00" in last
    assert stderr.endswith("\n")
    status, stdout, stderr = run_on_a_terminal("--quiet", str(source), "-o", str(tmp_path / "out"))
    assert status == 0 and stderr == ""
    status, _, terminal = run_on_a_terminal(str(source), stdout_too=True)      # the output on the same terminal
    assert status == 0 and "fastpron:" not in terminal and "kB" not in terminal
    assert terminal.count("Sian-sinn kóng, ha̍k-sing tiām-tiām thiann.") == 20000
    result = subprocess.run([sys.executable, "-m", "fastpron", str(source), "-o", str(tmp_path / "out")],
                            capture_output=True, env=dict(os.environ, FASTPRON_PROGRESS_DELAY="0"), timeout=60)
    assert result.returncode == 0 and result.stderr == b""
    assert (tmp_path / "out").read_text(encoding="utf-8") == "Sian-sinn kóng, ha̍k-sing tiām-tiām thiann.\n" * 20000


def test_broken_pipe_is_quiet(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("先生講，學生恬恬聽。\n" * 200000, encoding="utf-8")
    shell = f"{sys.executable} -m fastpron --block-size 10000 {source} | head -n 2"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, timeout=60)
    assert result.stdout.decode() == "Sian-sinn kóng, ha̍k-sing tiām-tiām thiann.\n" * 2
    assert result.stderr == b""
