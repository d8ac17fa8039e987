from django.apps import AppConfig

# The four default stage pages (执行实体化 → …); courts may add stages, reachable at flow/team/<code>/.
DEFAULT_STAGE_PAGES = [
    ("asset_control", "财产查控", 10),
    ("asset_disposal", "财产处置", 20),
    ("fund_distribution", "案款分配", 30),
    ("closing_archive", "结案归档", 40),
]


def _is_staff(user: object) -> bool:
    from . import permissions

    return bool(permissions.memberships_of(user)) and getattr(user, "kind", "") == "staff"


def _is_field(user: object) -> bool:
    from . import permissions

    return permissions.is_field_officer(user)


def _is_leader(user: object) -> bool:
    from . import permissions

    return permissions.is_leader(user)


def _ensure_search_indexes(sender: object, using: str = "default", **kwargs: object) -> None:
    """After every migrate: recreate substring-search triggers a table rebuild may have dropped."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import search_index

    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if recorder.has_table() and ("workflow", "0005_search_indexes") in recorder.applied_migrations():
        search_index.ensure(connection)


def _can_edit_calendar(user: object) -> bool:
    from . import permissions

    return bool(permissions.calendar_court_ids(user))


class WorkflowConfig(AppConfig):
    name = "zhixing.workflow"
    verbose_name = "分段执行流程"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from zhixing.lib.nav import NavItem, register_workbench

        post_migrate.connect(_ensure_search_indexes, sender=self, dispatch_uid="workflow-search-indexes")

        for code, label, order in DEFAULT_STAGE_PAGES:
            register_workbench(
                NavItem("执行实体化", label, f"workflow:team-{code}", order=order, visible=_is_staff)
            )
        register_workbench(NavItem("执行实体化", "外勤事项", "workflow:tasks", order=50, visible=_is_field))
        register_workbench(NavItem("执行实体化", "分段统计", "workflow:stats", order=60, visible=_is_leader))
        register_workbench(
            NavItem("业务办理", "案件分配·接收", "workflow:intake", order=10, visible=_is_staff)
        )
        register_workbench(
            NavItem("业务办理", "信息查询·案件查询", "workflow:search", order=20, visible=_is_staff)
        )
        register_workbench(NavItem("业务办理", "工作提醒", "workflow:notices", order=95, visible=_is_staff))
        register_workbench(
            NavItem("系统管理", "节假日调整", "workflow:calendar", order=30, visible=_can_edit_calendar)
        )
