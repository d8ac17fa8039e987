"""manage.py import_public_records <file> --list dishonest|restricted|debtor|terminated --format csv|jsonl"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.publicinfo.importer import FIELDS, ImportStats, import_records, secondary_indexes_deferred
from zhixing.publicinfo.models import ListKind


class Command(BaseCommand):
    help = (
        "批量导入公布信息（CSV 或 JSON Lines）：流式读取、可重复执行（已公布的同一名单·案号·证件不重复导入）、"
        "每批全部成功或全部不导入，被拒绝的行及原因写入报告文件。列：" + ", ".join(FIELDS)
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--list", required=True, choices=ListKind.values, dest="kind")
        parser.add_argument("--format", choices=["csv", "jsonl"], default=None, dest="fmt")
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--report", type=Path, default=None, help="被拒绝行报告（默认：输入文件旁 .rejected.csv）"
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="并行进程数（默认 1）：各自解析、校验；PostgreSQL 上还各用一个数据库连接写入各自的批次",
        )
        parser.add_argument(
            "--defer-indexes",
            action="store_true",
            help="初次大批量装载：导入期间暂不维护非唯一索引，导入后一次重建（唯一键始终保留，仍可重复执行；"
            "期间按姓名查询较慢）",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        fmt = opts["fmt"] or ("jsonl" if path.suffix in (".jsonl", ".ndjson") else "csv")
        if opts["batch_size"] < 1 or opts["batch_size"] > 200_000:
            raise CommandError("--batch-size 应在 1 至 200000 之间。")
        show = not opts["no_progress"] and sys.stderr.isatty()

        def progress(done: int, total: int, stats: ImportStats) -> None:
            if not show:
                return
            share = done / total if total else 1.0
            bar = "#" * int(share * 30)
            sys.stderr.write(
                f"\r[{bar:<30}] {share:6.1%}  已读 {stats.read:,}  导入 {stats.inserted:,}  "
                f"重复 {stats.duplicates:,}  拒绝 {stats.rejected:,}"
            )
            sys.stderr.flush()

        deferred = contextlib.ExitStack()
        if opts["defer_indexes"]:
            deferred.enter_context(secondary_indexes_deferred())
        try:
            with deferred:
                stats = import_records(
                    path,
                    kind=opts["kind"],
                    fmt=fmt,
                    batch_size=opts["batch_size"],
                    report_path=opts["report"],
                    progress=progress,
                    workers=max(1, min(opts["workers"], 16)),
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if show:
            sys.stderr.write("\n")
        self.stdout.write(
            f"读取 {stats.read:,} 行：导入 {stats.inserted:,}，已存在 {stats.duplicates:,}，拒绝 {stats.rejected:,}"
            f"（失败批次 {stats.failed_batches}）；用时 {stats.seconds:.1f} 秒，{stats.rows_per_second:,.0f} 行/秒。"
        )
        for reason, count in sorted(stats.reasons.items(), key=lambda kv: -kv[1])[:10]:
            self.stdout.write(f"  拒绝原因：{reason} × {count:,}")
        self.stdout.write(f"拒绝行报告：{stats.report}")
