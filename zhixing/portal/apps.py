from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhixing.portal"
    verbose_name = "当事人·公众端"
