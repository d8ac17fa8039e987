from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _is_party(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "kind", "") == "public")


def _has_case_queue(user: Any) -> bool:
    # The menu is drawn on every workbench page: decide by role (one indexed query), not by scanning the
    # user's cases. The queue pages themselves filter to the cases the user may act on.
    from zhixing.courts.models import Membership, Role

    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "kind", "") == "staff"
        and Membership.objects.filter(
            user=user, is_active=True, role__in=[Role.JUDGE, Role.TEAM_LEAD, Role.COURT_LEADER]
        ).exists()
    )


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
