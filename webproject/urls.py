"""URLs of the fastpron web app."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="article_pronunciation:input"), name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("webproject/favicon.svg"), permanent=True)),
    path("article_pronunciation/", include("webproject.article_pronunciation.urls")),
    path("dictionary/", include("webproject.dictionary.urls")),
    path("api/", include("webproject.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
