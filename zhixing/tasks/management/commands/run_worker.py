"""Run background tasks: a Celery worker on Redis (TASKS_BACKEND=celery) or a database-queue worker
(TASKS_BACKEND=database)."""

from __future__ import annotations

import signal
import socket
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections

from zhixing.tasks.core import due_runs, owner_id, run_task


class Command(BaseCommand):
    help = (
        "运行后台任务执行进程（TASKS_BACKEND=celery 时为 Redis 上的 Celery worker，database 时轮询任务表）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=2, help="并发进程数（celery）")
        parser.add_argument("--name", default="", help="worker 名称（celery，默认 zhixing@主机名）")
        parser.add_argument("--pool", default="prefork", help="celery 进程池：prefork|solo|threads")
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--once", action="store_true", help="database：执行完到期任务后退出")
        parser.add_argument("--check", action="store_true", help="检查队列是否可用并打印队列长度")

    def handle(self, *args: Any, **opts: Any) -> None:
        backend = settings.TASKS_BACKEND
        if opts["check"]:
            return self._check(backend)
        if backend == "celery":
            return self._celery(opts)
        if backend == "database":
            return self._database(once=opts["once"])
        raise CommandError(
            f"TASKS_BACKEND={backend}：任务在提交后由本进程立即执行，无需 worker。"
            "生产环境请设置 TASKS_BACKEND=celery（或 database）。"
        )

    def _check(self, backend: str) -> None:
        if backend == "celery":
            from zhixing.tasks.celery_app import queue_length

            try:
                length = queue_length()
            except Exception as exc:
                raise CommandError(f"任务队列不可用：{exc}") from exc
            self.stdout.write(f"celery queue {settings.TASKS_QUEUE}: {length} waiting")
        else:
            self.stdout.write(f"{backend}: {due_runs().count()} due")

    def _celery(self, opts: dict[str, Any]) -> None:
        from zhixing.tasks.celery_app import get_app

        connections.close_all()  # forked pool processes open their own
        name = opts["name"] or f"zhixing@{socket.gethostname()}"
        argv = [
            "worker",
            f"--queues={settings.TASKS_QUEUE}",
            f"--concurrency={opts['concurrency']}",
            f"--pool={opts['pool']}",
            f"--loglevel={opts['loglevel']}",
            f"--hostname={name}",
            "--without-gossip",
            "--without-mingle",
        ]
        get_app().worker_main(argv)

    def _database(self, *, once: bool) -> None:
        stop = {"now": False}

        def graceful(signum: int, frame: Any) -> None:
            stop["now"] = True  # finish the running task, then leave

        signal.signal(signal.SIGTERM, graceful)
        signal.signal(signal.SIGINT, graceful)
        owner = owner_id()
        ran = 0
        while not stop["now"]:
            close_old_connections()
            ids = list(due_runs().values_list("pk", flat=True)[:20])
            if not ids:
                if once:
                    break
                time.sleep(1.0)
                continue
            for run_id in ids:
                if stop["now"]:
                    break
                run_task(run_id, owner=owner)
                ran += 1
        self.stdout.write(f"ran {ran} tasks")
