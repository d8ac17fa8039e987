"""Scheduled daily (cron / task scheduler): remove records due for removal and expired 失信 terms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.publicinfo.services import housekeeping_run


class Command(BaseCommand):
    help = "删除已履行完毕满三个工作日、已结案到期及纳入期限届满的公布信息（每日定时执行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default="", help="按指定日期执行（YYYY-MM-DD，用于补跑）")

    def handle(self, *args: Any, **opts: Any) -> None:
        today = None
        if opts["today"]:
            try:
                today = date.fromisoformat(opts["today"])
            except ValueError as exc:
                raise CommandError("--today 应为 YYYY-MM-DD。") from exc
        result = housekeeping_run(today=today)
        self.stdout.write(f"已删除：履行完毕/结案 {result.performed} 条，期限届满 {result.expired} 条。")
