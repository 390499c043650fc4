"""The dictionary: search page, 反切, the user dictionary (admin, sync, TSV commands)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from webproject.dictionary.annotator import shared_annotator
from webproject.dictionary.lookup import fanqie
from webproject.dictionary.models import DictionaryState, UserEntry

pytestmark = pytest.mark.django_db

ADMIN_ADD = "/admin/dictionary/userentry/add/"


def romanize(client, text):
    response = client.generic("POST", "/api/annotate", f'{{"text": "{text}"}}', content_type="application/json")
    return " ".join(t["reading"] or t["surface"] for t in response.json()["tokens"])


# -- search page ------------------------------------------------------------------------

def test_search_page_shows_every_reading_in_every_system(client):
    response = client.get("/dictionary/", {"q": "台灣"})
    assert response.status_code == 200
    page = response.content.decode()
    assert ('<td class="lookup-table__numbered"><code>Tai5-uan5</code></td>\n'
            '          <td class="lookup-table__gloss" lang="zh-Hant-TW" data-label="華語釋義">台灣</td>\n'
            '          <td data-label="台羅 Tâi-lô">Tâi-uân</td><td data-label="白話字 Pe̍h-ōe-jī">Tâi-oân</td>'
            '<td data-label="臺灣語言音標 TLPA">Tai5-uan5</td><td data-label="閩拼 Bbánlám pìngyīm">Dái-wán</td>'
            '<td data-label="方音符號">ㄉㄞˊ ㄨㄢˊ</td><td data-label="國際音標 IPA">tai˨˦ uan˨˦</td>'
            '<td data-label="十五音">皆五地 觀五英</td><td data-label="台語通用拼音">Dăi-uăn</td></tr>') in page


def test_search_without_a_query_shows_the_form(client):
    response = client.get("/dictionary/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_search_for_a_phrase_offers_its_words(client):
    page = client.get("/dictionary/", {"q": "我行路"}).content.decode()
    assert "字典中沒有 <strong>我行路</strong>" in page
    assert '<a href="?q=%E8%A1%8C%E8%B7%AF" lang="nan-Hant-TW">行路</a> <span class="reading">kiânn-lōo</span>' in page


def test_search_errors_are_400_and_escaped(client):
    assert client.get("/dictionary/", {"q": "   "}).status_code == 400
    assert client.get("/dictionary/", {"q": "台" * 65}).status_code == 400
    page = client.get("/dictionary/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


# -- 反切 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("upper, lower, made", [
    ("tik4", "ang5", "tang1"),      # 東: 德紅切 — 清 + 平 -> 1
    ("too5", "ang5", "tang5"),      # 同: 徒紅切 — 濁 + 平 -> 5
    ("koo2", "hong5", "kong1"),     # 公: 古紅切
    ("too5", "tsong3", "tong7"),    # 濁 + 去 -> 7
    ("koo2", "tsik4", "kik4"),      # 清 + 入 -> 4
    ("bo5", "hok8", "bok8"),        # 濁 + 入 -> 8
    ("tsa1", "hai2", "tsai2"),      # 清 + 上 -> 2
    ("ga5", "hai2", "gai6"),        # 濁 + 上 -> 6
    ("senn1/*sinn1", "a1", "sa1"),  # the usual side of an alternant
    ("ang5", "ka1", "a5"),          # no initial
])
def test_fanqie(upper, lower, made):
    assert fanqie(upper, lower).numbered == made


def test_fanqie_tells_its_parts():
    result = fanqie("tik4", "ang5")
    assert (result.initial, result.final, result.voicing, result.category) == ("t", "ang", "清", "平")


def test_fanqie_refuses_tone_9():
    with pytest.raises(ValueError, match="tone 9"):
        fanqie("a9", "ang5")


def test_fanqie_page(client):
    response = client.get("/dictionary/fanqie/", {"upper": "德", "lower": "紅"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '德紅切</span> → <code class="fanqie-numbered">tang1</code>' in page
    assert "<th scope=\"row\">台羅 Tâi-lô</th><td>tang</td>" in page
    assert "<td><code>tik4</code></td><td><code>hong5</code></td><td>清平</td><td><code>tong1</code></td>" in page


def test_fanqie_page_errors(client):
    assert client.get("/dictionary/fanqie/", {"upper": "德德", "lower": "紅"}).status_code == 400
    assert client.get("/dictionary/fanqie/", {"upper": "德"}).status_code == 400
    response = client.get("/dictionary/fanqie/", {"upper": "𠔜", "lower": "紅"})
    assert response.status_code == 404
    assert "字典中沒有：𠔜" in response.content.decode()


# -- the user dictionary and the annotator ----------------------------------------------

def test_an_entry_takes_effect_on_the_next_request(client):
    assert romanize(client, "𠔜𠔜") == "𠔜 𠔜"         # two unknown characters
    UserEntry.objects.create(key="𠔜𠔜", readings="tâ-tâ")
    assert romanize(client, "𠔜𠔜") == "tâ-tâ"
    entry = UserEntry.objects.get()
    entry.readings = "lâ-lâ, tâ-tâ"
    entry.save()
    response = client.get("/api/lookup/𠔜𠔜").json()
    assert [r["numbered"] for r in response["readings"]] == ["la5-la5", "ta5-ta5"]
    assert response["user_dictionary"] is True
    entry.delete()
    assert romanize(client, "𠔜𠔜") == "𠔜 𠔜"


def test_a_hidden_entry_removes_a_lexicon_word(client):
    assert romanize(client, "銀行") == "gîn-hâng"
    UserEntry.objects.create(key="銀行", hidden=True)
    assert romanize(client, "銀行") == "gîn kiânn"   # two characters now, each its usual reading


def test_no_reload_while_nothing_changed(client, monkeypatch):
    UserEntry.objects.create(key="𠔜", readings="tâ")
    shared_annotator()
    calls = []
    monkeypatch.setattr("webproject.dictionary.annotator.load_entries", lambda: calls.append(1) or {})
    for _ in range(3):
        shared_annotator()
    assert calls == []
    UserEntry.objects.create(key="𠔜𠔜", readings="tâ-tâ")
    shared_annotator()
    assert calls == [1]


def test_every_edit_changes_the_revision():
    assert DictionaryState.objects.count() == 1        # made by the migration
    first = DictionaryState.current()
    entry = UserEntry.objects.create(key="𠔜", readings="tâ")
    second = DictionaryState.current()
    entry.delete()
    assert len({first, second, DictionaryState.current()}) == 3
    assert DictionaryState.objects.count() == 1


# -- admin --------------------------------------------------------------------------------

def test_admin_is_for_staff_only(client, django_user_model):
    response = client.get(ADMIN_ADD)
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login/")
    user = django_user_model.objects.create_user("visitor", password="pw-for-tests")
    client.force_login(user)
    assert client.get(ADMIN_ADD).status_code == 302


def test_admin_edit_changes_the_annotation(staff_client):
    assert romanize(staff_client, "𠔜𠔜") == "𠔜 𠔜"
    response = staff_client.post(ADMIN_ADD, {"key": "𠔜𠔜", "readings": "tâ-tâ", "note": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert romanize(staff_client, "𠔜𠔜") == "tâ-tâ"
    entry = UserEntry.objects.get(key="𠔜𠔜")
    response = staff_client.post(f"/admin/dictionary/userentry/{entry.pk}/change/",
                                 {"key": "𠔜𠔜", "readings": "tai5-tai5", "note": ""})
    assert response.status_code == 302
    assert romanize(staff_client, "𠔜𠔜") == "tâi-tâi"
    response = staff_client.post(f"/admin/dictionary/userentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert romanize(staff_client, "𠔜𠔜") == "𠔜 𠔜"


@pytest.mark.parametrize("data, message", [
    # the admin speaks the interface's language; fastpron's own detail stays as it is
    ({"key": "台灣", "readings": "tâi"}, "fastpron 無法使用這個詞條：&#x27;tâi&#x27; has 1 syllables but"),
    ({"key": "台灣", "readings": "xyz-abc"}, "not a Tâi-lô syllable: &#x27;xyz1&#x27;"),
    ({"key": "台灣", "readings": "tâi-6"}, "bad reading for"),
    ({"key": "台灣", "readings": ""}, "請至少填一種讀音"),
    ({"key": "台 灣", "readings": "tâi-uân"}, "cannot contain white space"),
    ({"key": "台灣", "readings": "tâi-uân", "hidden": "on"}, "隱藏的詞不能有讀音"),
    # invisible characters in the word (they looked like 台灣 in the admin, and matched no text)
    ({"key": "台\u200b灣", "readings": "tâi-uân"}, "含有看不見的字元 U+200B ZERO WIDTH SPACE"),
    ({"key": "\u2060台灣", "readings": "tâi-uân"}, "含有看不見的字元 U+2060 WORD JOINER"),
    ({"key": "台灣\u202e", "readings": "tâi-uân"}, "含有看不見的字元 U+202E RIGHT-TO-LEFT OVERRIDE"),
    ({"key": "台\u3164灣", "readings": "tâi-uân"}, "含有看不見的字元 U+3164 HANGUL FILLER"),
    ({"key": "台\ufe0f", "readings": "tâi"}, "含有看不見的字元 U+FE0F VARIATION SELECTOR-16"),
    ({"key": "台\x07", "readings": "tâi"}, "含有看不見的字元 U+0007：請去掉它"),
    # the same reading twice, or thousands (a 684 KB look-up answer)
    ({"key": "台灣", "readings": "tâi-uân, tai5-uan5"}, "&#x27;台灣&#x27; 的讀音 &#x27;tai5-uan5&#x27; "
                                                       "重複了（前面已有 &#x27;tâi-uân&#x27;）"),
    ({"key": "台", "readings": ", ".join(["tâi"] * 5000)}, "&#x27;台&#x27; 有 5000 種讀音；最多只能有 16 種"),
])
def test_admin_refuses_bad_entries(staff_client, data, message):
    response = staff_client.post(ADMIN_ADD, {"note": "", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not UserEntry.objects.exists()


def test_admin_escapes_entries(staff_client):
    response = staff_client.post(ADMIN_ADD, {"key": "<b>", "readings": "a-a-a", "note": "<script>alert(1)</script>"})
    assert response.status_code == 302
    page = staff_client.get("/admin/dictionary/userentry/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page.split("<tbody>")[1]
    # and the annotation of the key escapes it too
    html = Client().get("/article_pronunciation/input/")  # noqa: F841  (a fresh visitor)
    response = staff_client.post("/article_pronunciation/input/", {"text": "<b>", "system": "tl", "tones": "marks",
                                                                    "sandhi": "none", "dialect": "usual"})
    page = staff_client.get("/article_pronunciation/pronunciation/").content.decode()
    assert '<ruby>&lt;<rp>(</rp><rt>a</rt><rp>)</rp></ruby>' in page and "<b>" not in page.split('id="fp-article"')[1]


# -- import / export ------------------------------------------------------------------------

TSV = "hanji\treading\tnote\n# a comment\n𠔜𠔜\ttâ-tâ\tmade up\n𠔜𠔜\tlâ-lâ\n銀行\t-\n\n"


def test_import_then_export(tmp_path, client):
    path = tmp_path / "user.tsv"
    path.write_text(TSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_user_dictionary", str(path), stdout=out)
    assert out.getvalue() == "imported 2 entries: 2 new, 0 changed, 0 removed\n"
    assert romanize(client, "𠔜𠔜銀行") == "tâ-tâ gîn kiânn"
    out = io.StringIO()
    call_command("export_user_dictionary", stdout=out)
    assert out.getvalue() == ("# fastpron user dictionary: one reading a line, the preferred first; '-' hides a word\n"
                              "hanji\treading\tnote\n"
                              "銀行\t-\n"
                              "𠔜𠔜\ttâ-tâ\tmade up\n"
                              "𠔜𠔜\tlâ-lâ\n")


def test_import_replace_and_dry_run(tmp_path):
    UserEntry.objects.create(key="𠔜", readings="tâ")
    path = tmp_path / "user.tsv"
    path.write_text("𠔜𠔜\ttâ-tâ\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_user_dictionary", str(path), "--replace", "--dry-run", stdout=out)
    assert out.getvalue() == "would import 1 entries: 1 new, 0 changed, 1 removed\n"
    assert list(UserEntry.objects.values_list("key", flat=True)) == ["𠔜"]
    call_command("import_user_dictionary", str(path), "--replace", stdout=io.StringIO())
    assert list(UserEntry.objects.values_list("key", flat=True)) == ["𠔜𠔜"]


def test_import_round_trips_through_export(tmp_path):
    UserEntry.objects.create(key="𠔜𠔜", readings="tâ-tâ, lâ-lâ", note="n")
    UserEntry.objects.create(key="銀行", hidden=True)
    path = tmp_path / "out.tsv"
    call_command("export_user_dictionary", str(path), stderr=io.StringIO())
    before = list(UserEntry.objects.order_by("key").values_list("key", "readings", "hidden", "note"))
    UserEntry.objects.all().delete()
    call_command("import_user_dictionary", str(path), stdout=io.StringIO())
    assert list(UserEntry.objects.order_by("key").values_list("key", "readings", "hidden", "note")) == before


def test_import_reports_every_bad_line_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("𠔜𠔜\ttâ\n只有一欄\n𠔜\ttâ\n𠔜\t-\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_user_dictionary", str(path))
    message = str(error.value)
    assert "3 problem(s), nothing imported" in message
    assert "line 2: expected 'word<TAB>reading'" in message
    assert "line 1: fastpron 無法使用這個詞條：'tâ' has 1 syllables but '𠔜𠔜' has 2 characters" in message
    assert "line 3: 𠔜 is both hidden ('-') and given readings" in message
    assert not UserEntry.objects.exists()


def test_import_refuses_non_utf8(tmp_path):
    path = tmp_path / "big5.tsv"
    path.write_bytes("台灣\ttai5-uan5\n".encode("big5"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        call_command("import_user_dictionary", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_user_dictionary", str(tmp_path / "missing.tsv"))


def test_search_page_shows_each_readings_mandarin_gloss(client):
    page = client.get("/dictionary/", {"q": "講"}).content.decode()
    assert '<code>kong2</code></td>\n          <td class="lookup-table__gloss" lang="zh-Hant-TW" data-label="華語釋義">說情；講</td>' in page
    assert '<code>kang2</code></td>\n          <td class="lookup-table__gloss" lang="zh-Hant-TW" data-label="華語釋義">講</td>' in page


@pytest.mark.parametrize("query", ["tâi-uân", "tai5-uan5", "taiuan", "Tâi-oân", "tai uan", "TAI5-UAN5"])
def test_search_by_romanisation_finds_the_word(client, query):
    response = client.get("/dictionary/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "字典中沒有" not in page
    assert '<a href="?q=%E5%8F%B0%E7%81%A3">台灣</a>' in page


def test_search_by_romanisation_with_tones_keeps_to_those_tones(client):
    page = client.get("/dictionary/", {"q": "tai5-uan5"}).content.decode()
    assert ">大員</a>" not in page
    assert ">大員</a>" in client.get("/dictionary/", {"q": "taiuan"}).content.decode()


def test_api_lookup_by_romanisation(client):
    response = client.get("/api/lookup/tai5-uan5")
    assert response.status_code == 200
    data = response.json()
    assert data["romanized"] is True and data["readings"] == []
    assert [(w["key"], w["numbered"], w["gloss"]) for w in data["words"]] == [("台灣", "Tai5-uan5", "台灣")]
    assert data["words"][0]["systems"]["tps"] == "ㄉㄞˊ ㄨㄢˊ"
    assert client.get("/api/lookup/hello").status_code == 404
