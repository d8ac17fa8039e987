from django.apps import AppConfig


class CalcwebConfig(AppConfig):
    name = "zhixing.calcweb"
    verbose_name = "执行计算工具"
