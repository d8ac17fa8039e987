from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _is_party(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "kind", "") == "public")


def _has_case_queue(user: Any) -> bool:
    from zhixing.workbench.access import is_staff_user

    from .integration import staff_case_scope

    return is_staff_user(user) and staff_case_scope(user).exists()


def _is_leader(user: Any) -> bool:
    from .integration import leader_court_ids

    return bool(leader_court_ids(user))


class InteractionConfig(AppConfig):
    name = "zhixing.interaction"
    verbose_name = "执行互动"

    def ready(self) -> None:
        from zhixing.lib.nav import NavItem, register_portal, register_workbench

        register_workbench(
            NavItem("业务办理", "当事人留言", "interaction_wb:messages", 60, visible=_has_case_queue)
        )
        register_workbench(
            NavItem("业务办理", "执行线索核查", "interaction_wb:clues", 61, visible=_has_case_queue)
        )
        register_workbench(
            NavItem("业务办理", "意见建议回复", "interaction_wb:opinions", 62, visible=_is_leader)
        )
        register_portal(NavItem("me", "消息中心", "interaction:notices", 20, visible=_is_party))
