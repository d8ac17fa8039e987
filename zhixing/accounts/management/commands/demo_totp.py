"""Print the current TOTP code of a demo staff account (development/demo only)."""

from __future__ import annotations

from typing import Any

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.accounts.models import StaffSecurity


class Command(BaseCommand):
    help = "演示环境：显示工作人员账户当前的动态口令（生产模式下不可用）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产模式下不提供动态口令。")
        sec = StaffSecurity.objects.filter(user__username=options["username"]).select_related("user").first()
        if sec is None or not sec.totp_secret or not sec.totp_confirmed_at:
            raise CommandError(f"{options['username']} 没有已绑定的动态口令。")
        totp = pyotp.TOTP(sec.totp_secret)
        self.stdout.write(totp.now())
        self.stderr.write(f"（30秒内有效；密钥 {sec.totp_secret}，可录入身份验证器）")
