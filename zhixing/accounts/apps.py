from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhixing.accounts"
    verbose_name = "账户与身份"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from zhixing.lib.nav import NavItem, register_workbench
        from zhixing.workbench.access import is_staff_user

        from .middleware import mark_session_start

        def _session_start(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            if request is not None and hasattr(request, "session"):
                mark_session_start(request.session)

        user_logged_in.connect(_session_start, dispatch_uid="accounts.session_start", weak=False)
        register_workbench(
            NavItem("业务办理", "现场实名核验", "accounts_wb:verify", 80, visible=is_staff_user)
        )
        register_workbench(
            NavItem("业务办理", "案件查询码", "accounts_wb:query-codes", 85, visible=is_staff_user)
        )
        register_workbench(NavItem("系统管理", "修改密码", "accounts_wb:password", 90, visible=is_staff_user))
