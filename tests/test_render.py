"""Annotator.render: several outputs from one segmentation, each equal to its separate call."""

import pathlib
import threading

import pytest

import fastpron
from fastpron import Annotator

SAMPLE = pathlib.Path(__file__).resolve().parent.parent / "benchmarks" / "sample_article.txt"

TEXTS = [
    SAMPLE.read_text(encoding="utf-8"),
    "我行路去銀行。\n\n台灣",
    "先生講：「好。」伊講，學生恬恬聽！",
    "2024年3月5日，一百兩千人，第1名，3.5%，10點30分。",            # numbers
    "我愛 Tâi-uân, chia̍h-pn̄g 未? tsiah8 Tsia̍h-pn̄g",                 # romanised words
    "\ud800台\udfff灣 <b>&\"' \0 𠔜 a\u0301 \U00020000台",                # escapes, surrogates, astral
    "",
]
OPTION_SETS = [
    {},
    {"sandhi": "auto"},
    {"system": "poj", "dialect": "north"},
    {"system": "tps", "tones": "numbers"},
    {"system": "sni", "sandhi": "auto"},
    {"system": "ipa", "tones": "none", "dialect": "south"},
    {"capitalize": False, "punctuation": "keep"},
    {"system": "tlpa", "punctuation": "latin"},
]


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


def picks_for(annotator, text):
    """Picks of the last reading for every other word with several readings, and one that matches nothing."""
    tokens = [t for t in annotator.annotate(text) if t.alternatives]
    return {**{t.start: len(t.alternatives) for t in tokens[::2]}, len(text) + 5: 1}


def separate(annotator, text, picks, options, second):
    """What the result page computed before: one call per output."""
    return (annotator.to_html(text, picks=picks, **options),
            annotator.annotate(text, picks=picks, **options),
            annotator.romanize(text, picks=picks, **options),
            annotator.to_json(text, picks=picks, **options),
            annotator.to_html(text, picks=picks, **{**options, "system": second}))


def astuples(result):
    return [token.astuple() for token in result] if isinstance(result, list) else result


@pytest.mark.parametrize("options", OPTION_SETS)
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
@pytest.mark.parametrize("with_picks", [False, True], ids=["no picks", "picks"])
def test_render_equals_the_separate_calls(annotator, text, options, with_picks):
    picks = picks_for(annotator, text) if with_picks else None
    second = "poj" if options.get("system") != "poj" else "tps"
    together = annotator.render(text, "html", "tokens", "text", "json", ("html", {"system": second}),
                                picks=picks, **options)
    assert type(together) is tuple and len(together) == 5
    expected = separate(annotator, text, picks, options, second)
    for got, want in zip(together, expected):
        assert type(got) is type(want)
        assert astuples(got) == astuples(want)


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_render_json_arguments_equal_to_json(annotator, text):
    wrapped = {"text_key": "surface", "as_bytes": True, "prefix": b'{"tokens":', "suffix": b"}"}
    got = annotator.render(text, ("json", wrapped), ("json", {"as_bytes": True}), "json", sandhi="auto")
    assert got == (annotator.to_json(text, sandhi="auto", **wrapped),
                   annotator.to_json(text, sandhi="auto", as_bytes=True),
                   annotator.to_json(text, sandhi="auto"))


def test_render_exact_outputs(annotator):
    """Fixed expectations, independent of the separate calls: 行 picked as hâng, sandhi, a number, POJ."""
    text, html, poj, tokens = annotator.render("行，銀行2個", "text", "html",
                                               ("html", {"system": "poj", "tones": "numbers"}), "tokens",
                                               picks={0: 2}, sandhi="auto")
    assert text == "Hâng, gīn-hāng nǹg kò"
    assert html == (
        '<span class="fp-char" data-start="0"><ruby>行<rp>(</rp><rt>hâng</rt><rp>)</rp></ruby></span>，'
        '<span class="fp-word" data-start="2"><ruby>銀<rp>(</rp><rt>gīn</rt><rp>)</rp></ruby>'
        '<ruby>行<rp>(</rp><rt>hāng</rt><rp>)</rp></ruby></span>'
        '<span class="fp-number" data-start="4"><ruby>2<rp>(</rp><rt>nǹg</rt><rp>)</rp></ruby></span>'
        '<span class="fp-char" data-start="5"><ruby>個<rp>(</rp><rt>kò</rt><rp>)</rp></ruby></span>')
    assert poj == (
        '<span class="fp-char" data-start="0"><ruby>行<rp>(</rp><rt>hang5</rt><rp>)</rp></ruby></span>，'
        '<span class="fp-word" data-start="2"><ruby>銀<rp>(</rp><rt>gin7</rt><rp>)</rp></ruby>'
        '<ruby>行<rp>(</rp><rt>hang7</rt><rp>)</rp></ruby></span>'
        '<span class="fp-number" data-start="4"><ruby>2<rp>(</rp><rt>nng3</rt><rp>)</rp></ruby></span>'
        '<span class="fp-char" data-start="5"><ruby>個<rp>(</rp><rt>ko3</rt><rp>)</rp></ruby></span>')
    assert [(t.text, t.reading, t.kind, t.choice) for t in tokens] == [
        ("行", "hâng", "char", 2), ("，", None, "other", 0), ("銀行", "gīn-hāng", "word", 0),
        ("2", "nǹg", "number", 0), ("個", "kò", "char", 0)]
    assert annotator.render("台灣", "text") == ("Tâi-uân",)
    assert fastpron.render("台灣", "text", "text", system="poj") == ("Tâi-oân", "Tâi-oân")


