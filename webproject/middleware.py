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
    """Traditional Chinese unless the visitor chose English (Django's language cookie).

    Unlike django.middleware.locale.LocaleMiddleware this ignores the
    browser's Accept-Language: the interface is zh-Hant first, and English
    is one click away (the set_language form in every page's header).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "").lower()
        if code not in self.supported:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response
