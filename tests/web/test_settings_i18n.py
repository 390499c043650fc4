"""Settings from the environment (in fresh processes), the translations, the language switch."""

import gettext
import json
import os
import pathlib
import subprocess
import sys

import polib
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOCALE = ROOT / "webproject" / "locale" / "zh_Hant" / "LC_MESSAGES"
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({"debug": settings.DEBUG, "key": settings.SECRET_KEY, "hosts": settings.ALLOWED_HOSTS,
                  "engine": db["ENGINE"], "name": str(db["NAME"]), "options": db.get("OPTIONS", {})}))
"""


def run(args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    base.update(env)
    base.setdefault("DJANGO_SETTINGS_MODULE", "webproject.settings")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def probe(**env):
    result = run(["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_and_a_secret_key_is_required():
    result = run(["-c", PROBE])
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_settings_come_from_the_environment(tmp_path):
    got = probe(SECRET_KEY="s3cret", ALLOWED_HOSTS="example.org, www.example.org",
                DATABASE_URL="postgres://user:pw@db.internal:5432/fastpron")
    assert got["debug"] is False and got["key"] == "s3cret"
    assert got["hosts"] == ["example.org", "www.example.org"]
    assert (got["engine"], got["name"]) == ("django.db.backends.postgresql", "fastpron")


def test_development_fallback_key_only_with_debug():
    got = probe(DEBUG="1")
    assert got["debug"] is True and got["key"].startswith("development-only")
    assert got["hosts"] == ["localhost", "127.0.0.1", "[::1]"]


def test_sqlite_is_the_default_with_wal_and_a_busy_timeout(tmp_path):
    got = probe(SECRET_KEY="k")
    assert got["engine"] == "django.db.backends.sqlite3" and got["name"].endswith("db.sqlite3")
    assert got["options"]["timeout"] == 20
    db = tmp_path / "wal.sqlite3"
    code = ("import django; django.setup(); from django.db import connection\n"
            "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
            "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])")
    result = run(["-c", code], SECRET_KEY="k", DATABASE_URL=f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]


def test_manage_py_check_is_clean():
    result = run(["manage.py", "check"], SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], SECRET_KEY="k")
    assert result.returncode == 0, result.stdout + result.stderr


# -- translations ---------------------------------------------------------------------------

def test_every_message_is_translated_and_compiled():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.percent_translated() == 100
    assert not po.fuzzy_entries()
    with open(LOCALE / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    for entry in po:
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[0], entry.msgid
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, f"django.mo is older than django.po: {entry.msgid}"


@pytest.mark.django_db
@pytest.mark.parametrize("header, language", [
    ("en-US,en;q=0.9", "en"), ("zh-TW,zh;q=0.9,en;q=0.8", "zh-hant"), ("zh-CN", "zh-hant"),
    ("fr-FR,en;q=0.5", "en"), ("fr-FR", "zh-hant"), ("", "zh-hant"), ("en;q=0.2,zh;q=0.8", "zh-hant"),
    ("en;q=0", "zh-hant"), ("*", "zh-hant"), ("en;q=x", "zh-hant"),
])
def test_the_first_visit_follows_the_browsers_accept_language(client, header, language):
    response = client.get("/article_pronunciation/input/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.headers["Content-Language"] == language
    assert "Accept-Language" in response.headers["Vary"]
    page = response.content.decode()
    assert ("<h1>Annotate a Taiwanese text</h1>" in page) == (language == "en")


@pytest.mark.django_db
def test_the_language_switch_wins_over_accept_language(client):
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    response = client.get("/article_pronunciation/input/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-Hant-TW">' in response.content.decode()
    assert response.headers["Content-Language"] == "zh-hant"


@pytest.mark.django_db
def test_english_through_the_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dictionary/"})
    assert response.status_code == 302 and response.headers["Location"] == "/dictionary/"
    page = client.get("/article_pronunciation/input/").content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Annotate a Taiwanese text</h1>" in page
    assert '<option value="tps">Taiwanese Phonetic Symbols (方音符號)</option>' in page
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert "<h1>台語文章標音</h1>" in client.get("/article_pronunciation/input/").content.decode()


@pytest.mark.django_db
def test_language_switch_buttons_name_each_language_in_itself(client):
    page = client.get("/article_pronunciation/input/").content.decode()
    assert 'value="zh-hant" lang="zh-Hant" aria-pressed="true" disabled>繁體中文</button>' in page
    assert 'value="en" lang="en">English</button>' in page
