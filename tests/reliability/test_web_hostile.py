"""The web app against hostile and malformed input (pytest-django, in process).

What tests/web already checks is not repeated here (docs/reliability.md
lists those tests): this adds hostile payloads in every user-controlled
string on every page that shows it, a structural check that no element,
attribute or URL scheme gets in, the CSP on every kind of response, CSRF on
every form and session-authenticated write, malformed bodies and fields,
and what the public can reach.
"""

from __future__ import annotations

import html.parser
import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from webproject.article_pronunciation.models import Article
from webproject.dictionary.models import UserEntry

pytestmark = pytest.mark.django_db

INPUT = "/article_pronunciation/input/"
LATEST = "/article_pronunciation/pronunciation/"
OPTIONS = {"system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"}
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">台</a>',
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<!--",
    "<img src=x onerror=alert(1)>",
    "{{ request }}{% debug %}",
    "&lt;script&gt;&amp;",
    "\u2028\u2029</title><style>*{}</style>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "台灣<b>行</b>",
]
SAFE_URL = re.compile(r"(/|#|\?|http://testserver/|data:image/svg\+xml)")


class Structure(html.parser.HTMLParser):
    """Every element with its attribute names, every URL attribute, and raw script contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shapes, self.urls, self.handlers, self.scripts = set(), [], [], []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self.shapes.add((tag, tuple(sorted(name for name, _ in attrs))))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in ("href", "src", "action", "formaction", "data", "srcdoc", "poster") and value is not None:
                self.urls.append((tag, name, value))
        if tag == "script":
            self._in_script = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts.append((self._in_script, data))


def structure(page: str) -> Structure:
    parser = Structure()
    parser.feed(page)
    parser.close()
    return parser


def assert_inert(page: str, *baselines: str) -> None:
    """`page` (hostile text in it) has no element or attribute that the `baselines` (the same pages
    with plain text) lack, no event handler, no URL but the site's own, and no script but static
    files and JSON data."""
    found = structure(page)
    expected = set().union(*(structure(baseline).shapes for baseline in baselines))
    assert found.shapes <= expected, sorted(found.shapes - expected)
    assert not found.handlers, found.handlers
    for tag, name, value in found.urls:
        assert SAFE_URL.match(value.strip()), (tag, name, value)
    for attrs, data in found.scripts:
        assert "src" in attrs or attrs.get("type") == "application/json", attrs
        if attrs.get("type") == "application/json":
            json.loads(data)                # json_script's data: still one JSON value, nothing after it


def submit(client, text: str, **options):
    return client.post(INPUT, {"text": text, **OPTIONS, **options})


@pytest.fixture(autouse=True)
def _fresh_user_dictionary():
    """As tests/web/conftest.py: every test's database starts over, so must the process's annotator."""
    import fastpron
    from webproject.dictionary import annotator
    annotator.forget()
    yield
    annotator.forget()
    fastpron.default_annotator().clear_user_dictionary()


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-for-tests", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def pages_of(client, article: Article) -> dict[str, object]:
    """Every page and download that shows an article's text (its permalink's pages and the session's)."""
    detail = article.get_absolute_url()
    query = "?system=poj&layout=over"
    return {
        "latest": client.get(LATEST),
        "permalink": client.get(detail + query),
        "edit form": client.get(INPUT + f"?from={article.id}"),
        "readings": client.get(reverse("article_pronunciation:readings", args=[article.id])),
        "render": client.get(reverse("article_pronunciation:render", args=[article.id]) + query),
        **{f"download {fmt}": client.get(reverse("article_pronunciation:download", args=[article.id, fmt]))
           for fmt in ("text", "romanized", "html", "json")},
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_text_stays_text_everywhere(client, payload, figures):
    text = f"行{payload}銀行\n\n{payload}台灣"
    assert submit(client, "行x銀行\n\n台灣").status_code == 302
    baseline = pages_of(client, Article.objects.get())
    assert submit(client, text).status_code == 302
    article = Article.objects.get(text=text)
    assert article.text == text                             # stored as given
    pages = pages_of(client, article)
    for name, response in pages.items():
        assert response.status_code == 200, name
        kind = response.headers["Content-Type"]
        body = response.content.decode()
        if kind.startswith("text/html"):
            assert_inert(body, baseline[name].content.decode())
        elif kind.startswith("application/json"):
            data = json.loads(body)
            if name == "render":
                assert_inert(data["html"], baseline[name].json()["html"])
            else:
                assert data["text"] == text                 # the user's text, exactly
        else:       # plain text, never sniffed as HTML (Han characters get readings, so look at the others)
            assert kind.startswith("text/plain") and response.headers["X-Content-Type-Options"] == "nosniff"
            if name == "download text":     # 字(讀音): without the readings, exactly the text
                assert re.sub(r"(?<=[\u4e00-\u9fff0-9])\([^()]*\)", "", body) == text + "\n"   # Han and numbers
        if name.startswith("download"):
            disposition = response.headers["Content-Disposition"]
            assert re.fullmatch(r'attachment; filename="fastpron-[0-9a-f]{8}-tl\.(txt|romanized\.txt|html|json)"',
                                disposition), disposition
    edit = pages["edit form"].content.decode()
    assert re.search(r"<textarea[^>]*>\n?" + re.escape(text.replace("&", "&amp;").replace("<", "&lt;")
                     .replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")) + "</textarea>", edit)
    figures["pages_checked"] = figures.get("pages_checked", 0) + len(pages)


@pytest.mark.parametrize("system", ['"><script>alert(1)</script>', "tl\r\nSet-Cookie: x=1", "../../etc/passwd",
                                    "tl.html", "javascript:alert(1)"])
def test_download_names_ignore_hostile_options(client, system):
    article = Article.objects.create(text="台灣")
    for fmt, suffix in (("text", "txt"), ("romanized", "romanized.txt"), ("html", "html"), ("json", "json")):
        url = reverse("article_pronunciation:download", args=[article.id, fmt])
        response = client.get(url, {"system": system, "tones": system, "layout": system})
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == \
            f'attachment; filename="fastpron-{str(article.id)[:8]}-tl.{suffix}"'
        assert "Set-Cookie" not in response.headers or "x=1" not in response.headers["Set-Cookie"]


@pytest.mark.parametrize("query", ['"><script>alert(1)</script>', "javascript:alert(1)", "' onfocus='alert(1)"])
def test_hostile_query_strings_and_searches(client, query):
    baseline = {   # plain queries: found, not found, cut into words, refused
        "/dictionary/": [client.get("/dictionary/", {"q": q}).content.decode() for q in ("行", "xyz", "台灣人行", "")],
        "/dictionary/fanqie/": [client.get("/dictionary/fanqie/", q).content.decode()
                                for q in ({"upper": "德", "lower": "紅"}, {"upper": "x", "lower": "紅"},
                                          {"upper": "𠔜", "lower": "紅"}, {"upper": "德德", "lower": ""})],
        INPUT: [client.get(INPUT, {"x": "y"}).content.decode()]}
    for path, params in (("/dictionary/", {"q": query}), ("/dictionary/fanqie/", {"upper": query, "lower": "紅"}),
                         ("/dictionary/fanqie/", {"upper": "<", "lower": '"'}), (INPUT, {"from": query, query: query})):
        response = client.get(path, params)
        assert response.status_code in (200, 400, 404)
        assert_inert(response.content.decode(), *baseline[path])
    response = client.get("/api/lookup/" + query.replace("/", ""))
    assert response.status_code in (400, 404)
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_language_switch_goes_to_no_foreign_or_script_url(client):
    client.get(INPUT)
    token = client.cookies["csrftoken"].value
    for target in ("javascript:alert(1)", "//attacker.example/", "http://attacker.example/", "\\\\attacker.example"):
        response = client.post("/i18n/setlang/", {"language": "en", "next": target, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert response.headers["Location"] == "/", (target, response.headers["Location"])


@pytest.mark.parametrize("key", ['"><svg/onload=alert(x)>', "<script>", "javascript:x", "'onmouseover='x"])
def test_hostile_user_dictionary_entries_stay_text(staff, key, figures):
    """An entry's key, readings and note, from the admin: escaped in the admin and on every public page."""
    readings = "-".join(["a1"] * len(key))
    note = '"><script>alert("note")</script>'
    response = staff.post("/admin/dictionary/userentry/add/", {"key": key, "readings": readings, "note": note})
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = UserEntry.objects.get(key=key)
    admin_pages = [f"/admin/dictionary/userentry/{entry.pk}/change/", "/admin/dictionary/userentry/",
                   f"/admin/dictionary/userentry/{entry.pk}/history/", f"/admin/dictionary/userentry/{entry.pk}/delete/",
                   "/admin/dictionary/userentry/?q=" + key, "/admin/"]
    for url in admin_pages:
        response = staff.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        found = structure(page)
        assert not found.handlers and all(not v.strip().lower().startswith("javascript:") for _t, _n, v in found.urls)
        assert "<script>alert" not in page and "<svg/onload" not in page, url
    # Public pages: the key annotated in an article, searched for, looked up; the note never shown.
    public, plain = Client(), Client()
    assert submit(plain, "台xy灣").status_code == 302 and submit(public, f"台{key}灣").status_code == 302
    page = public.get(LATEST).content.decode()
    assert '<span class="fp-word" data-start="1">' in page and key not in page
    assert_inert(page, plain.get(LATEST).content.decode())
    search = public.get("/dictionary/", {"q": key})
    assert search.status_code == 200 and "a-a" in search.content.decode().replace("a a", "a-a")
    assert_inert(search.content.decode(), plain.get("/dictionary/", {"q": "行"}).content.decode())
    lookup = public.get("/api/lookup/" + key.replace("/", "%2F"))
    assert lookup.status_code == 200 and lookup.json()["key"] == key and lookup.json()["user_dictionary"] is True
    for response in (search, lookup):
        assert "note" not in response.content.decode() and 'alert("note")' not in response.content.decode()
    figures["admin_pages"] = len(admin_pages)


@pytest.mark.parametrize("readings", PAYLOADS[:6])
def test_hostile_readings_are_refused_and_shown_escaped(staff, readings):
    """Readings must be Tâi-lô: a hostile one is refused, and the admin's error page shows it as text."""
    response = staff.post("/admin/dictionary/userentry/add/", {"key": "台灣", "readings": readings, "note": ""})
    assert response.status_code == 200 and not UserEntry.objects.exists()
    page = response.content.decode()
    found = structure(page)
    assert not found.handlers and "<script>alert" not in page and "<svg onload" not in page
    assert all(not v.strip().lower().startswith("javascript:") for _t, _n, v in found.urls)


# -- Content-Security-Policy on every kind of response ------------------------------------------------

def csp_forbids_inline_script(policy: str) -> bool:
    directives = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}
    script = directives.get("script-src", directives.get("default-src"))
    return script is not None and not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(script)


def test_every_kind_of_response_forbids_inline_script(client, staff, django_user_model):
    article = Article.objects.create(text="台灣")
    anonymous = Client()
    responses = {
        "form": anonymous.get(INPUT), "400 form": anonymous.post(INPUT, {"text": ""}),
        "403 csrf": Client(enforce_csrf_checks=True).post(INPUT, {"text": "台灣"}),
        "404": anonymous.get("/no/such/page/"), "404 permalink": anonymous.get(f"{LATEST}{uuid.uuid4()}/"),
        "405": anonymous.put(INPUT), "redirect": anonymous.get("/"),
        "api json": anonymous.post("/api/annotate", {"text": "台"}, content_type="application/json"),
        "api error": anonymous.get("/api/nothing"), "admin login": anonymous.get("/admin/login/"),
        "admin": staff.get("/admin/dictionary/userentry/add/"),
        "download html": anonymous.get(reverse("article_pronunciation:download", args=[article.id, "html"])),
        "download text": anonymous.get(reverse("article_pronunciation:download", args=[article.id, "text"])),
        "dictionary": anonymous.get("/dictionary/", {"q": "行"}),
    }
    for name, response in responses.items():
        policy = response.headers.get("Content-Security-Policy", "")
        assert csp_forbids_inline_script(policy), (name, policy)
        assert "object-src 'none'" in policy or "default-src 'none'" in policy, (name, policy)
        assert "frame-ancestors 'none'" in policy or name == "download html", (name, policy)


# -- CSRF: every form and every session-authenticated write -------------------------------------------

def _token(client) -> str:
    client.get(INPUT)
    return client.cookies["csrftoken"].value


def test_csrf_on_every_form_and_write(django_user_model):
    article = Article.objects.create(text="行行")
    user = django_user_model.objects.create_user("editor2", password="pw-for-tests", is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    writes = {
        "article form": (INPUT, {"text": "台灣", **OPTIONS}),
        "reading picks": (reverse("article_pronunciation:readings", args=[article.id]), {"pick-0": "1"}),
        "language switch": ("/i18n/setlang/", {"language": "en", "next": "/"}),
        "admin add entry": ("/admin/dictionary/userentry/add/", {"key": "𠔜", "readings": "ta5", "note": ""}),
        "admin logout": ("/admin/logout/", {}),
    }
    for name, (url, data) in writes.items():
        assert client.post(url, data).status_code == 403, name
    # the script's pick, as JSON, with the session: refused without the header, taken with it
    picks = reverse("article_pronunciation:readings", args=[article.id])
    assert client.post(picks, {"pick-0": "1"}, HTTP_ACCEPT="application/json").status_code == 403
    token = _token(client)
    ok = client.post(picks, {"pick-0": "1"}, HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200 and ok.json()["choices"]
    # the article is nobody's (made without a session): the pick went to this session's copy
    assert Article.objects.get(pk=article.pk).picks == {}
    assert Article.objects.get(copied_from=article.pk).picks["0"]["word"].startswith("行")
    # a token from another origin's page is refused (Origin checked against the host)
    refused = client.post(INPUT, {"text": "台灣", **OPTIONS, "csrfmiddlewaretoken": token},
                          HTTP_ORIGIN="http://attacker.example")
    assert refused.status_code == 403
    assert not UserEntry.objects.exists() and Article.objects.count() == 2      # the article and the copy
    login = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "editor2", "password": "pw-for-tests"})
    assert login.status_code == 403


def test_the_api_takes_no_session_and_writes_nothing(staff):
    """POST /api/annotate is exempt from CSRF because it reads no session and stores nothing:
    with a staff session it sets no cookie and changes no row; no other API path writes."""
    before = (Article.objects.count(), UserEntry.objects.count())
    response = staff.post("/api/annotate", {"text": "台灣"}, content_type="application/json")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    for path in ("/api/", "/api/lookup/台灣", "/api/openapi.yaml", "/api/annotate/x"):
        response = staff.post(path, {"text": "台灣"}, content_type="application/json")
        assert response.status_code in (200, 404, 405), path
        assert "Set-Cookie" not in response.headers, path
    assert (Article.objects.count(), UserEntry.objects.count()) == before


# -- malformed input: a clear 4xx, the user's text kept ------------------------------------------------

@pytest.mark.parametrize("missing", ["system", "tones", "sandhi", "dialect"])
def test_a_missing_field_keeps_the_text(client, missing):
    fields = {"text": "台灣<b>人", **OPTIONS}
    del fields[missing]
    response = client.post(INPUT, fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert ">\n台灣&lt;b&gt;人</textarea>" in page
    assert re.search(rf'<select name="{missing}"[^>]*aria-invalid="true"', page) or "errorlist" in page
    assert not Article.objects.exists()


def test_a_missing_text_and_unknown_fields(client):
    response = client.post(INPUT, OPTIONS)
    assert response.status_code == 400 and not Article.objects.exists()
    response = client.post(INPUT, {"text": "台灣", **OPTIONS, "colour": "red", "system2": "x"})
    assert response.status_code == 302 and Article.objects.get().text == "台灣"


@pytest.mark.parametrize("body, saved", [
    (b"text=%FF%FE%E5%8F%B0", "\ufffd\ufffd台"),                # invalid UTF-8, percent-encoded (as browsers send)
    (b"text=%ED%A0%80%E5%8F%B0", "\ufffd\ufffd\ufffd台"),         # a lone surrogate, as UTF-8 would write it
    (b"text=%E5%8F", "\ufffd"),                                  # a character cut in two
    (b"text=\xe5\x8f\xb0", "台"),                                # raw UTF-8 (some scripts send it)
])
def test_invalid_utf8_in_the_form_is_replaced_not_lost(client, body, saved):
    options = "&".join(f"{k}={v}" for k, v in OPTIONS.items()).encode()
    response = client.post(INPUT, body + b"&" + options, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Article.objects.get().text == saved


@pytest.mark.parametrize("body", [b"text=\xff\xe5\x8f\xb0", "text=台灣".encode("big5"), b"text=a&x=\x80"])
def test_a_raw_form_body_that_is_not_utf8_is_a_400(client, body):
    """Django reads such a body as Latin-1: it was saved as mojibake with a 302.  Now the 400 page."""
    options = "&".join(f"{k}={v}" for k, v in OPTIONS.items()).encode()
    response = client.post(INPUT, body + b"&" + options, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers and not Article.objects.exists()


def test_nul_in_the_form_is_a_clear_400(client):
    response = client.post(INPUT, {"text": "台\0灣", **OPTIONS})
    assert response.status_code == 400 and not Article.objects.exists()
    assert "台" in response.content.decode()


def test_a_malformed_multipart_body_is_a_400(client):
    for content_type in ("multipart/form-data", "multipart/form-data; boundary=x"):
        assert client.post(INPUT, b"--x\r\nnonsense", content_type=content_type).status_code == 400


def api(client, body):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.generic("POST", "/api/annotate", data, content_type="application/json")


@pytest.mark.parametrize("body, message", [
    (b'{"\\ud800": 1, "text": "x"}', "unknown field(s): \ud800"),   # was a 500: the name in the message
    ({"text": "x", "picks": {"\u00b2": 1}}, "'picks' maps a token's start offset"),     # '²'.isdigit(): was a 500
    ({"text": "x", "picks": {"9" * 5000: 1}}, "'picks' maps a token's start offset"),   # int() refuses: was a 500
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),             # RecursionError: was a 500
    (b'{"text": "x"} {}', "not valid JSON"),
    (b"\xef\xbb\xbf{\"text\": \"x\"}", "not valid JSON"),
    ({"text": "x", "picks": {"0": 1e400}}, "'picks' maps"),
    (b'{"text": NaN}', "'text' must be a string"),
])
def test_malformed_json_is_a_clear_json_400(client, body, message):
    response = api(client, body)
    assert response.status_code == 400, response.content[:300]
    assert response.headers["Content-Type"] == "application/json"
    assert message in response.json()["error"]


@pytest.mark.parametrize("escaped, text", [(b"\\ud800\\u53f0", "\ud800台"), (b"\\udc00", "\udc00"),
                                           (b"a\\ud800\\ud800b", "a\ud800\ud800b")])
def test_lone_surrogates_in_the_json_text_come_back_as_sent(client, escaped, text):
    response = api(client, b'{"text": "' + escaped + b'"}')
    assert response.status_code == 200
    assert "".join(t["surface"] for t in response.json()["tokens"]) == text


def test_a_surrogate_pair_is_one_character(client):
    response = api(client, b'{"text": "\\ud840\\udc00\\u53f0"}')
    assert response.status_code == 200
    assert [t["surface"] for t in response.json()["tokens"]] == ["\U00020000", "台"]


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "9" * 5000, "-1", "1.0", " 1", ""])
def test_malformed_picks_in_the_form_are_a_400(client, value):
    article = Article.objects.create(text="行。行")
    url = reverse("article_pronunciation:readings", args=[article.id])
    response = client.post(url, {"pick-0": value})
    assert response.status_code == 400
    assert client.post(url, {"pick-0": value}, HTTP_ACCEPT="application/json").json()["error"]
    assert Article.objects.get().picks == {}


# -- what the public can reach ------------------------------------------------------------------------

def test_permalinks_cannot_be_enumerated(client, figures):
    ids = []
    for k in range(50):
        submit(client, f"台灣{k}")
        ids.append(Article.objects.latest("created").id)
    assert all(i.version == 4 for i in ids)                 # random: 122 bits, nothing sequential
    guesses = [uuid.UUID(int=ids[0].int + d) for d in (-1, 1, 2)] + [uuid.uuid4() for _ in range(300)]
    guesses += [uuid.UUID(str(ids[0])[:-1] + c) for c in "0123456789abcdef" if str(ids[0])[-1] != c]
    statuses = {client.get(f"{LATEST}{g}/").status_code for g in guesses}
    assert statuses == {404}
    for path in ("/article_pronunciation/", LATEST + "?page=2", "/article_pronunciation/pronunciation/all/",
                 "/api/articles", "/sitemap.xml", "/admin/article_pronunciation/article/"):
        response = Client().get(path)
        assert response.status_code in (302, 404), path
        assert str(ids[0]) not in response.content.decode()
    figures.update(articles=len(ids), guesses=len(guesses), found=0)


def test_the_admin_needs_a_staff_login_everywhere(client, django_user_model):
    entry = UserEntry.objects.create(key="𠔜", readings="tâ", note="internal note")
    visitor = django_user_model.objects.create_user("visitor", password="pw-for-tests")
    urls = ["/admin/", "/admin/dictionary/userentry/", f"/admin/dictionary/userentry/{entry.pk}/change/",
            f"/admin/dictionary/userentry/{entry.pk}/history/", f"/admin/dictionary/userentry/{entry.pk}/delete/",
            "/admin/auth/user/", "/admin/auth/group/", "/admin/dictionary/dictionarystate/",
            "/admin/jsi18n/", "/admin/password_change/"]
    for who in ("anonymous", "not staff"):
        browser = Client()
        if who == "not staff":
            browser.force_login(visitor)
        for url in urls:
            response = browser.get(url)
            assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login/"), \
                (who, url, response.status_code)
        assert browser.post(f"/admin/dictionary/userentry/{entry.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert UserEntry.objects.filter(pk=entry.pk).exists()
    for url in (INPUT, "/dictionary/?q=𠔜", "/api/lookup/𠔜", "/api/", "/nothing/here/"):
        page = Client().get(url).content.decode()
        assert "internal note" not in page and "/admin/" not in page, url


def test_error_pages_tell_no_internals(client, settings):
    assert settings.DEBUG is False
    page = client.get("/no/such/page/").content.decode()
    assert "URLconf" not in page and "urlpatterns" not in page and "Traceback" not in page
    page = client.get(f"{LATEST}{uuid.uuid4()}/").content.decode()
    assert "Article matching query" not in page and "DoesNotExist" not in page
