from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "zhixing.content"
    verbose_name = "执行头条与指南"
