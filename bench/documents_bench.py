"""Benchmark: generate, sign and serve a 3-page court document, next to LibreOffice converting the same DOCX.

Our pipeline per document: render the template body, WeasyPrint PDF (embedded CJK font, QR code), DOCX, PAdES
e-seal signature (local CA, EC P-256, visible seal), validation of the signature, and the 电子送达凭证 PDF with
SHA-256 and SM3 hashes (the service step minus database writes). LibreOffice: `soffice --headless --convert-to pdf`
of the same DOCX, one user profile per benchmark run (-env:UserInstallation), first call reported separately.

    .venv/bin/python bench/documents_bench.py [--n 30] [--lo-n 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
os.environ.setdefault("DATABASE_URL", "")
_tmp = tempfile.mkdtemp(prefix="zx-docbench-")
os.environ["SIGNING_DIR"] = str(Path(_tmp) / "signing")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402

from zhixing.documents import library, render, signing  # noqa: E402
from zhixing.documents.hashing import sha256_hex, sm3_hex  # noqa: E402
from zhixing.documents.models import DocTemplateVersion  # noqa: E402
from zhixing.documents.services import BLANK, render_body  # noqa: E402

COURT = "济南市历下区人民法院"
MEASURES = (
    "于{n}向中国工商银行、中国建设银行、中国农业银行等十八家金融机构查询被执行人名下存款，冻结并扣划存款人民币"
    "一万二千三百元；向不动产登记中心、车辆管理所、市场监督管理局查询，未发现可供执行的不动产、车辆和股权；"
    "通过网络执行查控系统查询证券、基金、网络资金账户，均无余额；到被执行人住所地现场调查，未发现可供执行的动产；"
)


def document_data() -> tuple[DocTemplateVersion, dict[str, str]]:
    spec = next(s for s in library.ALL_TEMPLATES if s["code"] == "ruling_terminate_round")
    version = DocTemplateVersion(body=spec["body"], fields=spec["fields"])
    data = {f["name"]: f"示例{f['label']}" for f in spec["fields"]}
    data.update(
        court_name=COURT,
        case_number="（2026）鲁0102执1号",
        date="二〇二六年十一月二十二日",
        parties="申请执行人：张伟，男，1985年3月7日出生，住济南市历下区某路1号。\n被执行人：济南某某建筑工程有限公司，住所地济南市历下区某街2号。\n法定代表人：王某。",
        measures="".join(MEASURES.format(n=f"2026年{m}月") for m in range(1, 5)),
        amount="1,234,567.00",
        paid="12,300.00",
    )
    return version, data


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ours(n: int) -> tuple[list[float], list[float], bytes, int]:
    version, data = document_data()
    provider = signing.provider_for(court_id=1, court_name=COURT)
    totals, gen_only = [], []
    docx = b""
    pages = 0
    for i in range(n + 1):  # one warm-up round
        t0 = time.perf_counter()
        body = render_body(version=version, data=data, blank=BLANK)
        page = render.full_html(
            body_html=body,
            title="执行裁定书",
            verify_code="BENCH23456",
            verify_url="http://127.0.0.1:8000/verify/BENCH23456/",
        )
        pdf = render.html_to_pdf(page)
        docx = render.html_to_docx(body)
        t1 = time.perf_counter()
        signed = signing.sign_pdf(
            pdf.data,
            provider=provider,
            court_name=COURT,
            placement=signing.SealPlacement(pdf.seal_page, pdf.seal_box),
        )
        assert signing.validate_pdf(signed).ok
        digest = sha256_hex(signed)
        sm3_hex(signed)
        receipt = render_to_string(
            "documents/pdf/receipt.html",
            {"r": _FakeRecord(digest), "doc": _FakeDoc()},
        )
        render.html_to_pdf(receipt)
        t2 = time.perf_counter()
        pages = pdf.pages
        if i:
            totals.append(t2 - t0)
            gen_only.append(t1 - t0)
    return totals, gen_only, docx, pages


class _FakeCase:
    number = "（2026）鲁0102执1号"

    class court:
        name = COURT


class _FakeDoc:
    case = _FakeCase
    title = "执行裁定书"
    version = 1
    verify_code = "BENCH23456"


class _FakeRecord:
    def __init__(self, digest: str) -> None:
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        self.document_sha256 = digest
        self.sent_at = self.arrived_at = now
        self.read_at = None
        self.sms_status = "已发送"
        self.served_by = "法官"

        class _P:
            name = "张伟"

            def get_role_display(self) -> str:
                return "申请执行人"

        self.party = _P()

    def get_channel_display(self) -> str:
        return "智慧执行平台（应用内送达）"


def libreoffice(docx: bytes, n: int) -> tuple[float, list[float]] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    work = Path(tempfile.mkdtemp(prefix="zx-lo-"))
    src = work / "doc.docx"
    src.write_bytes(docx)
    profile = (work / "profile").as_uri()
    times = []
    for _ in range(n + 1):
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        times.append(time.perf_counter() - t0)
        assert (out / "doc.pdf").exists(), "LibreOffice produced no PDF"
    shutil.rmtree(work, ignore_errors=True)
    return times[0], times[1:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--lo-n", type=int, default=10)
    args = parser.parse_args()
    totals, gen_only, docx, pages = ours(args.n)
    p50, p95 = percentile(totals, 0.5), percentile(totals, 0.95)
    print(f"document: 执行裁定书（终结本次执行程序）, {pages} pages")
    print(
        f"ours: generate+sign+verify+serve  n={len(totals)}  p50={p50 * 1000:.0f} ms  p95={p95 * 1000:.0f} ms  {1 / statistics.mean(totals):.2f} docs/s"
    )
    g50 = percentile(gen_only, 0.5)
    print(
        f"ours: generation only (PDF+DOCX)  p50={g50 * 1000:.0f} ms  p95={percentile(gen_only, 0.95) * 1000:.0f} ms"
    )
    lo = libreoffice(docx, args.lo_n)
    if lo is None:
        print("LibreOffice: not installed (apt-get install -y libreoffice-writer-nogui) — no comparison")
        return
    first, warm = lo
    l50, l95 = percentile(warm, 0.5), percentile(warm, 0.95)
    print(
        f"LibreOffice DOCX->PDF: first call {first * 1000:.0f} ms; n={len(warm)} p50={l50 * 1000:.0f} ms  p95={l95 * 1000:.0f} ms  {1 / statistics.mean(warm):.2f} docs/s"
    )
    print(f"ratio LibreOffice conversion p50 / our generation p50 = {l50 / g50:.1f}x")
    print(f"ratio LibreOffice conversion p50 / our whole pipeline p50 = {l50 / p50:.2f}x")
    shutil.rmtree(_tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
