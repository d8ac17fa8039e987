from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.courts.models import Court
from zhixing.documents import pki


class Command(BaseCommand):
    help = (
        "Create the local signing CA and one EC P-256 signing certificate per court (keys under SIGNING_DIR)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        root = pki.root_certificate()
        self.stdout.write(f"root CA: {root.subject.rfc4514_string()}")
        for court in Court.objects.filter(is_active=True):
            made = not pki.has_court_credentials(court.pk)
            creds = pki.court_credentials(court_id=court.pk, court_name=court.name)
            state = "created" if made else "exists"
            self.stdout.write(f"{court.name}: {state}, serial {creds.cert.serial_number:x}")
