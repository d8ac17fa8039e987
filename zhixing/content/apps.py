from django.apps import AppConfig


def _is_content_editor(user: object) -> bool:
    from .selectors import is_editor

    return is_editor(user)


class ContentConfig(AppConfig):
    name = "zhixing.content"
    verbose_name = "执行头条与指南"

    def ready(self) -> None:
        from zhixing.lib.nav import NavItem, register_portal, register_workbench

        register_workbench(
            NavItem("内容管理", "执行头条", "content_wb:articles", order=10, visible=_is_content_editor)
        )
        register_portal(NavItem("me", "客服", "content:hotline", order=50))
