from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhixing.accounts.demo import PUBLIC_USERS
from zhixing.cases.demo import DEMO_UNIT_CASE, DEMO_UNIT_CODE, DEMO_UNIT_QUERY_CODE
from zhixing.courts.demo import DEMO_PASSWORD, STAFF
from zhixing.courts.models import ApproverTitle, Role


class Command(BaseCommand):
    help = "打印访问地址与演示账户"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        base = f"http://{options['host']}:{options['port']}"
        w = self.stdout.write
        w("")
        w("智慧执行 已启动")
        w(f"  当事人·公众端  {base}/")
        w(f"  法官端工作台    {base}/workbench/")
        w(f"  接口文档        {base}/api/docs")
        w(f"  系统管理        {base}/admin/")
        w(f"  健康检查        {base}/healthz")
        w("")
        w(f"演示账户（密码均为 {DEMO_PASSWORD}）")
        seen = set()
        for username, name, court, _team, role, title in STAFF:
            if username in seen:
                continue
            seen.add(username)
            w(
                f"  法官端 {username:<16} {name}  {court}  {ApproverTitle(title).label if title else Role(role).label}"
            )
        for phone, real_name, _id, verified in PUBLIC_USERS:
            w(f"  公众端 {phone:<16} {real_name or '—'}  {'已实名认证' if verified else '未实名认证'}")
        w(
            f"  单位登录 统一社会信用代码 {DEMO_UNIT_CODE}  案件查询码 {DEMO_UNIT_QUERY_CODE}（{DEMO_UNIT_CASE}）"
        )
        w("")
