from django.apps import AppConfig


class CalcwebConfig(AppConfig):
    name = "zhixing.calcweb"
    verbose_name = "执行计算工具"

    def ready(self) -> None:
        from zhixing.lib.nav import NavItem, register_portal, register_workbench

        from .selectors import may_manage_rates

        register_portal(NavItem("guide", "执行计算工具", "calcweb:index", order=40))
        register_workbench(
            NavItem("系统管理", "LPR报价", "calcweb_wb:lpr", order=40, visible=may_manage_rates)
        )
