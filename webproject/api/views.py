"""JSON API views.  Every error is a JSON object {"error": message} with a 4xx status."""

from __future__ import annotations

import functools
import json
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from fastpron.annotator import MAX_KEY_LENGTH

from ..article_pronunciation.options import DEFAULTS, DIALECTS, OPTION_NAMES, SANDHI, SYSTEMS, TONES
from ..article_pronunciation.options import annotator_options
from ..dictionary.annotator import shared_annotator
from .cors import cors
from ..dictionary.lookup import is_romanized, readings_in_every_system, words_read_as

CODES = {name: [code for code, _ in choices]       # each option's valid values
         for name, choices in {"system": SYSTEMS, "tones": TONES, "sandhi": SANDHI, "dialect": DIALECTS}.items()}
ANNOTATE_FIELDS = {"text", "picks", "romanized", *OPTION_NAMES}
ROMANIZED = ("keep", "convert")
OPENAPI_FILE = settings.BASE_DIR / "docs" / "openapi.yaml"
JSON_TYPES = ("application/json", "application/problem+json")


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field

    def response(self) -> JsonResponse:
        body = {"error": self.message}
        if self.field:
            body["field"] = self.field
        try:
            return JsonResponse(body, status=self.status, json_dumps_params={"ensure_ascii": False})
        except UnicodeEncodeError:      # a lone surrogate from the request (a field's name): send it escaped
            return JsonResponse(body, status=self.status)


