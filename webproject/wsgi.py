"""WSGI entry point: ``gunicorn webproject.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webproject.settings")

application = get_wsgi_application()
