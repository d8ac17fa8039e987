from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "zhixing.assist"
    verbose_name = "智能辅助"

    def ready(self) -> None:
        from zhixing.lib.nav import NavItem, register_portal

        register_portal(NavItem("guide", "我要咨询", "assist:ask", order=20))
        register_portal(NavItem("guide", "常见问题解答", "assist:faq", order=40))
