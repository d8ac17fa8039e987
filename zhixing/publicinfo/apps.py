from django.apps import AppConfig


class PublicinfoConfig(AppConfig):
    name = "zhixing.publicinfo"
    verbose_name = "公开查询"

    def ready(self) -> None:
        from zhixing.cases import signals
        from zhixing.lib.nav import NavItem, register_portal, register_workbench
        from zhixing.workbench.access import is_staff_user

        from . import receivers

        signals.case_filed.connect(receivers.on_case_filed, dispatch_uid="publicinfo.case_filed")
        signals.measure_decided.connect(
            receivers.on_measure_decided, dispatch_uid="publicinfo.measure_decided"
        )
        signals.measure_lifted.connect(receivers.on_measure_lifted, dispatch_uid="publicinfo.measure_lifted")
        signals.case_closed.connect(receivers.on_case_closed, dispatch_uid="publicinfo.case_closed")
        signals.performance_completed.connect(
            receivers.on_performance_completed, dispatch_uid="publicinfo.performance_completed"
        )
        register_portal(NavItem("guide", "查询服务", "publicinfo:query", order=20))
        register_workbench(
            NavItem("业务办理", "失信纠正申请", "publicinfo_wb:corrections", order=60, visible=is_staff_user)
        )
