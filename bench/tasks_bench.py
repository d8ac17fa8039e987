"""Task queue throughput and latency on loopback: Celery workers on Redis (production backend).

Starts WORKERS ``manage.py run_worker --concurrency CONCURRENCY`` processes against its own database (name must
contain ``bench``; PostgreSQL ``zx_bench_tasks`` by default, created and migrated if missing) and a private
Redis key prefix, enqueues N tasks from this process one by one (each in its own transaction, like requests
do), and prints the enqueue rate, the drain rate and the enqueue-to-finish latency. Two kinds of task: ``ping``
(the queue's own cost) and notification SMS (outbox row + delivery task, outbox backend).

    .venv/bin/python bench/tasks_bench.py [--tasks 2000] [--workers 2] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _prepare_database(url: str) -> None:
    import psycopg

    if "bench" not in url:
        raise SystemExit("refusing a database whose name does not contain 'bench'")
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ.copy()
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    run = uuid.uuid4().hex[:8]
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zx_bench_tasks")
    os.environ.setdefault("ZHIXING_VAR_DIR", str(ROOT / "var" / "bench-tasks"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhixing.settings",
            "TASKS_BACKEND": "celery",
            "TASKS_KEY_PREFIX": f"zx-bench-{run}:",
            "TASKS_QUEUE": f"zx-bench-{run}",
        }
    )
    _prepare_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    import redis
    from django.conf import settings

    from zhixing.notifications.services import sms_send
    from zhixing.tasks import jobs
    from zhixing.tasks.models import TaskRun

    TaskRun.objects.all().delete()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                f"--concurrency={args.concurrency}",
                f"--name=bench{i}-{run}@%h",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            start_new_session=True,
        )
        for i in range(args.workers)
    ]
    try:
        warm = jobs.ping.enqueue()
        deadline = time.monotonic() + 60
        while TaskRun.objects.get(pk=warm.pk).status != TaskRun.Status.DONE:
            if time.monotonic() > deadline:
                raise SystemExit("workers did not start")
            time.sleep(0.1)
        print(
            f"backend celery on {settings.TASKS_REDIS_URL}, database {settings.DATABASES['default']['ENGINE']}, "
            f"{args.workers} workers x {args.concurrency} processes, {os.cpu_count()} CPUs"
        )
        for label, make in (
            ("ping", lambda i: jobs.ping.enqueue()),
            (
                "sms",
                lambda i: sms_send(
                    phone=f"139{i % 100000000:08d}",
                    template="opinion_replied",
                    params={},
                    idempotency_key=f"bench-{run}-{i}",
                ),
            ),
        ):
            TaskRun.objects.all().delete()
            start = time.monotonic()
            for i in range(args.tasks):
                make(i)
            enqueued = time.monotonic() - start
            while TaskRun.objects.exclude(status=TaskRun.Status.DONE).exists():
                if time.monotonic() - start > 600:
                    raise SystemExit("tasks did not finish within 10 minutes")
                time.sleep(0.05)
            total = time.monotonic() - start
            lat = sorted(
                (r.finished_at - r.created_at).total_seconds() * 1000
                for r in TaskRun.objects.only("created_at", "finished_at")
                if r.finished_at is not None
            )
            p95 = lat[int(len(lat) * 0.95) - 1]
            print(
                f"{label:5s} {args.tasks} tasks: enqueue {args.tasks / enqueued:7.0f}/s, "
                f"all done in {total:6.2f} s = {args.tasks / total:6.0f} tasks/s, "
                f"latency p50 {statistics.median(lat):7.1f} ms p95 {p95:7.1f} ms"
            )
    finally:
        for proc in workers:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in workers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        client = redis.Redis.from_url(settings.TASKS_REDIS_URL)
        keys = list(client.scan_iter(match=f"{settings.TASKS_KEY_PREFIX}*"))
        if keys:
            client.delete(*keys)


if __name__ == "__main__":
    main()
