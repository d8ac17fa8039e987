"""Demo public users: one verified party, two registered but not verified."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhixing.courts.demo import DEMO_PASSWORD

from .models import User

# phone, real name, resident ID (synthetic, valid check digit), verified
PUBLIC_USERS = [
    ("13800000001", "张伟", "37010219850307123X", True),
    ("13800000002", "", "", False),
    ("13800000003", "", "", False),
]


def seed(out: Any) -> None:
    from zhixing.lib import crypto

    for phone, real_name, id_number, verified in PUBLIC_USERS:
        user = User.objects.filter(phone_index=crypto.blind_index(phone)).first()
        if user is None:
            user = User.objects.create_public_user(phone=phone, password=DEMO_PASSWORD)
        if verified and not user.is_verified:
            user.set_identity(real_name=real_name, id_number=id_number)
            user.verified_at = timezone.now()
            user.save()
    out.write(f"  公众用户 {len(PUBLIC_USERS)} 名")
