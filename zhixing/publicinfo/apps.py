from django.apps import AppConfig


class PublicinfoConfig(AppConfig):
    name = "zhixing.publicinfo"
    verbose_name = "公开查询"
