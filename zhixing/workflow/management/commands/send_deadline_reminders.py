"""Daily job: workbench notices for stage deadlines, control expiries, payout deadlines and field tasks.

Idempotent (every notice has a dedupe key): safe to run again after a failure or twice a day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.lib.workdays import year_covered
from zhixing.workflow.services import deadline_reminders_send


class Command(BaseCommand):
    help = "发送分段执行期限提醒（工作提醒）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("date"):
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        check = day or date.today()
        for year in (check.year, check.year + 1):
            if not year_covered(year):
                self.stderr.write(
                    f"警告：{year} 年的法定节假日安排尚未收录（chinesecalendar），工作日按周末及本院调整日计算。"
                )
        sent = deadline_reminders_send(today=day)
        self.stdout.write(f"已发送提醒 {sent} 条")
