"""Settings for the test suite: the real settings, read from a test environment.

pytest-django loads this (pyproject.toml); DEBUG stays off, as in production.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("DEBUG", "0")

from .settings import *  # noqa: E402,F401,F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]   # fast, tests only
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT = None      # static files come from the apps' folders (WhiteNoise's finders)
