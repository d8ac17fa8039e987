"""Demo public users (one verified party, two registered but not verified) and the demo staff's second
factor: staff whose roles require TOTP get a fixed, documented demo secret so the demo can be used without
enrolling an authenticator (``manage.py demo_totp <username>`` prints the current code)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhixing.courts.demo import DEMO_PASSWORD

from .models import StaffSecurity, User

# phone, real name, resident ID (synthetic, valid check digit), verified
PUBLIC_USERS = [
    ("13800000001", "张伟", "37010219850307123X", True),
    ("13800000002", "", "", False),
    ("13800000003", "", "", False),
]


def demo_totp_secret(username: str) -> str:
    """A fixed secret per demo username (public by design: demo data only, never seeded in production)."""
    digest = hashlib.sha256(f"zhixing-demo-totp:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def seed(out: Any) -> None:
    from zhixing.lib import crypto

    from .services import staff_needs_totp

    for phone, real_name, id_number, verified in PUBLIC_USERS:
        user = User.objects.filter(phone_index=crypto.blind_index(phone)).first()
        if user is None:
            user = User.objects.create_public_user(phone=phone, password=DEMO_PASSWORD)
        if verified and not user.is_verified:
            user.set_identity(real_name=real_name, id_number=id_number)
            user.verified_at = timezone.now()
            user.save()
    out.write(f"  公众用户 {len(PUBLIC_USERS)} 名")
    if getattr(settings, "PRODUCTION", False):
        return
    enrolled = []
    for user in User.objects.filter(kind=User.Kind.STAFF).order_by("username"):
        if not staff_needs_totp(user=user):
            continue
        sec, _ = StaffSecurity.objects.get_or_create(user=user)
        if not sec.totp_confirmed_at:
            sec.totp_secret = demo_totp_secret(user.username)
            sec.totp_confirmed_at = timezone.now()
            sec.save(update_fields=["totp_secret", "totp_confirmed_at"])
        enrolled.append(user.username)
    if enrolled:
        out.write(
            f"  动态口令（演示）：{', '.join(enrolled)} —— 运行 manage.py demo_totp <用户名> 获取当前口令"
        )
