"""Backup, restore and integrity verification of a whole instance: database, media, signing keys.

``create`` writes one folder::

    zhixing-backup-20261122T210000Z/
      manifest.json        format, time, database vendor, key fingerprints, row counts per model, applied
                           migrations, and name/size/SHA-256 of every file below
      database.pgdump      pg_dump custom format (PostgreSQL)  — or database.sqlite3 (SQLite online backup API)
      media/<name>         every object of the default storage (local folder or S3 bucket), same names
      signing/...          the signing CA and court certificates (private keys are encrypted at rest)
      keys/                only with --include-keys: SECRET_KEY and the data key (keep such a backup offline)

``restore`` checks every file against the manifest, refuses a non-empty target database or storage, loads
the database (pg_restore in one transaction / SQLite backup API), uploads every object under its original
name and reads it back to compare hashes. ``verify`` checks the instance itself: every document PDF and
signed PDF against ``Document.pdf_sha256``/``signed_sha256``, service receipts, every e-file item (SHA-256,
SM3 and the per-case hash chain), every clue attachment and field photo, the audit hash chain, and — given a
manifest — row counts and every object's hash.

Command line (scripts/backup and scripts/restore call it)::

    python -m zhixing.ops.backup create [--out DIR] [--include-keys]
    python -m zhixing.ops.backup restore DIR [--force]
    python -m zhixing.ops.backup verify [DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

FORMAT = 1
CHUNK = 1024 * 1024

Say = Callable[[str], None]


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why (in Chinese, for the operator)."""


def _print(line: str) -> None:
    print(line, flush=True)


