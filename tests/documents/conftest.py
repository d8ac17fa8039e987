from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from zhixing.documents import services
from zhixing.documents.models import DocTemplate
from zhixing.workflow.models import CaseMatter


@pytest.fixture(autouse=True)
def _documents_settings(settings: Any, tmp_path: Any) -> None:
    settings.DOCUMENTS_GENERATION_MODE = "inline"
    settings.SIGNING_DIR = str(tmp_path / "signing")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ESEAL_BACKEND = "local"


@pytest.fixture
def matter_of(db: Any) -> Any:
    def make(case: Any, code: str, user: Any = None) -> CaseMatter:
        return CaseMatter.objects.create(
            case=case,
            matter_type=services.matter_type_for(code),
            started_on=timezone.localdate(),
            created_by=user,
        )

    return make


@pytest.fixture
def template_of(db: Any) -> Any:
    def get(code: str) -> DocTemplate:
        services.library_sync()
        return DocTemplate.objects.get(court__isnull=True, code=code)

    return get
