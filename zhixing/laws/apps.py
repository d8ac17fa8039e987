from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "zhixing.laws"
    verbose_name = "法律法规"
