"""The JSON API: POST /api/annotate, GET /api/lookup/<text>, and its errors."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ANNOTATE = "/api/annotate"


def post(client, body, content_type="application/json"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.generic("POST", ANNOTATE, data, content_type=content_type)


def test_annotate_gives_tokens(client):
    response = post(client, {"text": "我行路去銀行。"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    data = response.json()
    assert data["options"] == {"system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"}
    assert [(t["surface"], t["reading"], t["alternatives"], t["kind"]) for t in data["tokens"]] == [
        ("我", "guá", ["ngóo"], "char"),
        ("行路", "kiânn-lōo", [], "word"),
        ("去", "khì", [], "char"),
        ("銀行", "gîn-hâng", [], "word"),
        ("。", None, [], "other"),
    ]
    assert data["tokens"][1]["syllables"] == ["kiânn", "lōo"]
    assert (data["tokens"][1]["start"], data["tokens"][1]["end"]) == (1, 3)


def test_annotate_with_options_and_picks(client):
    data = post(client, {"text": "我台灣", "system": "poj", "tones": "numbers", "picks": {"0": 1}}).json()
    assert [(t["surface"], t["reading"], t["choice"]) for t in data["tokens"]] == [
        ("我", "ngo͘2", 1), ("台灣", "Tai5-oan5", 0)]
    data = post(client, {"text": "台灣", "system": "tps", "dialect": None}).json()
    assert data["tokens"][0]["reading"] == "ㄉㄞˊ ㄨㄢˊ"
    assert data["options"]["dialect"] == "usual"


def test_annotate_sandhi(client):
    data = post(client, {"text": "台灣", "sandhi": "auto"}).json()
    assert data["tokens"][0]["reading"] == "Tāi-uân"


def test_annotate_needs_no_csrf_token():
    response = post(Client(enforce_csrf_checks=True), {"text": "台灣"})
    assert response.status_code == 200


def test_unicode_is_not_escaped_in_the_json(client):
    assert "行路".encode() in post(client, {"text": "行路"}).content


@pytest.mark.parametrize("body, status, message", [
    ({}, 400, "the field 'text' is required"),
    ({"text": 5}, 400, "'text' must be a string, not a number"),
    ({"text": None}, 400, "'text' must be a string, not null"),
    ({"text": "台灣", "colour": "red"}, 400, "unknown field(s): colour"),
    ({"text": "台灣", "system": "klingon"}, 400, "'system' must be one of: tl, poj, tlpa, bp, tps, ipa, sni, tongiong"),
    ({"text": "台灣", "tones": 3}, 400, "'tones' must be one of: marks, numbers, none; got 3"),
    ({"text": "台灣", "picks": [1]}, 400, "'picks' must be an object of token start -> reading number, not an array"),
    ({"text": "台灣", "picks": {"x": 1}}, 400, "'picks' maps a token's start offset"),
    ({"text": "台灣", "picks": {"0": True}}, 400, "'picks' maps a token's start offset"),
    ([1, 2], 400, "the request body must be a JSON object, not an array"),
    ("\"text\"", 400, "the request body must be a JSON object, not a string"),
    ("{\"text\": ", 400, "the request body is not valid JSON"),
    (b"{\"text\": \"\xff\xfe\"}", 400, "the request body is not valid UTF-8 (byte 10)"),
])
def test_annotate_errors_are_json_4xx(client, body, status, message):
    response = post(client, body)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"].startswith(message)


def test_annotate_field_is_named(client):
    assert post(client, {"text": "台灣", "system": "x"}).json()["field"] == "system"


def test_annotate_wants_json(client):
    response = post(client, "text=台灣", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "Content-Type: application/json" in response.json()["error"]


def test_annotate_over_the_limit_is_413(client, settings):
    settings.MAX_TEXT_LENGTH = 10
    response = post(client, {"text": "台" * 11})
    assert response.status_code == 413
    assert response.json() == {"error": "'text' has 11 characters; the limit is 10", "field": "text"}
    assert post(client, {"text": "台" * 10}).status_code == 200


def test_annotate_body_too_large_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = post(client, {"text": "台" * 100})
    assert response.status_code == 413
    assert "larger than 100 bytes" in response.json()["error"]


def test_annotate_only_takes_post(client):
    response = client.get(ANNOTATE)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json() == {"error": "use POST for this endpoint"}


def test_lookup_gives_every_reading_in_every_system(client):
    response = client.get("/api/lookup/台灣")
    assert response.status_code == 200
    data = response.json()
    assert data["key"] == "台灣" and data["user_dictionary"] is False
    assert data["readings"] == [{"numbered": "Tai5-uan5", "gloss": "台灣", "systems": {
        "tl": "Tâi-uân", "poj": "Tâi-oân", "tlpa": "Tai5-uan5", "bp": "Dái-wán", "tps": "ㄉㄞˊ ㄨㄢˊ",
        "ipa": "tai˨˦ uan˨˦", "sni": "皆五地 觀五英", "tongiong": "Dăi-uăn"}}]


def test_lookup_of_a_character_lists_its_readings_best_first(client):
    data = client.get("/api/lookup/行").json()
    assert [r["numbered"] for r in data["readings"]][:3] == ["kiann5", "hing5", "hang5"]
    assert data["readings"][0]["systems"]["poj"] == "kiâⁿ"


def test_lookup_errors(client):
    response = client.get("/api/lookup/𠔜𠔜")
    assert response.status_code == 404
    assert response.json() == {"error": "𠔜𠔜 is not in the dictionary"}
    response = client.get("/api/lookup/" + "台" * 65)
    assert response.status_code == 400
    assert client.get("/api/lookup/台%20灣").status_code == 400
    response = client.post("/api/lookup/台灣")
    assert response.status_code == 405 and response.headers["Allow"] == "GET"


def test_unknown_api_paths_are_json_404(client):
    response = client.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.json()["error"].startswith("no API endpoint at /api/nothing/here")


def test_api_index_and_openapi(client):
    assert client.get("/api/").json()["openapi"] == "/api/openapi.yaml"
    response = client.get("/api/openapi.yaml")
    assert response.status_code == 200
    assert b"openapi: 3.1.0" in b"".join(response.streaming_content)


def test_the_openapi_examples_are_what_the_api_answers(client):
    import pathlib

    import yaml
    spec = yaml.safe_load((pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())
    assert spec["openapi"] == "3.1.0"
    annotate = spec["paths"]["/api/annotate"]["post"]
    request = annotate["requestBody"]["content"]["application/json"]["example"]
    expected = annotate["responses"]["200"]["content"]["application/json"]["example"]
    assert post(client, request).json() == expected
    lookup = spec["paths"]["/api/lookup/{text}"]["get"]
    expected = lookup["responses"]["200"]["content"]["application/json"]["example"]
    assert client.get(f"/api/lookup/{expected['key']}").json() == expected
    bodies = {"missing": {}, "unknown": {"text": "台灣", "colour": "red"}, "not_object": [1, 2],
              "utf8": b'{"text": "\xff\xfe"}', "option": {"text": "台灣", "system": "klingon"}}
    examples = spec["components"]["responses"]["BadRequest"]["content"]["application/json"]["examples"]
    assert set(examples) == set(bodies)
    for name, example in examples.items():
        response = post(client, bodies[name])
        assert (response.status_code, response.json()) == (400, example["value"]), name
    enum = spec["components"]["schemas"]["System"]["enum"]
    assert enum == client.get("/api/lookup/台").json()["systems"]


@pytest.mark.parametrize("body, message", [
    # json.loads refuses integers of over 4,300 digits with a ValueError: it was an HTML 500
    ('{"text": "行", "x": ' + "9" * 5000 + "}", "the request body is not valid JSON here: a number of over 4,300 digits"),
    ('{"text": "行", "picks": {"0": ' + "9" * 5000 + "}}", "the request body is not valid JSON here: a number"),
])
def test_annotate_huge_numbers_are_a_json_400(client, body, message):
    response = post(client, body)
    assert response.status_code == 400, response.content[:300]
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"].startswith(message)


# -- CORS ----------------------------------------------------------------------------------

def test_no_cors_headers_by_default(client):
    response = client.post("/api/annotate", {"text": "台灣"}, content_type="application/json",
                           HTTP_ORIGIN="https://reader.example")
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options("/api/annotate", HTTP_ORIGIN="https://reader.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert preflight.status_code == 405


def test_cors_for_the_origins_allowed(client, settings):
    settings.API_CORS_ORIGINS = ["https://reader.example"]
    preflight = client.options("/api/annotate", HTTP_ORIGIN="https://reader.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type")
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://reader.example"
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST"
    assert preflight.headers["Access-Control-Allow-Headers"] == "Content-Type"
    response = client.post("/api/annotate", {"text": "台灣"}, content_type="application/json",
                           HTTP_ORIGIN="https://reader.example")
    assert response.headers["Access-Control-Allow-Origin"] == "https://reader.example"
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    lookup = client.get("/api/lookup/台灣", HTTP_ORIGIN="https://reader.example")
    assert lookup.headers["Access-Control-Allow-Origin"] == "https://reader.example"
    other = client.get("/api/lookup/台灣", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in other.headers
    settings.API_CORS_ORIGINS = ["*"]
    assert client.get("/api/lookup/台灣", HTTP_ORIGIN="https://elsewhere.example").headers[
        "Access-Control-Allow-Origin"] == "*"


def test_annotate_converts_romanised_words_when_asked(client):
    body = {"text": "我愛 Tâi-uân 台灣", "system": "poj", "romanized": "convert", "picks": {"0": 1}}
    data = post(client, body).json()
    assert data["options"] == {"system": "poj", "tones": "marks", "sandhi": "none", "dialect": "usual",
                               "romanized": "convert"}
    assert data["text"] == "我愛 Tâi-oân 台灣"
    assert [(t["surface"], t["reading"]) for t in data["tokens"]] == [
        ("我", "ngó͘"), ("愛", "ài"), (" Tâi-oân ", None), ("台灣", "Tâi-oân")]
    keep = post(client, {"text": "我愛 Tâi-uân", "system": "poj"}).json()
    assert "text" not in keep and keep["tokens"][-1]["surface"] == " Tâi-uân"
    bad = post(client, {"text": "台灣", "romanized": "yes"})
    assert bad.status_code == 400 and bad.json()["field"] == "romanized"