def _json_response(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _method_not_allowed(allowed: str):
    response = ApiError(405, f"use {allowed} for this endpoint").response()
    response.headers["Allow"] = allowed
    return response


def _read_json_object(request) -> dict:
    content_type = request.content_type or ""
    if content_type not in JSON_TYPES:
        raise ApiError(415, "send the request body as JSON with the header Content-Type: application/json")
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, f"the request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ApiError(400, f"the request body is not valid UTF-8 (byte {err.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ApiError(400, f"the request body is not valid JSON: {err.msg} at line {err.lineno} "
                            f"column {err.colno}") from None
    except RecursionError:
        raise ApiError(400, "the request body is not valid JSON here: nested too deeply") from None
    except ValueError:          # int() in the parser refuses more digits than sys.get_int_max_str_digits()
        raise ApiError(400, f"the request body is not valid JSON here: a number of over "
                            f"{sys.get_int_max_str_digits():,} digits") from None
    if not isinstance(data, dict):
        raise ApiError(400, f"the request body must be a JSON object, not {_json_type(data)}")
    return data


def _json_type(value) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _annotate_request(data: dict) -> tuple[str, dict, dict[int, int]]:
    unknown = sorted(set(data) - ANNOTATE_FIELDS)
    if unknown:
        raise ApiError(400, f"unknown field(s): {', '.join(unknown)}; the fields are: "
                            f"{', '.join(sorted(ANNOTATE_FIELDS))}", unknown[0])
    if "text" not in data:
        raise ApiError(400, "the field 'text' is required", "text")
    text = data["text"]
    if not isinstance(text, str):
        raise ApiError(400, f"'text' must be a string, not {_json_type(text)}", "text")
    if len(text) > settings.MAX_TEXT_LENGTH:
        raise ApiError(413, f"'text' has {len(text)} characters; the limit is {settings.MAX_TEXT_LENGTH}", "text")
    options = {}
    for name in OPTION_NAMES:
        value = data.get(name, DEFAULTS[name])
        if name == "dialect" and value is None:
            value = "usual"
        if not isinstance(value, str) or value not in CODES[name]:
            raise ApiError(400, f"'{name}' must be one of: {', '.join(CODES[name])}; got {json.dumps(value)[:40]}",
                           name)
        options[name] = value
    romanized = data.get("romanized", "keep")
    if romanized not in ROMANIZED:
        raise ApiError(400, f"'romanized' must be one of: keep, convert; got {json.dumps(romanized)[:40]}",
                       "romanized")
    picks = data.get("picks") or {}
    if not isinstance(picks, dict):
        raise ApiError(400, f"'picks' must be an object of token start -> reading number, not {_json_type(picks)}",
                       "picks")
    parsed_picks = {}
    for start, choice in picks.items():
        # ASCII digits, as many as an offset can have ("²".isdigit(); int() refuses 4,300 digits)
        if not (start.isascii() and start.isdigit() and len(start) <= 18) or isinstance(choice, bool) \
                or not isinstance(choice, int) or choice < 0:
            raise ApiError(400, "'picks' maps a token's start offset (a string of digits) to a reading number "
                                f"(an integer ≥ 0); got {json.dumps(start)}: {json.dumps(choice)[:20]}", "picks")
        parsed_picks[int(start)] = choice
    return text, options, parsed_picks


@csrf_exempt   # reads and writes no session or stored state: a pure function of its input
@cors("POST")
def annotate_view(request):
    """POST {text, system?, tones?, sandhi?, dialect?, picks?} -> {options, tokens}."""
    if request.method != "POST":
        return _method_not_allowed("POST")
    try:
        data = _read_json_object(request)
        text, options, picks = _annotate_request(data)
    except ApiError as err:
        return err.response()
    head = _answer_head(*options.values())
    if data.get("romanized") == "convert":
        text, picks, head = _converted(text, options, picks)
    # The core writes the whole answer as UTF-8 JSON itself (the fields of
    # Token.asdict()): building a dict per token and encoding it cost several times
    # the annotation, and so did a str to be copied and encoded again here, or
    # the ~90 KB of 1,000 characters' tokens copied again to join them.
    body = shared_annotator().to_json(text, picks=picks, text_key="surface", as_bytes=True,
                                      prefix=head, suffix=b"}",
                                      **annotator_options(options))
    return HttpResponse(body, content_type="application/json")


def _converted(text: str, options: dict, picks: dict[int, int]) -> tuple[str, dict[int, int], bytes]:
    """romanized=convert: Tâi-lô/POJ words in `text` rewritten in the chosen system first.

    The tokens are then those of the converted text, which the answer gives
    as `text`; picks (input offsets) are moved to it.
    """
    from fastpron import Options
    from fastpron.romanized import convert_with_offsets
    conversion = convert_with_offsets(text, Options.make(**annotator_options(options)))
    shown = json.dumps({**options, "romanized": "convert"}, ensure_ascii=False)
    head = f'{{"options":{shown},"text":{json.dumps(conversion.text, ensure_ascii=False)},"tokens":'
    try:
        encoded = head.encode()
    except UnicodeEncodeError:          # a lone surrogate in the text: as an escape
        encoded = f'{{"options":{shown},"text":{json.dumps(conversion.text)},"tokens":'.encode()
    return conversion.text, conversion.map_picks(picks) or {}, encoded


@functools.lru_cache(maxsize=256)
def _answer_head(*values: str) -> bytes:
    """The answer up to its token list, for the option values in OPTION_NAMES' order."""
    options = json.dumps(dict(zip(OPTION_NAMES, values)), ensure_ascii=False)
    return f'{{"options":{options},"tokens":'.encode()


@cors("GET, HEAD")
def lookup_view(request, key):
    """GET every reading of a character or word, in every system."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed("GET")
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or any(ch.isspace() for ch in key):
        return ApiError(400, f"look up one character or word: 1 to {MAX_KEY_LENGTH} characters, no spaces").response()
    annotator = shared_annotator()
    readings = readings_in_every_system(annotator, key)
    if not readings and is_romanized(key):
        # Romanisation (Tâi-lô or POJ, tones or none): the words read so.
        words = words_read_as(annotator, key.replace("-", " ").strip())
        if words:
            return _json_response({"key": key, "user_dictionary": False, "systems": [code for code, _ in SYSTEMS],
                                   "readings": [], "romanized": True, "words": words})
    if not readings:
        return ApiError(404, f"{key} is not in the dictionary").response()
    return _json_response({"key": key, "user_dictionary": key in annotator.user_dictionary,
                           "systems": [code for code, _ in SYSTEMS], "readings": readings})


def not_found_view(request, path=""):
    return ApiError(404, f"no API endpoint at /api/{path}; see /api/ for the documentation").response()


def index_view(request):
    """GET /api/: the endpoints, and where the OpenAPI description is."""
    return _json_response({
        "endpoints": [
            {"method": "POST", "path": "/api/annotate", "summary": "annotate a text: tokens with readings"},
            {"method": "GET", "path": "/api/lookup/{text}", "summary": "every reading of a character or word"},
        ],
        "openapi": "/api/openapi.yaml",
    })


def openapi_view(request):
    """The OpenAPI description, docs/openapi.yaml."""
    try:
        return FileResponse(open(OPENAPI_FILE, "rb"), content_type="application/yaml; charset=utf-8")
    except OSError:
        return ApiError(404, "the OpenAPI description is not installed here; see docs/openapi.yaml").response()
