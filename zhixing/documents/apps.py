from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_library(sender: Any, **kwargs: Any) -> None:
    from .services import library_sync

    library_sync()


def _can_approve(user: Any) -> bool:
    from .permissions import approval_levels_of

    return bool(approval_levels_of(user))


def _can_edit_templates(user: Any) -> bool:
    from zhixing.courts.models import Role
    from zhixing.courts.selectors import staff_roles

    return bool(staff_roles(user=user) & {Role.SYSADMIN, Role.TEAM_LEAD, Role.COURT_LEADER})


class DocumentsConfig(AppConfig):
    name = "zhixing.documents"
    verbose_name = "文书与送达"

    def ready(self) -> None:
        from zhixing.lib.nav import NavItem, register_portal, register_workbench

        post_migrate.connect(_sync_library, sender=self, dispatch_uid="documents-library-sync")
        register_workbench(
            NavItem("业务办理", "文书审批", "documents:approvals", order=40, visible=_can_approve)
        )
        register_workbench(
            NavItem("系统管理", "文书模板", "documents:templates", order=30, visible=_can_edit_templates)
        )
        register_portal(NavItem("service", "我的文书", "documents:inbox", order=30))
        register_portal(NavItem("guide", "文书样式", "documents:styles", order=50))
        register_portal(NavItem("home", "文书验证", "documents:verify", order=90))
