from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "zhixing.workbench"
    verbose_name = "法官端"

    def ready(self) -> None:
        from zhixing.lib.nav import NavItem, register_workbench

        register_workbench(NavItem("业务办理", "全院案件", "workbench:cases", order=90))
