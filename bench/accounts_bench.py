"""Accounts figures: enumeration timing (Argon2, as configured) and local face-match throughput.

    DATABASE_URL= .venv/bin/python bench/accounts_bench.py [--rounds 30]

Runs against a throw-away SQLite database in a temporary directory. Prints, for failed password logins,
the median time for a registered number with a wrong password vs an unregistered number (the dummy hash
keeps them comparable), the same for SMS code requests (registered vs unregistered, login purpose), and
dlib face encodings per second on the scikit-image astronaut portrait.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="zx-accounts-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("ZHIXING_VAR_DIR", tmp)
    os.environ.setdefault("LOGIN_IP_LIMIT", "1000000")
    os.environ.setdefault("LOGIN_MAX_FAILURES", "1000000")
    os.environ.setdefault("SMS_CODE_IP_HOURLY_LIMIT", "1000000")
    os.environ.setdefault("SMS_CODE_CAPTCHA_AFTER", "1000000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("zhixing.sms.outbox").setLevel(logging.ERROR)
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhixing.accounts import services
    from zhixing.accounts.models import SmsCode, User

    User.objects.create_public_user(phone="13800000001", password="Bench#Pass2024")  # noqa: S106

    def failed_login(phone: str) -> float:
        start = time.perf_counter()
        with contextlib.suppress(ValidationError):
            services.public_login_password(phone=phone, password="wrong-password-1", ip="192.0.2.1")  # noqa: S106
        return time.perf_counter() - start

    def code_request(phone: str) -> float:
        SmsCode.objects.all().delete()
        start = time.perf_counter()
        services.sms_code_request(phone=phone, purpose="login", ip="192.0.2.1")
        return time.perf_counter() - start

    for label, fn in (("failed password login", failed_login), ("login code request", code_request)):
        fn("13800000001"), fn("13900000009")  # warm up
        known = [fn("13800000001") for _ in range(args.rounds)]
        unknown = [fn("13900000009") for _ in range(args.rounds)]
        mk, mu = statistics.median(known) * 1000, statistics.median(unknown) * 1000
        print(
            f"{label}: registered {mk:.1f} ms, unregistered {mu:.1f} ms (median of {args.rounds}; ratio {mk / mu:.2f})"
        )

    import numpy as np
    import skimage
    from PIL import Image

    from zhixing.accounts import face

    image = np.asarray(Image.open(Path(skimage.__file__).parent / "data" / "astronaut.png").convert("RGB"))
    face.encode(image)  # load the models
    start = time.perf_counter()
    n = 10
    for _ in range(n):
        face.encode(image)
    elapsed = time.perf_counter() - start
    print(f"face encoding (512×512, detect + descriptor): {n / elapsed:.1f} per second")


if __name__ == "__main__":
    main()
