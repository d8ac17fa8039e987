"""A real task worker for the fault tests: ``manage.py run_worker`` with document generation held at a point
the test controls (the SMS provider is held by ``BlockingSmsBackend`` through SMS_BACKEND)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from tests.tasks import blocking  # noqa: E402
from zhixing.documents import services  # noqa: E402

_generate = services.document_generate


def held_generate(**kwargs):  # type: ignore[no-untyped-def]
    blocking.log("docgen-start")
    blocking.hold("docgen")
    result = _generate(**kwargs)
    blocking.log("docgen-done")
    return result


services.document_generate = held_generate  # type: ignore[assignment]

if __name__ == "__main__":
    call_command(
        "run_worker", "--concurrency", "1", "--loglevel", "INFO", "--name", f"fault{os.getpid()}@test"
    )
