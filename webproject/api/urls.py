from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("annotate", views.annotate_view, name="annotate"),
    path("lookup/<path:key>", views.lookup_view, name="lookup"),
    path("openapi.yaml", views.openapi_view, name="openapi"),
    re_path(r"^(?P<path>.*)$", views.not_found_view),
]
