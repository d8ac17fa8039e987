"""Load the demo data set: idempotent, safe to run on every start.

Each app may provide ``<app>.demo.seed(out)``; they run in INSTALLED_APPS order, so apps can build
on the courts, people and cases seeded before them.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("zhixing."):
                continue
            name = f"{config.name}.demo"
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
