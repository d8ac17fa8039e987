from __future__ import annotations

from typing import Any

import pytest

from zhixing.assist.loader import load_faq
from zhixing.assist.models import Faq
from zhixing.laws.importer import import_builtin
from zhixing.laws.models import Law


def _ensure() -> None:
    if not Law.objects.exists():
        import_builtin()
    if not Faq.objects.exists():
        load_faq()


@pytest.fixture(scope="session")
def _assist_session(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        _ensure()


@pytest.fixture
def knowledge(_assist_session: None, db: Any) -> None:
    """Shipped laws and the FAQ (loaded once per test database)."""
    _ensure()
