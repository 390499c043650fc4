"""Forms, models, limits, settings of the language and the session."""

import re

import pytest

from webproject.article_pronunciation.forms import ArticleForm, parse_picks
from webproject.article_pronunciation.models import Article
from webproject.dictionary.models import UserEntry, split_readings

pytestmark = pytest.mark.django_db

OPTIONS = {"system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"}


def test_article_form_accepts_a_text_and_normalizes_newlines():
    form = ArticleForm({"text": "台灣\r\n\r\n台灣\r", **OPTIONS})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"text": "台灣\n\n台灣\n", **OPTIONS, "romanized": "keep"}


@pytest.mark.parametrize("text, message", [
    ("", "這個欄位是必須的。"),
    (" \n\t ", "請輸入要標音的文章。"),
    ("台\x00灣", "不允許空（null）字元。"),
])
def test_article_form_refuses_empty_text(text, message):
    form = ArticleForm({"text": text, **OPTIONS})
    assert not form.is_valid()
    assert form.errors["text"] == [message]


def test_article_form_refuses_unknown_options():
    form = ArticleForm({"text": "台灣", **OPTIONS, "system": "wade-giles", "tones": ""})
    assert not form.is_valid()
    assert set(form.errors) == {"system", "tones"}


def test_over_the_limit_the_form_keeps_the_text_and_says_why(client, settings):
    settings.MAX_TEXT_LENGTH = 10
    text = "台灣<b>" * 3            # 15 characters
    response = client.post("/article_pronunciation/input/", {"text": text, **OPTIONS})
    assert response.status_code == 400
    page = response.content.decode()
    assert "文章有 15 字，超過上限 10 字。請縮短，或分成幾篇；您的文章仍保留在這裡。" in page
    assert ">\n" + text.replace("<", "&lt;").replace(">", "&gt;") + "</textarea>" in page
    assert not Article.objects.exists()
    ok = client.post("/article_pronunciation/input/", {"text": "台" * 10, **OPTIONS})
    assert ok.status_code == 302


def test_the_limit_counts_characters_not_bytes(client, settings):
    settings.MAX_TEXT_LENGTH = 4
    assert client.post("/article_pronunciation/input/", {"text": "𠢕𠢕𠢕𠢕", **OPTIONS}).status_code == 302


def test_default_limit_is_100000(client):
    response = client.post("/article_pronunciation/input/", {"text": "台" * 100_001, **OPTIONS})
    assert response.status_code == 400
    assert "超過上限 100,000 字" in response.content.decode()
    assert client.post("/article_pronunciation/input/", {"text": "台灣。\n" * 25_000, **OPTIONS}).status_code == 302


def test_a_request_too_large_to_read_gets_a_clear_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/article_pronunciation/input/", {"text": "台" * 1000, **OPTIONS})
    assert response.status_code == 400
    assert "超過本站接受的大小" in response.content.decode()


def test_input_prefills_the_latest_options(client):
    client.post("/article_pronunciation/input/", {"text": "台灣", **OPTIONS, "system": "tps", "tones": "numbers"})
    page = client.get("/article_pronunciation/input/").content.decode()
    assert re.search(r'<option value="tps" selected>', page)
    assert re.search(r'<option value="numbers" selected>', page)


def test_each_browser_session_sees_its_own_latest_article(client, django_user_model):
    from django.test import Client
    other = Client()
    client.post("/article_pronunciation/input/", {"text": "台灣", **OPTIONS})
    other.post("/article_pronunciation/input/", {"text": "銀行", **OPTIONS})
    assert "<rt>Tâi</rt>" in client.get("/article_pronunciation/pronunciation/").content.decode()
    assert "<rt>gîn</rt>" in other.get("/article_pronunciation/pronunciation/").content.decode()


def test_session_cookie_is_http_only(client):
    response = client.post("/article_pronunciation/input/", {"text": "台灣", **OPTIONS})
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["sessionid"]["samesite"] == "Lax"


# -- models ---------------------------------------------------------------------------------

def test_article_picks_round_trip():
    article = Article.objects.create(text="我我")
    article.set_picks({0: 1, 1: 1})
    article.set_picks({1: 0})
    article.save()
    article.refresh_from_db()
    assert article.picks == {"0": {"word": "我", "reading": "ngoo2"}}
    assert article.core_picks == {0: 1}
    # old numbered picks still count; a pick whose word is gone, or that is malformed, does not
    article.picks = {"0": "1", "x": 2, "1": None, "5": {"word": "我", "reading": "ngoo2"},
                     "6": {"word": 3}}
    assert article.core_picks == {0: 1}


def test_article_options_and_str():
    article = Article.objects.create(text="\n  台灣是一个美麗的島嶼\n第二行", system="poj", dialect="north")
    assert article.options == {"system": "poj", "tones": "marks", "sandhi": "none", "dialect": "north"}
    assert article.annotator_options({"tones": "numbers"}) == {
        "system": "poj", "tones": "numbers", "sandhi": "none", "dialect": "north"}
    assert Article(text="x").annotator_options()["dialect"] is None
    assert str(article) == "台灣是一个美麗的島嶼"


def test_parse_picks():
    choices = {0: 2, 5: 3}
    assert parse_picks({"pick-0": "1", "pick-5": "2", "other": "x"}, choices) == ({0: 1, 5: 2}, [])
    picks, errors = parse_picks({"pick-0": "2", "pick-3": "0", "pick-5": "-1"}, choices)
    assert picks == {} and len(errors) == 3


def test_user_entry_readings_are_split_and_normalized():
    assert split_readings("tâi-uân, tai5-uan5；Tâi-oân\n tâi uân") == ["tâi-uân", "tai5-uan5", "Tâi-oân", "tâi uân"]
    entry = UserEntry(key=" 台灣 ", readings="tâi-uân ,tâi-oân")
    entry.full_clean()
    assert (entry.key, entry.readings, entry.reading_list) == ("台灣", "tâi-uân, tâi-oân", ["tâi-uân", "tâi-oân"])
    assert UserEntry(key="台灣", readings="x", hidden=True).reading_list == []


def test_purge_articles_deletes_only_old_ones():
    import io
    from datetime import timedelta

    from django.core.management import CommandError, call_command
    from django.utils import timezone
    old = Article.objects.create(text="舊")
    Article.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=40))
    new = Article.objects.create(text="新")
    out = io.StringIO()
    call_command("purge_articles", "--older-than", "30", "--dry-run", stdout=out)
    assert out.getvalue() == "would delete 1 articles older than 30 days\n"
    call_command("purge_articles", "--older-than", "30", stdout=out)
    assert list(Article.objects.values_list("pk", flat=True)) == [new.pk]
    with pytest.raises(CommandError, match="1 or more"):
        call_command("purge_articles", "--older-than", "0")