def _sha256_stream(handle: IO[bytes], copy_to: IO[bytes] | None = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest(), size


def _sha256_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as handle:
        return _sha256_stream(handle)


def _fingerprint(secret: str, purpose: str) -> str:
    """A short public fingerprint of a key (tells whether two instances share it, reveals nothing)."""
    return hashlib.sha256(f"zhixing-backup:{purpose}\x00{secret}".encode()).hexdigest()[:16]


# --- inventory --------------------------------------------------------------------------------------------


def storage_names(storage: Any, path: str = "") -> Iterator[str]:
    """Every file name in a Django storage (local folder or S3 bucket), depth first."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for sub in sorted(dirs):
        yield from storage_names(storage, f"{path}/{sub}" if path else sub)


def row_counts() -> dict[str, int]:
    """Rows per model, for the models whose table exists (a database behind the code lacks new ones)."""
    from django.apps import apps
    from django.db import connection

    existing = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in existing
    }


def applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


# --- database ---------------------------------------------------------------------------------------------


def _pg_conninfo() -> tuple[str, dict[str, str]]:
    from django.db import connection
    from psycopg.conninfo import make_conninfo

    info = connection.settings_dict
    conninfo = make_conninfo(
        host=info.get("HOST") or "127.0.0.1",
        port=str(info.get("PORT") or 5432),
        dbname=info["NAME"],
        user=info.get("USER") or "postgres",
    )
    env = dict(os.environ)
    if info.get("PASSWORD"):
        env["PGPASSWORD"] = str(info["PASSWORD"])
    return conninfo, env


def _pg_tool(name: str) -> str:
    """The client binary of the server's major version when installed (pg_dump refuses older ones)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"找不到 {name}（请安装 PostgreSQL {major} 客户端）。")
    return found


def _model_tables() -> dict[str, str]:
    from django.apps import apps

    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _count_tables(execute: Callable[[str], int], existing: set[str]) -> dict[str, int]:
    return {
        label: execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the models
        for label, table in _model_tables().items()
        if table in existing
    }


def _dump_database(target: Path) -> tuple[Path, dict[str, int]]:
    """Dump the database; the row counts returned are of exactly the rows in the dump."""
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg

        out = target / "database.pgdump"
        conninfo, env = _pg_conninfo()
        # One REPEATABLE READ snapshot, exported to pg_dump: the counts and the dump see the same rows.
        with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            row = conn.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            snapshot = str(row[0])

            def execute(sql: str) -> int:
                found = conn.execute(sql.encode()).fetchone()
                return int(found[0]) if found else 0

            counts = _count_tables(execute, set(connection.introspection.table_names()))
            cmd = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
            cmd += ["--snapshot", snapshot, "--file", str(out), conninfo]
            result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
            conn.execute("COMMIT")
        if result.returncode != 0:
            raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        return out, counts
    if connection.vendor == "sqlite":
        out = target / "database.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        dest = sqlite3.connect(str(out))
        try:
            source.backup(dest)  # a consistent snapshot even while the site writes (online backup API)
            tables = {r[0] for r in dest.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            counts = _count_tables(lambda sql: int(dest.execute(sql).fetchone()[0]), tables)
        finally:
            dest.close()
            source.close()
        return out, counts
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def _database_is_empty() -> bool:
    from django.db import connection

    return "django_migrations" not in connection.introspection.table_names()


def _load_database(source: Path, *, force: bool) -> None:
    from django.db import connection, connections

    if not force and not _database_is_empty():
        raise BackupError("目标数据库不是空的：请恢复到新建的空数据库（或确认覆盖时加 --force）。")
    if source.name.endswith(".pgdump"):
        if connection.vendor != "postgresql":
            raise BackupError("该备份来自 PostgreSQL，目标数据库也必须是 PostgreSQL。")
        conninfo, env = _pg_conninfo()
        cmd = [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ]
        if force:
            cmd.append("--clean")
            cmd.append("--if-exists")
        connections.close_all()
        cmd += ["--dbname", conninfo, str(source)]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
        return
    if connection.vendor != "sqlite":
        raise BackupError("该备份来自 SQLite，目标数据库也必须是 SQLite。")
    target = str(connection.settings_dict["NAME"])
    connections.close_all()
    src = sqlite3.connect(str(source))
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")
    finally:
        dest.close()
        src.close()


# --- create -----------------------------------------------------------------------------------------------


def create(out_dir: Path, *, include_keys: bool = False, say: Say = _print) -> Path:
    """Write a backup folder under ``out_dir``; returns its path (removed again if anything fails)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out_dir / f"zhixing-backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    try:
        return _create_into(target, include_keys=include_keys, say=say)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # never leave a half-written backup that looks like one
        raise


def _create_into(target: Path, *, include_keys: bool, say: Say) -> Path:
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.db import connection

    started = time.monotonic()

    say(f"数据库（{connection.vendor}）…")
    dump, counts = _dump_database(target)
    dump_sha, dump_size = _sha256_file(dump)

    say("文件存储…")
    media: list[dict[str, Any]] = []
    for name in storage_names(default_storage):
        dest = target / "media" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, dest.open("wb") as out:
            sha, size = _sha256_stream(src, out)
        media.append({"name": name, "size": size, "sha256": sha})

    signing: list[dict[str, Any]] = []
    signing_dir = Path(settings.SIGNING_DIR)
    if signing_dir.is_dir():
        for path in sorted(p for p in signing_dir.rglob("*") if p.is_file()):
            rel = path.relative_to(signing_dir).as_posix()
            dest = target / "signing" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
            sha, size = _sha256_file(dest)
            signing.append({"name": rel, "size": size, "sha256": sha})

    if include_keys:
        keys = target / "keys"
        keys.mkdir(mode=0o700)
        for name, value in (("secret_key", settings.SECRET_KEY), ("data_key", settings.DATA_KEY)):
            path = keys / name
            path.write_text(value)
            path.chmod(0o600)

    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "vendor": connection.vendor,
        "database": {"file": dump.name, "size": dump_size, "sha256": dump_sha},
        "data_key_fingerprint": _fingerprint(settings.DATA_KEY, "data_key"),
        "secret_key_fingerprint": _fingerprint(settings.SECRET_KEY, "secret_key"),
        "keys_included": include_keys,
        "migrations": applied_migrations(),
        "counts": counts,
        "media": media,
        "signing": signing,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    total = dump_size + sum(m["size"] for m in media)
    say(
        f"备份完成：{target}（数据库 {dump_size / 1e6:.1f} MB，文件 {len(media)} 个，共 {total / 1e6:.1f} MB，"
        f"用时 {time.monotonic() - started:.1f} 秒）"
    )
    return target


# --- restore ----------------------------------------------------------------------------------------------


def load_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} 不是有效的备份（缺少或无法读取 manifest.json）。") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def check_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every file of the backup is present with the size and hash the manifest recorded."""
    entries = [(source / manifest["database"]["file"], manifest["database"])]
    entries += [(source / "media" / m["name"], m) for m in manifest["media"]]
    entries += [(source / "signing" / m["name"], m) for m in manifest["signing"]]
    bad = []
    for path, entry in entries:
        if not path.is_file() or _sha256_file(path) != (entry["sha256"], entry["size"]):
            bad.append(str(path.relative_to(source)))
    if bad:
        raise BackupError(f"备份文件缺失或已损坏（{len(bad)} 个）：{', '.join(bad[:5])}")


def restore(source: Path, *, force: bool = False, say: Say = _print) -> dict[str, Any]:
    """Restore a backup folder into this (new, empty) instance; returns the manifest."""
    from django.conf import settings
    from django.core.files import File
    from django.core.files.storage import default_storage

    manifest = load_manifest(source)
    if manifest["data_key_fingerprint"] != _fingerprint(settings.DATA_KEY, "data_key"):
        hint = "备份中的 keys/data_key" if manifest.get("keys_included") else "原实例的数据密钥"
        raise BackupError(
            f"数据密钥与备份不一致：加密的个人信息将无法解密。请以 ZHIXING_DATA_KEY 提供{hint}后再恢复。"
        )
    if manifest["secret_key_fingerprint"] != _fingerprint(settings.SECRET_KEY, "secret_key"):
        say("提示：SECRET_KEY 与备份不同，恢复后所有登录会话和已发出的签名链接将失效。")
    say("校验备份文件…")
    check_files(source, manifest)

    existing = next(storage_names(default_storage), None)
    if existing is not None and not force:
        raise BackupError(f"目标文件存储不是空的（例如 {existing}）：请恢复到新的目录或存储桶。")

    say("恢复数据库…")
    _load_database(source / manifest["database"]["file"], force=force)

    say(f"恢复文件（{len(manifest['media'])} 个）…")
    for entry in manifest["media"]:
        name = entry["name"]
        if force and default_storage.exists(name):
            default_storage.delete(name)
        with (source / "media" / name).open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"文件未能以原名保存：{name} → {saved}")
        with default_storage.open(name, "rb") as stored:
            if _sha256_stream(stored) != (entry["sha256"], entry["size"]):
                raise BackupError(f"文件写入后校验不一致：{name}")

    signing_dir = Path(settings.SIGNING_DIR)
    if manifest["signing"]:
        if signing_dir.is_dir() and any(signing_dir.iterdir()) and not force:
            say(f"提示：{signing_dir} 已存在，未覆盖签章证书。")
        else:
            for entry in manifest["signing"]:
                dest = signing_dir / entry["name"]
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / "signing" / entry["name"], dest)
    say("恢复完成。")
    return manifest


