"""The result page renders its article from one segmentation, and shows what one call per output gave."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from webproject.article_pronunciation import picks as picks_module
from webproject.article_pronunciation import views
from webproject.article_pronunciation.models import Article
from webproject.article_pronunciation.rendering import choices_json, paragraphs, with_second_readings
from webproject.dictionary.annotator import shared_annotator
from webproject.dictionary.models import UserEntry

pytestmark = pytest.mark.django_db

TEXT = ("我行路去銀行。\n\n2024年3月5日，先生講：「好。」\n"
        "我愛 Tâi-uân, chia̍h-pn̄g 未? tsiah8 <b>&\n\n龘龘台灣 𠔜")
QUERIES = [
    {},
    {"second": "poj"},
    {"system": "tps", "second": "tl", "tones": "numbers"},
    {"sandhi": "auto", "dialect": "north", "second": "sni"},
    {"romanized": "convert"},
    {"romanized": "convert", "second": "poj", "tones": "numbers"},
    {"system": "ipa", "tones": "none", "romanized": "convert", "sandhi": "auto"},
]


def rendered_by_separate_calls(article, display, annotator_options):
    """views._rendered as it was before render(): to_html, annotate, a second to_html, romanize."""
    annotator = shared_annotator()
    picks = article.core_picks
    text_options = {**annotator_options, "romanized": display.get("romanized") or "keep"}
    html = annotator.to_html(article.text, picks=picks, **text_options)
    tokens = annotator.annotate(article.text, picks=picks, **annotator_options)
    if display.get("second"):
        second = annotator.to_html(article.text, picks=picks, **{**text_options, "system": display["second"]})
        html = with_second_readings(html, second)
    choices, choice_count = choices_json(tokens, annotator, picks_module.usual_choices(article.text, annotator))
    return {
        "paragraphs": paragraphs(html, keep_punctuation_with_words=True),
        "romanized": annotator.romanize(article.text, picks=picks, **text_options),
        "choices_json": choices,
        "choice_count": choice_count,
        "nothing_to_annotate": not any(token.kind != "other" for token in tokens),
    }


@pytest.fixture
def article():
    UserEntry.objects.create(key="龘龘", readings="tâ-tâ")
    article = Article.objects.create(text=TEXT)
    article.set_picks({0: 1, 21: 1, 52: 1})    # 我 ngóo, 講 káng, 未 bī (after a converted word)
    article.save()
    assert article.core_picks == {0: 1, 21: 1, 52: 1}
    return article


@pytest.mark.parametrize("query", QUERIES)
def test_rendered_is_what_the_separate_calls_gave(article, query):
    form, display, annotator_options = views._display(RequestFactory().get("/", query), article)
    assert not form.errors
    rendered = views._rendered(article, display, annotator_options)
    expected = rendered_by_separate_calls(article, display, annotator_options)
    assert {name: rendered[name] for name in expected} == expected
    assert rendered["choice_count"] >= 2 and len(rendered["paragraphs"]) == 3


class Counting:
    """The core, counting the calls that segment a text."""

    SEGMENTING = {"render", "to_html", "annotate", "romanize", "to_json"}

    def __init__(self, core):
        object.__setattr__(self, "core", core)
        object.__setattr__(self, "calls", [])

    def __getattr__(self, name):
        value = getattr(self.core, name)
        if name in self.SEGMENTING:
            def counted(*args, **kwargs):
                self.calls.append(name)
                return value(*args, **kwargs)
            return counted
        return value

    def __setattr__(self, name, value):
        setattr(self.core, name, value)


@pytest.mark.parametrize("query", [{}, {"second": "poj", "sandhi": "auto"}, {"romanized": "convert"}])
def test_a_page_view_segments_the_article_once(client, monkeypatch, query):
    article = Article.objects.create(text="我行路去銀行。\n\n2024年3月5日，先生講。")
    annotator = shared_annotator()
    monkeypatch.setattr(annotator, "_core", Counting(annotator._core))
    page = client.get(article.get_absolute_url(), query)
    assert page.status_code == 200 and '<span class="fp-word" data-start="1">' in page.content.decode()
    assert annotator._core.calls == ["render"]
    annotator._core.calls.clear()
    # the JSON the page's scripts fetch to switch options
    fragment = client.get(reverse("article_pronunciation:render", args=[article.id]), query)
    assert fragment.status_code == 200 and '<span class="fp-word" data-start="1">' in fragment.json()["html"]
    assert annotator._core.calls == ["render"]
