from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "zhixing.interaction"
    verbose_name = "执行互动"