# --- verify -----------------------------------------------------------------------------------------------


def _file_sha256(storage: Any, name: str) -> str | None:
    try:
        with storage.open(name, "rb") as handle:
            return _sha256_stream(handle)[0]
    except FileNotFoundError:
        return None
    except OSError:
        return None


def verify(manifest: dict[str, Any] | None = None, *, say: Say = _print) -> tuple[list[str], dict[str, int]]:
    """Check every stored hash of this instance; returns (problems, how many of each kind were checked)."""
    from django.core.files.storage import default_storage

    from zhixing.audit.services import audit_verify
    from zhixing.cases.models import EnforcementCase
    from zhixing.documents.models import Document, EfileItem, ServiceRecord
    from zhixing.documents.services import efile_verify_chain
    from zhixing.interaction.models import ClueAttachment
    from zhixing.workflow.models import FieldTaskPhoto

    problems: list[str] = []
    checked: dict[str, int] = {}

    def check(kind: str, label: str, name: str | None, expected: str) -> None:
        checked[kind] = checked.get(kind, 0) + 1
        actual = _file_sha256(default_storage, name) if name else None
        if actual is None:
            problems.append(f"{kind} {label}: 文件缺失 {name}")
        elif actual != expected:
            problems.append(f"{kind} {label}: SHA-256 不一致 {name}")

    for doc in Document.objects.exclude(pdf="").exclude(pdf_sha256="").only("pk", "pdf", "pdf_sha256"):
        check("文书PDF", f"#{doc.pk}", doc.pdf.name, doc.pdf_sha256)
    for doc in (
        Document.objects.exclude(signed_pdf="")
        .exclude(signed_sha256="")
        .only("pk", "signed_pdf", "signed_sha256")
    ):
        check("签章PDF", f"#{doc.pk}", doc.signed_pdf.name, doc.signed_sha256)
    for rec in ServiceRecord.objects.exclude(receipt_pdf="").exclude(receipt_sha256=""):
        check("送达凭证", f"#{rec.pk}", rec.receipt_pdf.name, rec.receipt_sha256)
    for att in ClueAttachment.objects.only("pk", "file", "sha256"):
        check("线索附件", f"#{att.pk}", att.file.name, att.sha256)
    for photo in FieldTaskPhoto.objects.only("pk", "file", "sha256"):
        check("外勤照片", f"#{photo.pk}", photo.file, photo.sha256)
    case_ids = EfileItem.objects.values_list("case_id", flat=True).distinct()
    for case in EnforcementCase.objects.filter(pk__in=list(case_ids)):
        intact, bad_seq = efile_verify_chain(case=case, check_files=True)
        checked["电子卷宗"] = checked.get("电子卷宗", 0) + EfileItem.objects.filter(case=case).count()
        if not intact:
            problems.append(f"电子卷宗 {case.number}: 第 {bad_seq} 项哈希或哈希链不一致")
    audit = audit_verify()
    from zhixing.audit.models import AuditEvent

    checked["审计日志"] = AuditEvent.objects.count()
    problems += [f"审计日志: {line}" for line in audit]

    if manifest is not None:
        counts = row_counts()
        for label, expected in manifest["counts"].items():
            if counts.get(label, 0) != expected:
                problems.append(f"行数不一致 {label}: 备份 {expected}，当前 {counts.get(label, 0)}")
        for entry in manifest["media"]:
            check("备份文件", entry["name"], entry["name"], entry["sha256"])
    for kind, n in checked.items():
        say(f"  {kind}: {n}")
    return problems, checked


