from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhixing.audit"
    verbose_name = "审计日志"
