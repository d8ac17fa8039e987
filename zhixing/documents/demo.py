"""Demo data: the template library and the matter types it binds to (idempotent)."""

from __future__ import annotations

from typing import Any

from . import services


def seed(out: Any) -> None:
    created = services.library_sync()
    services.matter_types_ensure()
    out.write(f"documents: {created} templates added to the library")
