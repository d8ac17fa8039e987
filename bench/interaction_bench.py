"""执行互动 figures: streaming a large clue video, and party document rendering.

    DATABASE_URL= .venv/bin/python bench/interaction_bench.py [--video-mb 150] [--docs 10]

Runs against a throw-away SQLite database and media folder in a temporary directory. Prints, for one
multipart request carrying a synthetic MP4 of the given size (read from a file on disk, as a WSGI server
would stream it): the time and peak Python memory (tracemalloc) to parse the body with the interaction
upload handler, then to check, hash and store it as a clue — once without the documents e-file and once
with it (when the documents app is installed). Then the mean time to render an 执行申请书 as PDF and DOCX.
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_mp4(path: Path, size_mb: int) -> None:
    def box(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(body), kind) + body

    mvhd = b"\x00" * 4 + struct.pack(">IIII", 3800000000, 3800000000, 1000, 1000) + b"\x00" * 80
    head = box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + box(b"moov", box(b"mvhd", mvhd))
    payload = size_mb * 1024 * 1024
    chunk = os.urandom(1024 * 1024)
    with path.open("wb") as f:
        f.write(head)
        f.write(struct.pack(">I4s", 8 + payload, b"mdat"))
        for _ in range(size_mb):
            f.write(chunk)


def write_body(path: Path, video: Path, boundary: str) -> None:
    with path.open("wb") as out, video.open("rb") as src:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n'.encode())
        out.write("车辆停放位置的视频".encode())
        out.write(
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="v.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n".encode()
        )
        while chunk := src.read(1024 * 1024):
            out.write(chunk)
        out.write(f"\r\n--{boundary}--\r\n".encode())


def measure(label: str, fn: Any) -> Any:
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {elapsed:.2f} s, peak Python memory {peak / 1048576:.1f} MB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--video-mb", type=int, default=150)
    parser.add_argument("--docs", type=int, default=10)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zx-interaction-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("ZHIXING_VAR_DIR", str(tmp))
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["INTERACTION_VIDEO_MAX_MB"] = str(args.video_mb + 10)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIRequest
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.factories import CourtFactory, make_case, public_user
    from zhixing.cases.services import party_link_user
    from zhixing.interaction import integration, rendering, services, uploads
    from zhixing.interaction.doc_forms import validate_document
    from zhixing.interaction.integration import PortalActor

    court: Any = CourtFactory(name="济南市历下区人民法院", case_code="鲁0102", region_code="370102")
    who = ("张伟", "37010219850307123X")
    user = public_user("13900000001", verified_as=who)
    case = make_case(court=court, sequence=1, applicant=who)
    party_link_user(actor=None, user=user)
    actor = PortalActor(user=user, label="张伟")

    video = tmp / "v.mp4"
    write_mp4(video, args.video_mb)
    boundary = "zxbenchboundary"
    body = tmp / "body.bin"
    write_body(body, video, boundary)
    print(f"request body: {body.stat().st_size / 1048576:.1f} MB")

    def parse() -> list[Any]:
        stream = body.open("rb")
        request = WSGIRequest(
            {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": "/service/clues/new/",
                "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
                "CONTENT_LENGTH": str(body.stat().st_size),
                "wsgi.input": stream,
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "wsgi.url_scheme": "http",
            }
        )
        uploads.install(request)
        return request.FILES.getlist("files")

    def submit(files: list[Any]) -> Any:
        return services.clue_submit(actor=actor, case=case, body="车辆", files=files)

    files = measure("parse multipart (upload handler → temporary file)", parse)
    real_efile = integration.efile_add
    integration.efile_add = lambda **kw: ("", "")
    measure("check + SHA-256 + store (without e-file)", lambda: submit(files))
    integration.efile_add = real_efile
    if integration._optional("zhixing.documents.services", "efile_add") is not None:
        measure("check + SHA-256 + store + documents.efile_add", lambda: submit(files))
    for f in files:
        f.close()

    from tests.interaction.test_documents import APPLICATION

    data = validate_document("application", APPLICATION, strict=True)
    rendering.render_pdf("application", data)  # warm-up (font loading)
    pdf_times, docx_times = [], []
    for _ in range(args.docs):
        start = time.perf_counter()
        pdf = rendering.render_pdf("application", data)
        pdf_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        rendering.render_docx("application", data)
        docx_times.append(time.perf_counter() - start)
    print(
        f"执行申请书 PDF: median {statistics.median(pdf_times) * 1000:.0f} ms ({len(pdf) / 1024:.0f} KB); "
        f"DOCX: median {statistics.median(docx_times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
