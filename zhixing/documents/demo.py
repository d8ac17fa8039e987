"""Demo data: the template library, the matter types it binds to, and one signed and served 执行通知书 so
the demo party's 我的文书 is not empty (idempotent)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.workflow.models import CaseMatter

from . import services
from .models import DocTemplate, Document


def seed(out: Any) -> None:
    created = services.library_sync()
    services.matter_types_ensure()
    out.write(f"documents: {created} templates added to the library")
    if Document.objects.exists():
        return
    case = (
        EnforcementCase.objects.filter(judge__isnull=False, parties__user__isnull=False)
        .select_related("court", "judge")
        .order_by("id")
        .first()
    )
    if case is None:
        return
    party = Party.objects.filter(case=case, user__isnull=False).order_by("id").first()
    matter = CaseMatter.objects.create(
        case=case,
        matter_type=services.matter_type_for("notice"),
        started_on=timezone.localdate(),
        created_by=case.judge,
    )
    template = DocTemplate.objects.get(court__isnull=True, code="notice")
    data = services.form_initial(version=template.current, case=case, matter=matter)  # type: ignore[arg-type]
    with override_settings(DOCUMENTS_GENERATION_MODE="inline"):
        doc = services.document_create(
            actor=case.judge, case=case, template=template, data=data, matter=matter
        )
    doc = services.document_sign(actor=case.judge, document=doc)
    if party is not None:
        services.document_serve(actor=case.judge, document=doc, parties=[party])
    out.write(f"documents: demo 执行通知书 signed and served in {case.number}")
