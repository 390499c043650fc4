from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DictionaryConfig(AppConfig):
    name = "webproject.dictionary"
    label = "dictionary"
    verbose_name = _("Dictionary")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (bumps the revision on every edit)
