"""A long article's result page, a page at a time (pages.py): each page reads as the same
stretch of the whole article, and its work and size follow the page (issue 17)."""

import json
import re

import fastpron
import pytest
from django.test import RequestFactory
from django.urls import reverse

from webproject.article_pronunciation import views
from webproject.article_pronunciation.models import Article
from webproject.article_pronunciation.pages import ArticlePage, article_page, page_ends
from webproject.article_pronunciation.rendering import shift_offsets

pytestmark = pytest.mark.django_db

OPTIONS = {"system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"}
WORD = re.compile(r'<span class="fp-(?:word|char)" data-start="\d+">.*?</ruby></span>')


def test_pages_end_after_the_last_line_break_else_the_last_sentence_end():
    assert page_ends("一二三\n四五六七八九十", 6) == [4, 10, 11]       # a line break, then the length
    # 。 at 3, then ！ at 11: the 」 after it would pass the length, so it starts the next page
    assert page_ends("我行路。台灣人講：「好！」你\n去", 8) == [4, 12, 16]
    assert page_ends("台灣\n人。」好好好", 6) == [3, 9]               # the line break, though the 。 comes later
    assert page_ends("好。」」台灣人", 5) == [4, 7]                       # closing punctuation stays before
    assert page_ends("行" * 12, 5) == [5, 10, 12]                       # neither: at the length
    assert page_ends("台灣。", 3) == [3] and page_ends("", 5) == [0]


def test_the_page_asked_for_as_the_paginator_gives_it():
    text = "行" * 12
    assert article_page(text, 5, "2") == ArticlePage(number=2, count=3, start=5, end=10)
    for asked, number in (("99", 3), ("0", 1), ("-2", 1), ("x", 1), ("²", 1), (None, 1), ("9" * 5000, 1)):
        assert article_page(text, 5, asked).number == number, asked


def test_shift_offsets_moves_every_data_start():
    html = fastpron.to_html("台灣，行")
    assert shift_offsets(html, 0) is html
    assert re.findall(r'data-start="(\d+)"', shift_offsets(html, 1000)) == ["1000", "1003"]


TEXT = ("立法委員佮市長就會去開會。台灣人講：「我欲閣去。」\n"
        "我行路去銀行，2024年3月5日，伊講：「好！」行行行行行行行行行行\n\n"
        "龘台灣 Tâi-uân 𠔜？行\n")
QUERIES = [{}, {"second": "poj", "sandhi": "auto"}, {"system": "tps", "romanized": "convert"},
           {"dialect": "north", "tones": "numbers"}]


@pytest.mark.parametrize("query", QUERIES)
def test_each_page_reads_as_that_stretch_of_the_whole_article(settings, query):
    """Pages cut after line breaks and, in a paragraph longer than a page, after sentence ends:
    their words, readings (picks, news sentences, sandhi, a second system, converted romanised
    words) and choices are the whole article's, at the article's offsets."""
    settings.ARTICLE_PAGE_LENGTH = 24
    article = Article.objects.create(text=TEXT)
    # 佮 kah in a sentence read as news (kap), 我 ngóo, the last 行 of the fourth page hâng
    article.set_picks({4: 0, 26: 1, 59: 2})
    article.save()
    form, display, annotator_options = views._display(RequestFactory().get("/", query), article)
    whole = views._rendered(article, display, annotator_options)
    ends = page_ends(TEXT, 24)
    assert ends == [24, 26, 50, 62, 78]      # after 。, 」\n (the length), 「好！」, \n\n, the end
    assert article.core_picks == {4: 0, 26: 1, 59: 2}
    pages = [views._rendered(article, display, annotator_options, article_page(TEXT, 24, n))
             for n in range(1, len(ends) + 1)]
    assert [WORD.findall("".join(p["paragraphs"])) for p in pages] == [
        [w for w in WORD.findall("".join(whole["paragraphs"])) if start <= int(re.search(r"\d+", w)[0]) < end]
        for start, end in zip([0, *ends], ends)]
    merged = {}
    for page in pages:
        merged.update(json.loads(page["choices_json"]))
    assert merged == json.loads(whole["choices_json"])
    assert sum(p["choice_count"] for p in pages) == whole["choice_count"]
    # the running text, but for the spaces where the pages meet
    assert re.sub(r"\s", "", "".join(p["romanized"] for p in pages)) == re.sub(r"\s", "", whole["romanized"])


def submit(client, text):
    client.post(reverse("article_pronunciation:input"), {"text": text, **OPTIONS})
    return Article.objects.order_by("-created").first()


