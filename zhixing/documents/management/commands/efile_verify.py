"""Recompute every case e-file's hash chain and re-hash the stored files (run it on a schedule)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhixing.cases.models import EnforcementCase
from zhixing.documents.services import efile_verify_chain


class Command(BaseCommand):
    help = "校验电子卷宗哈希链及材料文件是否完整"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--case", type=int, action="append", help="只校验该案件（可重复）")
        parser.add_argument("--no-files", action="store_true", help="只校验哈希链，不重新计算文件哈希")

    def handle(self, *args: Any, **options: Any) -> None:
        cases = EnforcementCase.objects.filter(efile_items__isnull=False).distinct().order_by("pk")
        if options["case"]:
            cases = cases.filter(pk__in=options["case"])
        checked = 0
        broken: list[str] = []
        for case in cases.iterator(chunk_size=500):
            checked += 1
            try:
                intact, seq = efile_verify_chain(case=case, check_files=not options["no_files"])
            except OSError as exc:
                intact, seq = False, None
                broken.append(f"{case.number}: 材料文件无法读取（{exc.__class__.__name__}）")
                continue
            if not intact:
                broken.append(f"{case.number}: 第 {seq} 件起哈希不符（材料被修改、删除或插入）")
        for line in broken:
            self.stderr.write(line)
        if broken:
            raise CommandError(f"电子卷宗校验失败：{len(broken)} 个案件异常（共校验 {checked} 个）")
        self.stdout.write(f"电子卷宗完整：{checked} 个案件")
