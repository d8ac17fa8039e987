"""manage.py import_laws <dir> — import a folder of law Markdown files (the full corpus) with progress."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.laws.importer import BUILTIN_DIR, discover, import_paths


class Command(BaseCommand):
    help = "导入法律法规文本（每个版本一个 Markdown 文件，按类别分文件夹）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", help="法规文件夹；省略时导入系统内置的执行相关法规")
        parser.add_argument("--replace", action="store_true", help="已存在的同日期版本重新导入")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["directory"]) if options["directory"] else BUILTIN_DIR
        if not root.is_dir():
            raise CommandError(f"文件夹不存在：{root}")
        files = discover(root)
        if not files:
            raise CommandError(f"文件夹中没有法规文件：{root}")
        self.stdout.write(f"发现 {len(files)} 个文件，正在解析……")
        started = time.monotonic()
        last = [0.0]

        def progress(done: int, total: int, title: str) -> None:
            now = time.monotonic()
            if done == total or now - last[0] >= 0.5 or done == 1:
                last[0] = now
                width = 30
                filled = int(width * done / total)
                bar = "#" * filled + "-" * (width - filled)
                self.stdout.write(f"[{bar}] {done}/{total} {done * 100 / total:5.1f}%  {title[:40]}")

        result = import_paths(files, replace=options["replace"], progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{result.files} 个文件，{result.laws} 部法规，新建 {result.versions_created} 个版本"
                f"（跳过已有 {result.versions_skipped} 个），{result.articles} 条条文，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
