from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from zhixing.documents import pki, services
from zhixing.documents.models import GenerationJob


def test_signing_setup_creates_root_and_court_certificates(world: Any) -> None:
    out = io.StringIO()
    call_command("signing_setup", stdout=out)
    assert "root CA" in out.getvalue() and f"{world.court.name}: created" in out.getvalue()
    creds = pki.court_credentials(court_id=world.court.pk, court_name=world.court.name, create=False)
    assert creds.cert.issuer == pki.root_certificate().subject
    key_pem = (pki._court_paths(world.court.pk)[0]).read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in key_pem  # never stored in clear
    out = io.StringIO()
    call_command("signing_setup", stdout=out)
    assert f"{world.court.name}: exists" in out.getvalue()


def test_documents_worker_once(world: Any, matter_of: Any, template_of: Any, settings: Any) -> None:
    settings.DOCUMENTS_GENERATION_MODE = "worker"
    matter = matter_of(world.case, "notice", world.judge)
    doc = services.document_create(
        actor=world.judge, case=world.case, template=template_of("notice"), data={}, matter=matter
    )
    out = io.StringIO()
    call_command("documents_worker", "--once", stdout=out)
    assert "processed 1 jobs" in out.getvalue()
    assert doc.jobs.get().status == GenerationJob.Status.DONE
