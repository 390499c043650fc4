"""Middleware of the fastpron web app: the Content-Security-Policy, the interface language, form charsets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The admin writes a few style="" attributes; it may keep them, nothing more.
ADMIN_STYLE = "style-src 'self' 'unsafe-inline'"


class ContentSecurityPolicyMiddleware:
    """Send the site's Content-Security-Policy unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            policy = settings.CONTENT_SECURITY_POLICY
            if request.path.startswith(self.admin_prefix):
                policy = policy.replace("style-src 'self'", ADMIN_STYLE)
            response.headers["Content-Security-Policy"] = policy
        return response


class LanguageMiddleware:
    """The visitor's language: the one chosen with the switch (Django's language cookie), else
    on the first visit the browser's Accept-Language, else Traditional Chinese.

    Unlike django.middleware.locale.LocaleMiddleware, no language prefix in
    the URL: a permalink is the same address in every language.  Any
    Chinese (zh, zh-TW, zh-CN, ...) gets the zh-Hant interface; English gets
    English; anything else Traditional Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "").lower()
        chosen = code in self.supported
        if not chosen:
            code = self.from_header(request.headers.get("Accept-Language", ""))
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",) if chosen else ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response

    def from_header(self, header: str) -> str:
        """The supported language the browser prefers most (q-values honoured), else LANGUAGE_CODE."""
        ranked = []
        for position, part in enumerate(header[:500].split(",")):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    continue
            ranked.append((-quality, position, tag.strip().lower()))
        for quality, _position, tag in sorted(ranked):
            if quality >= 0 or not tag:
                continue
            primary = tag.split("-")[0]
            if primary == "zh" and "zh-hant" in self.supported:
                return "zh-hant"
            if tag in self.supported:
                return tag
            if primary in self.supported:
                return primary
        return settings.LANGUAGE_CODE


FORM = "application/x-www-form-urlencoded"


class FormCharsetMiddleware:
    """A form body declared in a charset other than UTF-8 gets the 400 page, once.

    Django refuses such a body (BadRequest) each time `request.POST` is read:
    the CSRF check read it first, then the 400 and 500 handlers (which check
    CSRF too, to give their pages a token) read it again, and the visitor got
    Gunicorn's bare 500 with some 700 lines of tracebacks in the log.  Here the
    form is marked empty before anything reads it, so the 400 handler runs
    cleanly: the site's 400 page with its headers, and one log line.  API paths
    keep their own JSON errors: the form is only emptied there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == FORM and request.encoding and request.encoding.lower() != "utf-8":
            request._mark_post_parse_error()        # request.POST is now empty; the body stays unread
            if not request.path.startswith("/api/"):
                # The 400 handler's page, answered here rather than raised: Django logs a raised
                # BadRequest with its traceback; a 400 answer is one line ("Bad Request: <path>").
                handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(400)
                return handler(request, BadRequest("form data that is not UTF-8"))
        return self.get_response(request)