# --- command line -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhixing.ops.backup", description="备份、恢复与校验")
    sub = parser.add_subparsers(dest="action", required=True)
    p_create = sub.add_parser("create", help="备份数据库、文件存储和签章证书")
    p_create.add_argument("--out", default="", help="备份目录（默认 <ZHIXING_VAR_DIR>/backups）")
    p_create.add_argument(
        "--include-keys", action="store_true", help="同时写入 SECRET_KEY 和数据密钥（请离线保管）"
    )
    p_restore = sub.add_parser("restore", help="恢复到新的空实例并校验")
    p_restore.add_argument("source")
    p_restore.add_argument("--force", action="store_true", help="目标非空时覆盖")
    p_verify = sub.add_parser("verify", help="校验本实例的文书、卷宗、附件哈希和审计哈希链")
    p_verify.add_argument("source", nargs="?", default="", help="备份目录：另核对行数和每个文件")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    import django

    django.setup()
    from django.conf import settings

    try:
        if args.action == "create":
            out = Path(args.out) if args.out else Path(settings.VAR_DIR) / "backups"
            target = create(out, include_keys=args.include_keys)
            print(target)
            return 0
        if args.action == "restore":
            manifest = restore(Path(args.source), force=args.force)
            print("校验恢复后的实例：")
            problems, _ = verify(manifest)
        else:
            problems, _ = verify(load_manifest(Path(args.source)) if args.source else None)
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(f"校验失败：{len(problems)} 处不一致", file=sys.stderr)
        return 1
    print("校验通过：所有哈希一致，审计哈希链完整。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
