from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "webproject.api"
    label = "api"
    verbose_name = "API"