def test_each_output_takes_its_own_flags(annotator):
    """capitalize and punctuation are the text's; the HTML beside it is the same as without them."""
    text = "先生講，學生恬恬聽。"
    plain, keep, html = annotator.render(text, "text", ("text", {"capitalize": False, "punctuation": "keep"}),
                                         "html")
    assert plain == "Sian-sinn kóng, ha̍k-sing tiām-tiām thiann."
    assert keep == "sian-sinn kóng，ha̍k-sing tiām-tiām thiann。"
    assert html == annotator.to_html(text) == annotator.to_html(text, capitalize=False, punctuation="keep")


@pytest.mark.parametrize("text", TEXTS[1:], ids=range(1, len(TEXTS)))
@pytest.mark.parametrize("options", [{}, {"system": "poj", "tones": "numbers"}, {"system": "tps"}])
def test_romanized_convert_as_the_result_page_asks(annotator, text, options):
    """The page's outputs: html and text with romanized words converted, tokens of the text as typed,
    a second system's html; each equals its separate call."""
    converted = {**options, "romanized": "convert"}
    html, tokens, romanized, second = annotator.render(
        text, "html", ("tokens", {"romanized": "keep"}), "text", ("html", {"system": "bp"}), **converted)
    assert html == annotator.to_html(text, **converted)
    assert tokens == annotator.annotate(text, **options)
    assert romanized == annotator.romanize(text, **converted)
    assert second == annotator.to_html(text, **{**converted, "system": "bp"})


def test_user_dictionary_words(annotator):
    user = Annotator()
    user.add_word("龘龘", "tâ-tâ")
    user.add_word("銀行", "gun5-hang5", "gin5-hang5")
    user.remove_word("先生")
    text = "龘龘去銀行，先生講。𠔜"
    picks = {3: 1}
    for options in ({}, {"system": "poj", "sandhi": "auto"}):
        together = user.render(text, "html", "tokens", "text", "json", ("html", {"system": "tps"}),
                               picks=picks, **options)
        assert together == separate(user, text, picks, options, "tps")
    text_out, tokens = user.render(text, "text", "tokens")
    assert text_out == "Tâ-tâ khì gûn-hâng, sing senn kóng. 𠔜"
    assert tokens[2].alternatives == ("gîn-hâng",)
    assert user.render(text, "text", picks=picks) == ("Tâ-tâ khì gîn-hâng, sing senn kóng. 𠔜",)
    # the shared annotator has no user words, and its render says so
    assert annotator.render(text, "text") == (annotator.romanize(text),)
    assert annotator.render(text, "text")[0] != text_out


class Counting:
    """Forwards to the real core and counts its calls."""

    def __init__(self, core):
        self.__dict__.update(core=core, calls=[])

    def __getattr__(self, name):
        value = getattr(self.core, name)
        if callable(value):
            def counted(*args, **kwargs):
                self.calls.append(name)
                return value(*args, **kwargs)
            return counted
        return value


@pytest.fixture
def counted():
    annotator = Annotator()
    annotator.add_word("龘", "tâ")
    annotator._core = Counting(annotator._core)
    return annotator


def test_one_core_call_for_all_outputs(counted):
    text = SAMPLE.read_text(encoding="utf-8") + " Tâi-uân 龘"
    counted.render(text, "html", "tokens", "text", "json", ("html", {"system": "poj"}), sandhi="auto")
    assert counted._core.calls == ["render"]
    counted._core.calls.clear()
    # romanized="convert" with no romanised word to convert: one segmentation still
    counted.render(SAMPLE.read_text(encoding="utf-8"), "html", ("tokens", {"romanized": "keep"}), "text",
                   ("html", {"system": "poj"}), romanized="convert")
    assert counted._core.calls == ["render"]
    counted._core.calls.clear()
    # with one: the text as typed (tokens), as TL reads it (html, text), as POJ does (the second html)
    counted.render(text, "html", ("tokens", {"romanized": "keep"}), "text", ("html", {"system": "poj"}),
                   romanized="convert", tones="numbers")
    assert counted._core.calls == ["render"] * 3


def test_reference_segments_once(reference, monkeypatch):
    segmentations = []
    segment = type(reference).segment
    monkeypatch.setattr(reference, "segment", lambda *args: segmentations.append(1) or segment(reference, *args))
    reference.render("我行路去銀行。", "html", "tokens", "text", "json", ("html", {"system": "tps"}))
    assert len(segmentations) == 1


