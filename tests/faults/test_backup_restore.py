"""Backup and restore drill: demo-like data (a signed and served 执行通知书, clue photos and a video, e-file
items, audit trail) is backed up, restored into a fresh instance (new database, new media folder, new
signing folder) by a separate process, and every hash is checked there: document PDFs and signed PDFs,
service receipts, clue attachments, e-file items with their chain, the audit chain and row counts.
Corrupt backups, non-empty targets and a wrong data key are refused."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.interaction.conftest import party_actor
from tests.interaction.media_samples import mp4_bytes, png_bytes
from zhixing.documents import demo as documents_demo
from zhixing.documents.models import Document, EfileItem
from zhixing.documents.services import efile_add
from zhixing.interaction import services as interaction
from zhixing.ops import backup

from .procs import ROOT, app_env


@pytest.fixture
def source(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "src-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.SIGNING_DIR = str(tmp_path / "src-signing")
    settings.DOCUMENTS_GENERATION_MODE = "inline"
    return tmp_path


class FreshInstance:
    """A new empty database (SQLite file, or a new database on the test's PostgreSQL server) + folders."""

    def __init__(self, base: Path, name: str) -> None:
        self.base = base / name
        self.base.mkdir()
        self.pg_name = ""
        if connection.vendor == "postgresql":
            info = connection.settings_dict
            self.admin = f"postgresql://{info['USER'] or 'postgres'}@{info['HOST'] or '127.0.0.1'}:{info['PORT'] or 5432}/postgres"
            self.pg_name = f"zx_faults_restore_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.url = (
                self.admin.rsplit("/", 1)[0].replace("postgresql://", "postgres://") + f"/{self.pg_name}"
            )
        else:
            self.url = f"sqlite:///{self.base / 'restored.sqlite3'}"
        self.env = app_env(
            self.base,
            DATABASE_URL=self.url,
            SIGNING_DIR=str(self.base / "signing"),
            REDIS_URL="",
            S3_BUCKET="",
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "zhixing.ops.backup", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def drop(self) -> None:
        if self.pg_name:
            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restore_drill(world: Any, source: Path) -> None:
    documents_demo.seed(io.StringIO())  # template library + a signed, served 执行通知书 in world.case
    interaction.clue_submit(
        actor=party_actor(world.party),
        case=world.case,
        body="被执行人名下车辆",
        files=[SimpleUploadedFile("car.png", png_bytes()), SimpleUploadedFile("car.mp4", mp4_bytes())],
    )
    efile_add(
        case=world.case,
        file=b"%PDF-1.4 judge upload",
        category="other",
        source="法官上传",
        actor=world.judge,
        title="材料.pdf",
    )
    doc = Document.objects.get()
    assert doc.pdf_sha256 and doc.signed_sha256

    problems, checked = backup.verify(say=lambda _: None)
    assert problems == []
    assert checked["文书PDF"] == 1 and checked["签章PDF"] == 1 and checked["送达凭证"] == 1
    assert checked["线索附件"] == 2 and checked["电子卷宗"] == EfileItem.objects.count() >= 4
    assert checked["审计日志"] > 5

    target = backup.create(source / "backups", say=lambda _: None)
    manifest = backup.load_manifest(target)
    assert manifest["vendor"] == connection.vendor
    assert len(manifest["media"]) >= 7 and manifest["signing"]
    assert (target / manifest["database"]["file"]).stat().st_size > 0

    fresh = FreshInstance(source, "fresh")
    other = FreshInstance(source, "wrong-key")
    try:
        # A wrong data key is refused before anything is written.
        other.env["ZHIXING_DATA_KEY"] = "0" * 64
        refused = other.run("restore", str(target))
        assert refused.returncode == 2 and "数据密钥与备份不一致" in refused.stderr

        # A corrupted copy of the backup is refused.
        broken = source / "broken"
        shutil.copytree(target, broken)
        victim = broken / "media" / manifest["media"][0]["name"]
        victim.write_bytes(victim.read_bytes() + b"x")
        corrupt = fresh.run("restore", str(broken))
        assert corrupt.returncode == 2 and "已损坏" in corrupt.stderr

        # The drill: restore into the fresh instance and verify every hash there.
        restored = fresh.run("restore", str(target))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "校验通过" in restored.stdout
        assert (fresh.base / "media" / doc.signed_pdf.name).read_bytes() == Path(
            doc.signed_pdf.path
        ).read_bytes()
        audit = subprocess.run(
            [sys.executable, "manage.py", "audit_verify"],
            env=fresh.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert audit.returncode == 0 and "审计日志完整" in audit.stdout

        # Restoring again over the now non-empty instance is refused.
        again = fresh.run("restore", str(target))
        assert again.returncode == 2 and "不是空的" in again.stderr

        # verify notices a restored PDF that no longer matches its recorded hash.
        pdf = fresh.base / "media" / doc.pdf.name
        pdf.write_bytes(pdf.read_bytes()[:-1] + b"\x00")
        tampered = fresh.run("verify", str(target))
        assert (
            tampered.returncode == 1 and "文书PDF" in tampered.stderr and "SHA-256 不一致" in tampered.stderr
        )
    finally:
        fresh.drop()
        other.drop()


@pytest.mark.django_db(transaction=True)
def test_backup_restore_through_an_s3_bucket(world: Any, source: Path) -> None:
    """The media side with object storage: restore a local-folder backup into an S3 bucket, back that instance
    up from the bucket, restore the second backup into a local folder again; every hash holds throughout."""
    if connection.vendor != "sqlite":
        pytest.skip("the storage path does not depend on the database; the PostgreSQL dump is covered above")
    from .procs import free_port, s3_server

    documents_demo.seed(io.StringIO())
    interaction.clue_submit(
        actor=party_actor(world.party),
        case=world.case,
        body="线索",
        files=[SimpleUploadedFile("p.png", png_bytes())],
    )
    first = backup.create(source / "backups", say=lambda _: None)
    port = free_port()
    s3 = s3_server(port=port, workdir=source / "s3", bucket="zx-restore")
    on_s3 = FreshInstance(source, "on-s3")
    on_s3.env.update(
        S3_BUCKET="zx-restore",
        S3_ENDPOINT_URL=f"http://127.0.0.1:{port}",
        S3_ACCESS_KEY="faults",
        S3_SECRET_KEY="faults-secret",
    )
    back_local = FreshInstance(source, "back-local")
    try:
        restored = on_s3.run("restore", str(first))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "校验通过" in restored.stdout
        assert not (on_s3.base / "media").exists()  # the objects went to the bucket, not a folder
        second_dir = source / "backups-from-s3"
        made = on_s3.run("create", "--out", str(second_dir))
        assert made.returncode == 0, made.stderr
        second = Path(made.stdout.strip().splitlines()[-1])
        assert {m["sha256"] for m in backup.load_manifest(second)["media"]} == {
            m["sha256"] for m in backup.load_manifest(first)["media"]
        }
        again = back_local.run("restore", str(second))
        assert again.returncode == 0, again.stdout + again.stderr
        assert "校验通过" in again.stdout
    finally:
        s3.stop()
        on_s3.drop()
        back_local.drop()
