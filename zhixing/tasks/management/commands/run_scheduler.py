"""Enqueue periodic jobs (daily deadline reminders, publicinfo housekeeping, ...) once per period."""

from __future__ import annotations

import os
import signal
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from zhixing.tasks.schedule import SCHEDULE, tick


class Command(BaseCommand):
    help = "定时任务调度：按计划把每日及周期任务放入后台任务队列（多个调度进程同时运行也只放入一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="检查间隔（秒）")
        parser.add_argument("--once", action="store_true", help="检查一次后退出（供 cron 使用）")
        parser.add_argument("--list", action="store_true", help="列出定时任务")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["list"]:
            for job in SCHEDULE:
                when = f"每日 {job.at:%H:%M}" if job.at else f"每 {int(job.every.total_seconds())} 秒"  # type: ignore[union-attr]
                self.stdout.write(f"{job.name}\t{when}\t{job.task.path}")
            return
        name = f"{socket.gethostname()}:{os.getpid()}"
        stop = {"now": False}

        def graceful(signum: int, frame: Any) -> None:
            stop["now"] = True

        if not opts["once"]:
            signal.signal(signal.SIGTERM, graceful)
            signal.signal(signal.SIGINT, graceful)
        while True:
            close_old_connections()
            for item in tick(scheduler=name):
                self.stdout.write(f"enqueued {item}", ending="\n")
                self.stdout.flush()
            if opts["once"] or stop["now"]:
                break
            deadline = time.monotonic() + opts["interval"]
            while time.monotonic() < deadline and not stop["now"]:
                time.sleep(0.5)
            if stop["now"]:
                break