def test_reference_and_core_agree(native, reference):
    for text in TEXTS:
        picks = picks_for(native, text)
        for options in OPTION_SETS[:4]:
            formats = ("html", "tokens", "text", ("json", {"as_bytes": True}), ("html", {"system": "sni"}))
            got, want = native.render(text, *formats, picks=picks, **options), \
                reference.render(text, *formats, picks=picks, **options)
            assert [astuples(x) for x in got] == [astuples(x) for x in want]
        formats = ("html", ("tokens", {"romanized": "keep"}), "text", ("html", {"system": "poj"}))
        got, want = native.render(text, *formats, romanized="convert"), \
            reference.render(text, *formats, romanized="convert")
        assert [astuples(x) for x in got] == [astuples(x) for x in want]


def test_threads_share_the_kept_buffer(annotator):
    text = "先生講，學生恬恬聽。台灣" * 3000
    expected = annotator.render(text, "text", "json", "text", ("json", {"as_bytes": True}))
    results = []

    def work():
        for _ in range(5):
            results.append(annotator.render(text, "text", "json", "text", ("json", {"as_bytes": True})))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 20


@pytest.mark.parametrize("formats, options, error, message", [
    ((), {}, TypeError, "at least one format: text, html, tokens, json"),
    (("xml",), {}, ValueError, "unknown format 'xml'; choose one of: text, html, tokens, json"),
    (("HTML",), {}, ValueError, "unknown format 'HTML'"),
    ((("html", "tokens"),), {}, TypeError, "a format's options are a mapping"),
    ((["html"],), {}, TypeError, r"a format is a name \(text, html, tokens, json\) or a \(name, options\) pair"),
    ((None,), {}, TypeError, "a format is a name"),
    ((("html",),), {}, TypeError, "a format is a name"),
    ((("html", {}, "x"),), {}, TypeError, "a format is a name"),
    ((("html", {"as_bytes": True}),), {}, TypeError, "as_bytes: options of the json format only"),
    ((("json", {"text_key": "not a name"}),), {}, ValueError, "text_key must be a plain ASCII name"),
    ((("json", {"prefix": "["}),), {}, TypeError, "prefix and suffix must be bytes"),
    ((("json", {"prefix": b"["}),), {}, ValueError, "use them with as_bytes=True"),
    (("html", ("text", {"colour": "red"})), {}, TypeError, "colour"),
    (("html",), {"colour": "red"}, TypeError, "colour"),
    (("html",), {"text_key": "w"}, TypeError, "text_key"),
    ((("text", {"system": "xyz"}),), {}, ValueError, "system"),
    (("html",), {"sandhi": "maybe"}, ValueError, "unknown sandhi 'maybe'; choose one of: none, auto"),
    (("text", "tokens"), {"romanized": "convert"}, ValueError, r"ask for \('tokens', \{'romanized': 'keep'\}\)"),
    ((("json", {"romanized": "convert"}),), {}, ValueError, "romanized='convert' rewrites the text"),
])
@pytest.mark.parametrize("which", ["native", "reference"])
def test_bad_formats_are_clear_errors(request, which, formats, options, error, message):
    annotator = request.getfixturevalue(which)
    with pytest.raises(error, match=message):
        annotator.render("台灣", *formats, **options)


@pytest.mark.parametrize("which", ["native", "reference"])
def test_bad_text_and_picks_are_clear_errors(request, which):
    annotator = request.getfixturevalue(which)
    with pytest.raises(TypeError, match="decode bytes first"):
        annotator.render("台灣".encode(), "text")
    with pytest.raises(TypeError, match="str, not NoneType"):
        annotator.render(None, "html")
    with pytest.raises(TypeError, match="picks must be a mapping"):
        annotator.render("台灣", "html", picks=[(0, 1)])
    with pytest.raises(TypeError, match="picks must map int offsets"):
        annotator.render("台灣", "html", picks={"0": 1})


def test_core_render_checks_its_jobs(annotator):
    core, table = annotator._core, annotator._table(annotator.options, None)
    with pytest.raises(ValueError, match="unknown render job 'xml'"):
        core.render("台灣", [("html", table, 0), ("xml", table, 0)])
    with pytest.raises(TypeError, match="a render job is"):
        core.render("台灣", [("json", table, 0)])
    with pytest.raises(TypeError, match="a render job is"):
        core.render("台灣", ["html"])
    with pytest.raises(TypeError):
        core.render("台灣", [("html", "not a table", 0)])
    with pytest.raises(TypeError, match="text_key, prefix and suffix are bytes"):
        core.render("台灣", [("json", table, 0, "text", False, b"", b"")])
    assert core.render("台灣", []) == []
    assert core.render("台灣", [("text", table, 1), ("html", table, 0)]) == \
        [annotator.romanize("台灣"), annotator.to_html("台灣")]
