from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhixing.accounts"
    verbose_name = "账户与身份"
