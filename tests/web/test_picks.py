"""Picks that keep their meaning: stored as readings, kept by edits, applied to every
occurrence, owned by the session that made the article (others get a copy), undone."""

import fastpron
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from webproject.article_pronunciation import picks as picks_module
from webproject.article_pronunciation.models import Article
from webproject.dictionary.models import UserEntry

OPTIONS = {"system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"}
pytestmark = pytest.mark.django_db


def create(client, text, **extra):
    response = client.post(reverse("article_pronunciation:input"), {"text": text, **OPTIONS, **extra})
    assert response.status_code == 302
    return Article.objects.order_by("-created").first()


def pick(client, article, start, number, accept_json=False, **extra):
    url = reverse("article_pronunciation:readings", args=[article.id])
    headers = {"HTTP_ACCEPT": "application/json"} if accept_json else {}
    return client.post(url, {f"pick-{start}": str(number), **extra}, **headers)


def rt(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    return [part.split("</rt>")[0] for part in page.split("<rt>")[1:]]


def test_a_pick_survives_a_user_dictionary_entry_that_reorders_the_readings(client):
    article = create(client, "你講")
    assert pick(client, article, 1, 1).status_code == 302          # káng, the second reading
    article.refresh_from_db()
    assert article.picks == {"1": {"word": "講", "reading": "kang2"}}
    assert rt(client, article) == ["lí", "káng"]
    UserEntry.objects.create(key="講", readings="káng, kóng")     # the admin puts káng first
    assert rt(client, article) == ["lí", "káng"]
    entry = UserEntry.objects.get(key="講")
    entry.readings = "kóng, tshò"                                   # káng gone: the usual reading, not another
    entry.save()
    assert rt(client, article) == ["lí", "kóng"]


def test_editing_keeps_the_picks_of_unchanged_words(client):
    article = create(client, "你講。我講。")
    pick(client, article, 1, 1)
    pick(client, article, 4, 1)
    article.refresh_from_db()
    assert set(article.picks) == {"1", "4"}
    response = client.post(reverse("article_pronunciation:input"),
                           {"text": "你講。今仔日我講。", "from": str(article.id), **OPTIONS})
    assert response.status_code == 302
    edited = Article.objects.order_by("-created").first()
    assert edited.id != article.id and edited.copied_from == article.id
    assert edited.picks == {"1": {"word": "講", "reading": "kang2"}, "7": {"word": "講", "reading": "kang2"}}
    assert rt(client, edited) == ["lí", "káng", "kin", "á", "ji̍t", "guá", "káng"]
    # the edit form carries the article it edits
    page = client.get(reverse("article_pronunciation:input"), {"from": str(article.id)}).content.decode()
    assert f'<input type="hidden" name="from" value="{article.id}">' in page


def test_carry_over_drops_the_picks_of_changed_words():
    picks = {"0": {"word": "講", "reading": "kang2"}, "2": {"word": "講", "reading": "kang2"}}
    assert picks_module.carry_over("講伊講", "講你講", picks) == picks
    assert picks_module.carry_over("講伊講", "說伊講", picks) == {"2": {"word": "講", "reading": "kang2"}}
    assert picks_module.carry_over("講伊講", "", picks) == {}


def test_apply_a_reading_to_every_occurrence(client):
    article = create(client, "講，講，講。")
    response = pick(client, article, 2, 1, accept_json=True, apply_to_all="1")
    assert response.status_code == 200
    article.refresh_from_db()
    assert sorted(article.picks) == ["0", "2", "4"]
    assert {value["reading"] for value in article.picks.values()} == {"kang2"}
    assert response.json()["romanized"] == "Káng, káng, káng."
    # and back to the usual reading everywhere
    pick(client, article, 4, 0, apply_to_all="1")
    article.refresh_from_db()
    assert article.picks == {}


def test_picks_from_another_session_go_to_a_copy(client):
    article = create(client, "你講")
    pick(client, article, 1, 1)
    stranger = Client()
    response = pick(stranger, article, 1, 0)
    copy = Article.objects.order_by("-created").first()
    assert copy.id != article.id and copy.copied_from == article.id
    assert response.status_code == 302 and response["Location"].startswith(copy.get_absolute_url())
    article.refresh_from_db()
    assert article.picks == {"1": {"word": "講", "reading": "kang2"}}     # the owner's stays
    assert copy.picks == {}
    assert rt(stranger, article) == ["lí", "káng"] and rt(stranger, copy) == ["lí", "kóng"]
    # the stranger owns the copy: a second pick changes it in place, even sent to the original
    data = pick(stranger, copy, 1, 1, accept_json=True).json()
    assert data["article_id"] == str(copy.id) and data["permalink"] == (
        f"http://testserver{copy.get_absolute_url()}?system=tl&tones=marks&sandhi=none&dialect=usual&layout=right")
    assert pick(stranger, article, 1, 0, accept_json=True).json()["article_id"] == str(copy.id)
    assert Article.objects.count() == 2
    # the stranger sees the notice on the owner's article, the owner does not
    notice = "這篇文章是在別的瀏覽器建立的"
    assert notice in stranger.get(article.get_absolute_url()).content.decode()
    assert notice not in client.get(article.get_absolute_url()).content.decode()


def test_a_pick_by_script_on_someone_elses_article_says_where_the_copy_is(client, article):
    data = pick(client, article, 0, 1, accept_json=True).json()
    copy = Article.objects.get(copied_from=article.id)
    assert data["article_id"] == str(copy.id) and data["can_undo"] is True
    article.refresh_from_db()
    assert article.picks == {}


def test_the_owner_can_undo_picks(client):
    article = create(client, "你講")
    undo = reverse("article_pronunciation:undo", args=[article.id])
    assert client.post(undo, HTTP_ACCEPT="application/json").status_code == 400
    pick(client, article, 1, 1)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'action="{undo}?' in page and 'id="fp-undo-form"' in page
    data = client.post(undo, HTTP_ACCEPT="application/json").json()
    assert data["romanized"] == "Lí kóng" and data["can_undo"] is False
    article.refresh_from_db()
    assert article.picks == {}
    # nobody else can
    pick(client, article, 1, 1)
    assert Client().post(undo, HTTP_ACCEPT="application/json").status_code == 400
    article.refresh_from_db()
    assert article.picks == {"1": {"word": "講", "reading": "kang2"}}


def test_the_migration_turns_numbered_picks_into_readings():
    from importlib import import_module
    migration = import_module("webproject.article_pronunciation.migrations.0002_picks_as_readings_and_owner")
    article = Article.objects.create(text="我講。的。", picks={"0": 1, "1": 1, "3": 2, "9": 1, "x": 1})
    migration.numbers_to_readings(apps, None)
    article.refresh_from_db()
    assert article.picks == {"0": {"word": "我", "reading": "ngoo2"}, "1": {"word": "講", "reading": "kang2"},
                             "3": {"word": "的", "reading": "tik8"}}


# -- the register model: a sentence that reads as news takes its news readings ----------------

NEWS = "行政院今仔日表示，政府會繼續推動經濟佮社會的發展。"
SPEECH = "我佮伊去食飯。\n"         # a paragraph of its own: the news sentence after it does not weigh on it


def test_the_usual_reading_of_a_news_sentence_is_its_news_reading(client):
    article = create(client, SPEECH + NEWS)
    news_at = len(SPEECH) + NEWS.index("佮")
    page = client.get(reverse("article_pronunciation:readings", args=[article.id])).content.decode()
    # 佮 in speech: kah (reading 0) usual and in use; in the news sentence: kap (reading 1)
    assert ('name="pick-1" value="0" checked> <span lang="nan-Latn-TW">kah</span> '
            '<span class="reading-choices__gloss" lang="zh-Hant-TW">') in page
    assert f'name="pick-{news_at}" value="1" checked> <span lang="nan-Latn-TW">kap</span>' in page
    row = page.split(f'name="pick-{news_at}" value="1"')[1].split("</label>")[0]
    assert "<small>(預設)</small>" in row
    # picking kah there is a pick; picking kap again is back to the usual reading
    assert pick(client, article, news_at, 0).status_code == 302
    article.refresh_from_db()
    assert article.picks == {str(news_at): {"word": "佮", "reading": "kah4"}}
    assert "king-tsè kah siā-huē" in client.get(article.get_absolute_url()).content.decode()
    assert pick(client, article, news_at, 1).status_code == 302
    article.refresh_from_db()
    assert article.picks == {}
    assert "king-tsè kap siā-huē" in client.get(article.get_absolute_url()).content.decode()


def test_apply_to_all_keeps_each_occurrence_usual_reading(client):
    article = create(client, SPEECH + NEWS)
    news_at = len(SPEECH) + NEWS.index("佮")
    # kah for every 佮: the speech one is already kah (no pick), the news one gets a pick
    assert pick(client, article, 1, 0, apply_to_all="1").status_code == 302
    article.refresh_from_db()
    assert article.picks == {}
    assert pick(client, article, news_at, 0, apply_to_all="1").status_code == 302
    article.refresh_from_db()
    assert article.picks == {str(news_at): {"word": "佮", "reading": "kah4"}}


def test_the_picker_is_told_each_tokens_usual_reading(client):
    import json
    article = create(client, SPEECH + NEWS)
    news_at = len(SPEECH) + NEWS.index("佮")

    def choices():
        page = client.get(article.get_absolute_url()).content.decode()
        return json.loads(page.split('<script id="fp-choices" type="application/json">')[1].split("</script>")[0])

    # reading 0 (kah) is the usual one in speech: no "usual"; kap (1) in the news sentence
    assert "usual" not in choices()["1"] and choices()["1"]["choice"] == 0
    assert choices()[str(news_at)]["choice"] == 1 and choices()[str(news_at)]["usual"] == 1
    # picked kah there: the pick is in use, and kap stays the usual one
    assert pick(client, article, news_at, 0).status_code == 302
    article.refresh_from_db()
    assert choices()[str(news_at)]["choice"] == 0 and choices()[str(news_at)]["usual"] == 1


class CountingLookups:
    def __init__(self):
        self.words = []

    def lookup(self, word):
        self.words.append(word)
        return fastpron.lookup(word)


def test_stored_picks_look_each_word_up_once():
    """"Apply to all" on 100,000 × 行 stores 100,000 picks of one word; a look-up each had
    cost every page of the article 1.7 s."""
    readings = fastpron.lookup("行")
    annotator = CountingLookups()
    picks = {str(k): {"word": "行", "reading": readings[1]} for k in range(1000)}
    assert picks_module.to_numbers("行" * 1000, picks, annotator) == {k: 1 for k in range(1000)}
    assert annotator.words == ["行"]
