from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "zhixing.laws"
    verbose_name = "法律法规"

    def ready(self) -> None:
        from zhixing.lib.nav import NavItem, register_portal

        register_portal(NavItem("guide", "法律法规", "laws:search", order=30))
