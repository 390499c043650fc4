"""Middleware of the fastpron web app: the Content-Security-Policy and the interface language."""

from __future__ import annotations

from django.conf import settings
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
