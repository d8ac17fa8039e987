from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.documents.services import worker_loop


class Command(BaseCommand):
    help = (
        "Run document generation jobs left by DOCUMENTS_GENERATION_MODE=worker (the default mode runs them through "
        "the task layer: manage.py run_worker). --once drains the queue and exits."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        n = worker_loop(once=options["once"])
        self.stdout.write(f"processed {n} jobs")
