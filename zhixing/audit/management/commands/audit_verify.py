from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhixing.audit.models import AuditEvent
from zhixing.audit.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链是否完整"

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit_verify()
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"审计日志校验失败：{len(problems)} 处异常")
        self.stdout.write(f"审计日志完整：{AuditEvent.objects.count()} 条记录")
