"""CORS for the JSON API: which other sites' pages may call it from a browser.

Off unless API_CORS_ORIGINS names origins (or is "*").  The API reads and
writes no session, so no credentials are ever allowed: a third-party page
gets exactly what `curl` gets.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

MAX_AGE = "86400"


def allowed_origin(request) -> str | None:
    """The value for Access-Control-Allow-Origin, or None when this origin gets no CORS headers."""
    origins = settings.API_CORS_ORIGINS
    origin = request.headers.get("Origin")
    if not origins or not origin:
        return None
    if "*" in origins:
        return "*"
    return origin if origin in origins else None


def cors(methods: str):
    """Answer preflight requests and add CORS headers, for a view that accepts `methods`."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            origin = allowed_origin(request)
            if origin and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
                response = HttpResponse(status=204)
                response.headers["Access-Control-Allow-Methods"] = methods
                response.headers["Access-Control-Allow-Headers"] = "Content-Type"
                response.headers["Access-Control-Max-Age"] = MAX_AGE
            else:
                response = view(request, *args, **kwargs)
            if settings.API_CORS_ORIGINS:
                patch_vary_headers(response, ("Origin",))
            if origin:
                response.headers["Access-Control-Allow-Origin"] = origin
            return response
        return wrapped
    return decorate
