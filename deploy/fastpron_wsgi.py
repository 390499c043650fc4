"""The WSGI entry point that deploy/gunicorn.conf.py preloads.

Importing this module (in the Gunicorn master) loads fastpron and its compiled
lexicon once; the workers forked from the master share those pages.  The
Django site itself, `webproject.wsgi:application`, is imported in each worker
by `load_site()` (called from the `post_worker_init` hook), so a graceful
reload (HUP) runs the site code now on disk.
"""

import os

import fastpron

_annotator = fastpron.default_annotator()        # the shared annotator: reads the lexicon now
# The default render table (and its UTF-8 form, for the JSON API), built once
# here and shared by the workers instead of by each on its first request.
_annotator.to_json("台灣", as_bytes=True)
try:
    lexicon_origin = _annotator._core.base_lexicon.origin
except AttributeError:
    lexicon_origin = "loaded"
loaded_extension = None         # sha256 of fastpron/_*.so (the core's modules), set by the when_ready hook

SITE = os.environ.get("FASTPRON_SITE_WSGI", "webproject.wsgi:application")
_site = None


def load_site():
    """Import the Django site (settings, apps, URLconf) in this process."""
    global _site
    if _site is None:
        import importlib
        module_name, _, attribute = SITE.partition(":")
        site = getattr(importlib.import_module(module_name), attribute or "application")
        try:                    # resolve the URLconf now, not during the first request
            from django.urls import get_resolver
            get_resolver().url_patterns
        except ImportError:
            pass
        _site = site
    return _site


def application(environ, start_response):
    return (_site or load_site())(environ, start_response)
