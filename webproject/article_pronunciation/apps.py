from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlePronunciationConfig(AppConfig):
    name = "webproject.article_pronunciation"
    label = "article_pronunciation"
    verbose_name = _("Article pronunciation")
    default_auto_field = "django.db.models.BigAutoField"