def article_of(response) -> str:
    return re.search(r'<div id="fp-article"[^>]*>(.*?)</div>', response.content.decode(), re.S).group(1)


def test_a_long_article_is_shown_a_page_at_a_time(client, settings):
    """The whole of 100,000 × 行 was 39 MB of HTML: now ARTICLE_PAGE_LENGTH characters a page,
    with links to the others; the options form, the permalink and the scripts keep the page."""
    settings.ARTICLE_PAGE_LENGTH = 5
    article = submit(client, "行" * 12)
    url = article.get_absolute_url()
    first, second, last = (client.get(url, {"page": n, "system": "poj"}) for n in (1, 2, 3))
    assert [r.status_code for r in (first, second, last)] == [200, 200, 200]
    starts = [re.findall(r'data-start="(\d+)"', article_of(r)) for r in (first, second, last)]
    assert starts == [["0", "1", "2", "3", "4"], ["5", "6", "7", "8", "9"], ["10", "11"]]
    page = second.content.decode()
    assert "文章第 2 頁，共 3 頁" in page
    options = "system=poj&amp;tones=marks&amp;sandhi=none&amp;dialect=usual&amp;layout=right"
    assert f'rel="prev" data-page="1" href="?{options}">' in page
    assert f'rel="next" data-page="3" href="?{options}&amp;page=3">' in page
    assert 'rel="prev"' not in first.content.decode() and 'rel="next"' not in last.content.decode()
    assert '<input type="hidden" name="page" value="2">' in page
    assert f'value="http://testserver{url}?{options}&amp;page=2" readonly>' in page     # the permalink box
    assert re.search(r'>選擇讀音</a>', page)                                           # no count of one page
    choices = re.search(r'<script id="fp-choices" type="application/json">(.*?)</script>', page).group(1)
    assert list(json.loads(choices)) == ["5", "6", "7", "8", "9"]
    assert re.search(r'<p id="fp-running-text" class="running-text__body">(.*?)</p>', page).group(1) == \
        " ".join(["Kiâⁿ"] + ["kiâⁿ"] * 4)
    # a page number out of range or not a number: the last or the first page
    assert re.findall(r'data-start="(\d+)"', article_of(client.get(url, {"page": 99}))) == ["10", "11"]
    assert re.findall(r'data-start="(\d+)"', article_of(client.get(url, {"page": "x"})))[0] == "0"
    # the scripts' JSON and a pick by script answer with the page asked for
    data = client.get(reverse("article_pronunciation:render", args=[article.id]), {"page": 3}).json()
    assert list(data["choices"]) == ["10", "11"] and data["page_query"].endswith("&page=3")
    assert not data["query"].endswith("&page=3")
    picked = client.post(reverse("article_pronunciation:readings", args=[article.id]) + "?page=2",
                         {"pick-7": "1"}, HTTP_ACCEPT="application/json").json()
    assert list(picked["choices"]) == ["5", "6", "7", "8", "9"] and picked["choices"]["7"]["choice"] == 1
    assert picked["permalink"].endswith("&page=2")
    # the pick is on the article, shown on its page
    readings = fastpron.lookup("行")
    assert Article.objects.get(pk=article.pk).picks == {"7": {"word": "行", "reading": readings[1]}}
    assert f'data-start="7"><ruby>行<rp>(</rp><rt>{fastpron.annotate("行", picks={0: 1})[0].reading}</rt>' in \
        article_of(client.get(url, {"page": 2}))


def test_an_undo_without_script_comes_back_to_the_page(client, settings):
    settings.ARTICLE_PAGE_LENGTH = 5
    article = submit(client, "行" * 12)
    readings = reverse("article_pronunciation:readings", args=[article.id])
    assert client.post(readings, {"pick-7": "1"}).status_code == 302
    page = client.get(article.get_absolute_url(), {"page": 2}).content.decode()
    undo = reverse("article_pronunciation:undo", args=[article.id])
    options = "system=tl&tones=marks&sandhi=none&dialect=usual&layout=right"
    assert f'action="{undo}?{options.replace("&", "&amp;")}&amp;page=2"' in page
    response = client.post(f"{undo}?{options}&page=2")
    assert response.status_code == 302 and response["Location"] == f"{article.get_absolute_url()}?{options}&page=2"
    assert Article.objects.get(pk=article.pk).picks == {}


def test_a_short_article_has_no_page_links(client):
    article = submit(client, "我行路去銀行。")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="pages article-pages"' not in page and 'name="page"' not in page
    assert "選擇讀音（1 個詞有多種讀音）" in page

