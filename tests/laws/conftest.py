from __future__ import annotations

from typing import Any

import pytest

from zhixing.laws.importer import import_builtin
from zhixing.laws.models import Law


@pytest.fixture(scope="session")
def _laws_session(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        if not Law.objects.exists():
            import_builtin()


@pytest.fixture
def laws(_laws_session: None, db: Any) -> None:
    """The shipped enforcement-related laws (imported once per test database)."""
    if not Law.objects.exists():  # a transactional test elsewhere flushed the database
        import_builtin()
