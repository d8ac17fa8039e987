from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "zhixing.courts"
    verbose_name = "法院与团队"
