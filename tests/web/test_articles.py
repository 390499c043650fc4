"""The article flow: input form, result page (session and permalink), picks, downloads."""

import json
import re
import uuid

import fastpron
import pytest
from django.urls import reverse

from webproject.article_pronunciation.models import Article
from webproject.article_pronunciation.views import SESSION_KEY

pytestmark = pytest.mark.django_db

INPUT = "/article_pronunciation/input/"
LATEST = "/article_pronunciation/pronunciation/"
OPTIONS = {"system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"}
TAIWAN_RUBY = ('<span class="fp-word" data-start="{}"><ruby>台<rp>(</rp><rt>Tâi</rt><rp>)</rp></ruby>'
               '<ruby>灣<rp>(</rp><rt>uân</rt><rp>)</rp></ruby></span>')


def submit(client, text, **options):
    return client.post(INPUT, {"text": text, **OPTIONS, **options})


def article_html(response) -> str:
    page = response.content.decode()
    match = re.search(r'<div id="fp-article"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no article on the page"
    return match.group(1)


def test_root_leads_to_the_input_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == INPUT


def test_input_page_has_the_form(client):
    response = client.get(INPUT)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<textarea name="text"[^>]*placeholder="台灣是一个美麗的島嶼', page)
    for system in ("tl", "poj", "tlpa", "bp", "tps", "ipa", "sni"):
        assert f'<option value="{system}"' in page
    for name, value in (("tones", "numbers"), ("sandhi", "auto"), ("dialect", "north")):
        assert re.search(rf'<select name="{name}".*?<option value="{value}"', page, re.S)
    assert 'name="csrfmiddlewaretoken"' in page


def test_post_saves_the_article_and_redirects_to_the_result(client):
    response = submit(client, "台灣", system="poj", tones="numbers")
    assert response.status_code == 302
    article = Article.objects.get()
    assert response.headers["Location"] == article.get_absolute_url()      # the address bar shows the permalink
    assert (article.text, article.system, article.tones, article.sandhi, article.dialect) == (
        "台灣", "poj", "numbers", "none", "usual")
    assert article.created is not None
    assert client.session[SESSION_KEY] == str(article.id)


def test_result_page_shows_the_latest_article_in_ruby(client):
    submit(client, "台灣")
    response = client.get(LATEST)
    assert response.status_code == 200
    assert article_html(response) == "<p>" + TAIWAN_RUBY.format(0) + "</p>"


def test_a_word_keeps_one_syllable_over_each_character(client):
    submit(client, "我行路去銀行。")
    html = article_html(client.get(LATEST))
    assert ('<span class="fp-word" data-start="1"><ruby>行<rp>(</rp><rt>kiânn</rt><rp>)</rp></ruby>'
            '<ruby>路<rp>(</rp><rt>lōo</rt><rp>)</rp></ruby></span>') in html
    assert ('<span class="fp-word" data-start="4"><ruby>銀<rp>(</rp><rt>gîn</rt><rp>)</rp></ruby>'
            '<ruby>行<rp>(</rp><rt>hâng</rt><rp>)</rp></ruby></span>') in html


def test_paragraphs_and_line_breaks_are_kept(client):
    submit(client, "台灣\r\n台灣\r\n\r\n\r\n台灣")
    html = article_html(client.get(LATEST))
    assert html == ("<p>" + TAIWAN_RUBY.format(0) + "\n" + TAIWAN_RUBY.format(3) + "</p>"
                    "<p>" + TAIWAN_RUBY.format(8) + "</p>")
    assert Article.objects.get().text == "台灣\n台灣\n\n\n台灣"


def test_latest_without_an_article_redirects_to_the_form_with_a_message(client):
    response = client.get(LATEST)
    assert response.status_code == 302
    assert response.headers["Location"] == INPUT
    page = client.get(INPUT).content.decode()
    assert "還沒有文章" in page


def test_latest_whose_article_is_gone_redirects_too(client):
    submit(client, "台灣")
    Article.objects.all().delete()
    assert client.get(LATEST).status_code == 302


def test_permalink_is_a_uuid_and_works_without_the_session(client, article):
    url = f"/article_pronunciation/pronunciation/{article.id}/"
    assert article.get_absolute_url() == url
    assert uuid.UUID(str(article.id)).version == 4
    from django.test import Client
    response = Client().get(url)
    assert response.status_code == 200
    assert TAIWAN_RUBY.format(9) in article_html(response)


def test_result_page_links_its_permalink(client):
    submit(client, "台灣")
    article = Article.objects.get()
    page = client.get(LATEST).content.decode()
    assert (f'value="http://testserver/article_pronunciation/pronunciation/{article.id}/'
            f'?system=tl&amp;tones=marks&amp;sandhi=none&amp;dialect=usual&amp;layout=right"') in page


def test_unknown_or_malformed_permalinks_are_404(client, article):
    assert client.get(f"/article_pronunciation/pronunciation/{uuid.uuid4()}/").status_code == 404
    assert client.get("/article_pronunciation/pronunciation/1/").status_code == 404
    assert client.get("/article_pronunciation/pronunciation/../input/").status_code in (404, 200)


def test_ids_are_not_sequential(client):
    for _ in range(3):
        submit(client, "台灣")
    ids = [article.id.int for article in Article.objects.order_by("created")]
    assert len(set(ids)) == 3
    assert sorted(ids) != list(range(ids[0], ids[0] + 3))


def test_switching_the_system_needs_no_retyping(client, article):
    url = article.get_absolute_url()
    html = article_html(client.get(url, {"system": "poj"}))
    assert '<rt>oân</rt>' in html and '<rt>uân</rt>' not in html
    html = article_html(client.get(url, {"system": "tps", "tones": "numbers"}))
    assert "<rt>ㄉㄞ5</rt>" in html
    article.refresh_from_db()
    assert article.system == "tl"        # the article's own options are unchanged


def test_vertical_tps_is_the_default_for_tps_and_can_be_turned_off(client, article):
    url = article.get_absolute_url()
    page = client.get(url, {"system": "tps"}).content.decode()
    assert 'class="fp-article fp-system-tps fp-ruby-right"' in page
    page = client.get(url, {"system": "tps", "layout": "over"}).content.decode()
    assert 'class="fp-article fp-system-tps"' in page


def test_bad_display_option_falls_back_with_a_400(client, article):
    response = client.get(article.get_absolute_url(), {"system": "klingon"})
    assert response.status_code == 400
    assert "<rt>Tâi</rt>" in article_html(response)


def test_render_endpoint_returns_json_for_the_live_switch(client, article):
    response = client.get(reverse("article_pronunciation:render", args=[article.id]), {"system": "poj"})
    assert response.status_code == 200
    data = response.json()
    assert "<rt>Tâi</rt><rp>)</rp></ruby><ruby>灣<rp>(</rp><rt>oân</rt>" in data["html"]
    assert data["romanized"] == "Góa kiâⁿ-lō͘ khì gîn-hâng.\n\nTâi-oân"
    assert data["choices"]["0"] == {"text": "我", "readings": ["góa", "ngó͘"], "choice": 0,
                                    "numbered": ["gua2", "ngoo2"], "glosses": ["我", ""]}
    assert "system=poj" in data["query"]


def test_edit_link_prefills_the_form(client, article):
    page = client.get(INPUT, {"from": str(article.id)}).content.decode()
    assert "我行路去銀行。\n\n台灣</textarea>" in page


# -- picks -------------------------------------------------------------------------

def test_readings_page_lists_words_with_several_readings(client, article):
    response = client.get(reverse("article_pronunciation:readings", args=[article.id]))
    assert response.status_code == 200
    page = response.content.decode()
    # each reading with its Mandarin gloss, where one is known
    assert ('name="pick-0" value="0" checked> <span lang="nan-Latn-TW">guá</span> '
            '<span class="reading-choices__gloss" lang="zh-Hant-TW">我</span>') in page
    assert 'name="pick-0" value="1"> <span lang="nan-Latn-TW">ngóo</span></label>' in page


def own_article(client, text="我行路去銀行。\n\n台灣"):
    """An article made by `client`'s session (its owner)."""
    client.post(reverse("article_pronunciation:input"), {"text": text, "system": "tl", "tones": "marks",
                                                         "sandhi": "none", "dialect": "usual"})
    return Article.objects.order_by("-created").first()


def test_a_pick_is_kept_with_the_article(client):
    article = own_article(client)
    url = reverse("article_pronunciation:readings", args=[article.id])
    response = client.post(url, {"pick-0": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.picks == {"0": {"word": "我", "reading": "ngoo2"}}
    html = article_html(client.get(article.get_absolute_url()))
    assert html.startswith('<p><span class="fp-char" data-start="0"><ruby>我<rp>(</rp><rt>ngóo</rt>')
    # back to the usual reading
    client.post(url, {"pick-0": "0"})
    article.refresh_from_db()
    assert article.picks == {}


def test_a_pick_by_script_gets_json_back(client, article):
    url = reverse("article_pronunciation:readings", args=[article.id])
    response = client.post(url + "?system=poj", {"pick-0": "1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["choices"]["0"] == {"text": "我", "readings": ["góa", "ngó͘"], "choice": 1,
                                    "numbered": ["gua2", "ngoo2"], "glosses": ["我", ""]}
    assert data["romanized"].startswith("Ngó͘ kiâⁿ-lō͘")


def pick_fields(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="(pick-\d+)" value="0"', page)


def test_the_readings_page_shows_a_page_of_words_at_a_time(client, settings):
    """100,000 × 行 once made one page of 104 MB (21 s of CPU): now READINGS_PER_PAGE words a page."""
    settings.READINGS_PER_PAGE = 3
    submit(client, "行" * 8)                   # this session's own article: its picks go to it
    article = Article.objects.get()
    url = reverse("article_pronunciation:readings", args=[article.id])
    pages = [client.get(url, {"page": n, "system": "poj"}) for n in (1, 2, 3)]
    assert [r.status_code for r in pages] == [200, 200, 200]
    texts = [r.content.decode() for r in pages]
    assert [pick_fields(t) for t in texts] == [["pick-0", "pick-1", "pick-2"], ["pick-3", "pick-4", "pick-5"],
                                               ["pick-6", "pick-7"]]
    assert "第 1 頁，共 3 頁：第 1–3 個詞，共 8 個" in texts[0] and "第 3 頁，共 3 頁：第 7–8 個詞，共 8 個" in texts[2]
    assert 'rel="next" href="?system=poj&amp;tones=marks&amp;sandhi=none&amp;dialect=usual&amp;layout=right' \
           '&amp;page=2"' in texts[0]
    assert 'rel="prev"' not in texts[0] and 'rel="next"' not in texts[2]
    assert 'rel="prev" href="?system=poj&amp;tones=marks&amp;sandhi=none&amp;dialect=usual&amp;layout=right"' \
           in texts[1]
    assert re.search(r'<form class="card readings-form" method="post" action="[^"]*/readings/\?system=poj'
                     r'&amp;tones=marks&amp;sandhi=none&amp;dialect=usual&amp;layout=right&amp;page=2">', texts[1])
    # a page number out of range or not a number shows the last or the first page
    assert pick_fields(client.get(url, {"page": 99}).content.decode()) == ["pick-6", "pick-7"]
    assert pick_fields(client.get(url, {"page": "x"}).content.decode()) == ["pick-0", "pick-1", "pick-2"]
    # a pick on the second page is saved, and any word of the article may be picked
    response = client.post(url + "?page=2", {"pick-4": "1", "pick-7": "2"})
    assert response.status_code == 302
    article.refresh_from_db()
    readings = fastpron.lookup("行")
    assert article.picks == {"4": {"word": "行", "reading": readings[1]}, "7": {"word": "行", "reading": readings[2]}}
    third = client.get(url, {"page": 3}).content.decode()
    assert 'name="pick-7" value="2" checked>' in third


def test_a_short_list_of_readings_has_no_page_links(client, article):
    page = client.get(reverse("article_pronunciation:readings", args=[article.id])).content.decode()
    assert pick_fields(page) == ["pick-0"] and 'class="pages"' not in page


@pytest.mark.parametrize("field, value", [("pick-0", "7"), ("pick-0", "x"), ("pick-1", "1"), ("pick-99", "0")])
def test_bad_picks_are_refused(client, article, field, value):
    url = reverse("article_pronunciation:readings", args=[article.id])
    response = client.post(url, {field: value})
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.picks == {}
    response = client.post(url, {field: value}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["error"]


# -- downloads ------------------------------------------------------------------------

def download(client, article, fmt, **query):
    return client.get(reverse("article_pronunciation:download", args=[article.id, fmt]), query)


def test_download_text_in_character_reading_style(client, article):
    response = download(client, article, "text")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="fastpron-{str(article.id)[:8]}-tl.txt"')
    assert response.content.decode() == "我(guá)行(kiânn)路(lōo)去(khì)銀(gîn)行(hâng)。\n\n台(Tâi)灣(uân)\n"


def test_download_romanized_text_follows_the_options_and_picks(client, article):
    article.picks = {"0": 1}
    article.save()
    response = download(client, article, "romanized", system="poj")
    assert response.content.decode() == "Ngó͘ kiâⁿ-lō͘ khì gîn-hâng.\n\nTâi-oân\n"


def test_download_standalone_html(client, article):
    response = download(client, article, "html", system="tps")
    page = response.content.decode()
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and ".fp-ruby-right rt" in page
    assert "<script" not in page and 'rel="stylesheet"' not in page
    assert "<ruby>台<rp>(</rp><rt>ㄉㄞˊ</rt>" in page


def test_download_json(client, article):
    data = json.loads(download(client, article, "json").content)
    assert data["id"] == str(article.id)
    assert data["text"] == article.text
    assert data["options"] == OPTIONS
    assert data["tokens"][1] == {"surface": "行路", "reading": "kiânn-lōo", "syllables": ["kiânn", "lōo"],
                                 "alternatives": [], "kind": "word", "start": 1, "end": 3, "choice": 0}


def test_unknown_download_format_is_404(client, article):
    assert download(client, article, "pdf").status_code == 404


# -- safety ---------------------------------------------------------------------------

XSS = '<script>alert(x)</script><img src=x onerror=alert(y)>"\'&'   # no digits: they would be read (numbers)


def test_text_is_escaped_everywhere(client):
    submit(client, "台灣" + XSS)
    page = client.get(LATEST).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(x)&lt;/script&gt;" in page
    article = Article.objects.get()
    readings = client.get(reverse("article_pronunciation:readings", args=[article.id])).content.decode()
    assert "<script>alert" not in readings
    html = download(client, article, "html").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert download(client, article, "text").content.decode() == "台(Tâi)灣(uân)" + XSS + "\n"


def test_pages_carry_a_csp_and_no_inline_script(client, article):
    for url in (INPUT, article.get_absolute_url(), reverse("article_pronunciation:readings", args=[article.id]),
                "/dictionary/?q=行", "/dictionary/fanqie/?upper=德&lower=紅"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        page = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert ' src="' in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\son[a-z]+=", page), "inline event handler"


def test_csrf_is_enforced_on_the_forms(article):
    from django.test import Client
    client = Client(enforce_csrf_checks=True)
    response = client.post(INPUT, {"text": "台灣", **OPTIONS})
    assert response.status_code == 403
    response = client.post(reverse("article_pronunciation:readings", args=[article.id]), {"pick-0": "1"})
    assert response.status_code == 403
    # with the token from the page it goes through
    page = client.get(INPUT).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(INPUT, {"text": "台灣", **OPTIONS, "csrfmiddlewaretoken": token}).status_code == 302


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"] == "/static/webproject/favicon.svg"
    assert client.get("/static/webproject/favicon.svg").status_code == 200


def test_the_choices_json_is_json_script_of_the_choices():
    """choices_json writes the result page's choices piece by piece (100,000 × 行 cost ~60 MB more as
    dicts): the very text json_script gave, escapes of <, > and & included."""
    from types import SimpleNamespace

    from django.utils.html import json_script

    from webproject.article_pronunciation.rendering import choices_json, reading_choices
    tokens = [SimpleNamespace(text=text, reading=reading, alternatives=alternatives, choice=choice, start=start)
              for start, (text, reading, alternatives, choice) in enumerate([
                  ("行", "kiânn", ("hîng", "hâng"), 0), ("x", "x", (), 0), ("<b>&", "a", ("</script>", "'\""), 1),
                  ("行", "hâng", ("kiânn", "hîng"), 2), ("行", "kiânn", ("hîng", "hâng"), 0)])]
    written, count = choices_json(tokens)
    assert f'<script id="fp-choices" type="application/json">{written}</script>' == \
        json_script(reading_choices(tokens), "fp-choices")
    assert count == 4 and "</script>" not in written


# -- two systems at once --------------------------------------------------------------

def test_two_systems_at_once(client, article):
    response = client.get(article.get_absolute_url(), {"system": "tl", "second": "tps"})
    assert response.status_code == 200
    html = article_html(response)
    assert 'class="fp-article fp-system-tl fp-two-systems fp-second-tps"' in response.content.decode()
    assert html.startswith('<p><span class="fp-char" data-start="0"><ruby>我<rp>(</rp><rt>guá</rt><rp>)</rp>'
                           '<rt class="fp-rt2">ㆣㄨㄚˋ</rt></ruby></span>')
    assert '<ruby>灣<rp>(</rp><rt>uân</rt><rp>)</rp><rt class="fp-rt2">ㄨㄢˊ</rt></ruby>' in html
    # the links of the page keep it; the live switch gets it too
    assert "dialect=usual&amp;layout=right&amp;second=tps" in response.content.decode()
    data = client.get(reverse("article_pronunciation:render", args=[article.id]),
                      {"system": "poj", "second": "tl"}).json()
    assert '<rt>góa</rt><rp>)</rp><rt class="fp-rt2">guá</rt>' in data["html"]
    assert data["query"].endswith("&second=tl")


def test_a_second_system_equal_to_the_first_or_unknown_is_none(client, article):
    response = client.get(article.get_absolute_url(), {"system": "poj", "second": "poj"})
    assert "fp-rt2" not in response.content.decode()
    response = client.get(article.get_absolute_url(), {"second": "klingon"})
    assert response.status_code == 400 and "fp-rt2" not in response.content.decode()


def test_the_permalink_box_carries_the_options_shown(client, article):
    response = client.get(article.get_absolute_url(), {"system": "tps", "second": "tl"})
    page = response.content.decode()
    assert (f'<input id="permalink" type="text" value="http://testserver{article.get_absolute_url()}'
            f'?system=tps&amp;tones=marks&amp;sandhi=none&amp;dialect=usual&amp;layout=right&amp;second=tl" readonly>') in page
    # the language switch comes back to the same view
    assert (f'<input type="hidden" name="next" value="{article.get_absolute_url()}?system=tps&amp;second=tl">') in page


def test_romanised_words_converted_when_asked(client):
    submit(client, "我愛 Tâi-uân 台灣", system="poj", romanized="convert")
    article = Article.objects.get()
    assert article.romanized == "convert"
    response = client.get(article.get_absolute_url())
    assert " Tâi-oân <span" in article_html(response) and "Tâi-uân" not in article_html(response)
    assert 'id="fp-running-text" class="running-text__body">Góa ài Tâi-oân Tâi-oân</p>' in response.content.decode()
    # the page can show them as typed
    kept = client.get(article.get_absolute_url(), {"romanized": "keep"})
    assert " Tâi-uân <span" in article_html(kept)
    assert "&amp;romanized=convert" in response.content.decode() and "romanized=convert" not in kept.content.decode()


@pytest.mark.parametrize("text", ["Hello, world!", "😀🎉", "—— …"])      # digits are read: numbers
def test_a_text_with_nothing_to_annotate_gets_a_notice(client, text):
    submit(client, text)
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert "這篇文章沒有漢字，沒有可以標音的內容" in page


def test_no_notice_for_han_text(client, article):
    assert "沒有可以標音的內容" not in client.get(article.get_absolute_url()).content.decode()
