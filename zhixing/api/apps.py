from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhixing.api"
    verbose_name = "接口"
