from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhixing.notifications"
    verbose_name = "通知与短信"
