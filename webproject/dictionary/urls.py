from django.urls import path

from . import views

app_name = "dictionary"

urlpatterns = [
    path("", views.search_view, name="search"),
    path("fanqie/", views.fanqie_view, name="fanqie"),
]
