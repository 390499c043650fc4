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
