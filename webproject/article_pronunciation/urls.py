from django.urls import path

from . import views

app_name = "article_pronunciation"

urlpatterns = [
    path("input/", views.input_view, name="input"),
    path("pronunciation/", views.latest_view, name="latest"),
    path("pronunciation/<uuid:article_id>/", views.detail_view, name="detail"),
    path("pronunciation/<uuid:article_id>/render/", views.render_view, name="render"),
    path("pronunciation/<uuid:article_id>/readings/", views.readings_view, name="readings"),
    path("pronunciation/<uuid:article_id>/undo/", views.undo_view, name="undo"),
    path("pronunciation/<uuid:article_id>/download/<str:fmt>/", views.download_view, name="download"),
]
