from __future__ import annotations

from typing import Any

import pytest

from tests.factories import MembershipFactory, StaffFactory
from zhixing.accounts.models import User
from zhixing.courts.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def leader(world: Any) -> User:
    user = StaffFactory(username="leader", display_name="院领导甲")
    MembershipFactory(user=user, court=world.court, team=None, role=Role.COURT_LEADER)
    return user


@pytest.fixture
def leader_outside(world: Any) -> User:
    user = StaffFactory(username="leader_out", display_name="院领导乙")
    MembershipFactory(user=user, court=world.other_court, team=None, role=Role.COURT_LEADER)
    return user


def party_actor(user: User) -> Any:
    from zhixing.interaction.integration import PortalActor

    return PortalActor(user=user, label=user.real_name)
