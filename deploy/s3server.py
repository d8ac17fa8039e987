"""Local S3-compatible object store for the loopback production topology (scripts/prod-start) and tests.

The S3 protocol is moto's server (PyPI ``moto[server]``: path-style buckets, PUT/GET with Range, HEAD,
multipart uploads, copy, list, batch delete — what boto3 and django-storages use). Moto keeps objects in
memory only, so this wrapper makes it durable: after every successful mutating request (PUT, POST, DELETE)
and *before* the response goes back to the client, the affected object is written through to
``<data>/<bucket>/objects/<key>`` (atomic rename) with its metadata beside it in ``<data>/<bucket>/meta/``;
on start every stored object is loaded back. So an acknowledged upload survives a stop, a crash or a
``kill -9`` of this process, and ``<data>`` is an ordinary folder to back up.

Limits (documented in DEPLOYMENT.md): request signatures are not verified (it listens on loopback only),
in-progress multipart uploads do not survive a restart (clients retry), no versioning. A province runs a
real object store (MinIO/Ceph RGW/OSS/COS) instead; the application only sees the S3 API.

Usage: python deploy/s3server.py --host 127.0.0.1 --port 9000 --data var/prod/s3 --bucket zhixing-media
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

CHUNK = 1024 * 1024


def _safe_relpath(key: str) -> str:
    """Map an object key to a relative file path that cannot escape the data folder."""
    parts = key.split("/")
    if key and all(p not in ("", ".", "..") for p in parts) and "\x00" not in key:
        return key
    return "_b64/" + base64.urlsafe_b64encode(key.encode()).decode()


class DurableStore:
    """Write-through persistence of one moto S3 backend into a folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.Lock()
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.s3.models import s3_backends

        self.backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]

    # -- paths -------------------------------------------------------------------------------------------
    def _obj(self, bucket: str, key: str) -> Path:
        return self.root / bucket / "objects" / _safe_relpath(key)

    def _meta(self, bucket: str, key: str) -> Path:
        return self.root / bucket / "meta" / (_safe_relpath(key) + ".json")

    # -- loading -----------------------------------------------------------------------------------------
    def ensure_bucket(self, bucket: str) -> None:
        if bucket not in self.backend.buckets:
            self.backend.create_bucket(bucket, "us-east-1")
        (self.root / bucket / "objects").mkdir(parents=True, exist_ok=True)
        (self.root / bucket / "meta").mkdir(parents=True, exist_ok=True)

    def load(self) -> int:
        count = 0
        if not self.root.exists():
            return 0
        for bucket_dir in sorted(p for p in self.root.iterdir() if p.is_dir()):
            bucket = bucket_dir.name
            self.ensure_bucket(bucket)
            meta_root = bucket_dir / "meta"
            for meta_file in meta_root.rglob("*.json"):
                try:
                    meta = json.loads(meta_file.read_text())
                except (OSError, ValueError):
                    continue
                key = meta["key"]
                obj = self._obj(bucket, key)
                if not obj.exists():
                    continue
                fake = self.backend.put_object(bucket, key, obj.read_bytes(), disable_notification=True)
                fake.set_metadata(dict(meta.get("metadata", {})), replace=True)
                count += 1
        return count

    # -- writing through ---------------------------------------------------------------------------------
    def _write_key(self, bucket: str, key: str) -> None:
        try:
            fake = self.backend.get_object(bucket, key)
        except Exception:
            fake = None
        if fake is None:
            self._remove_key(bucket, key)
            return
        obj, meta = self._obj(bucket, key), self._meta(bucket, key)
        obj.parent.mkdir(parents=True, exist_ok=True)
        meta.parent.mkdir(parents=True, exist_ok=True)
        tmp = obj.with_name(obj.name + f".tmp{os.getpid()}.{threading.get_ident()}")
        digest = hashlib.md5(usedforsecurity=False)
        buffer = getattr(fake, "_value_buffer", None)
        with open(tmp, "wb") as out:
            if buffer is not None:
                buffer.seek(0)
                while chunk := buffer.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
            else:
                data = fake.value
                out.write(data)
                digest.update(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, obj)
        record = {"key": key, "md5": digest.hexdigest(), "metadata": dict(fake.metadata)}
        meta_tmp = meta.with_name(meta.name + f".tmp{os.getpid()}.{threading.get_ident()}")
        meta_tmp.write_text(json.dumps(record, ensure_ascii=False))
        os.replace(meta_tmp, meta)

    def _remove_key(self, bucket: str, key: str) -> None:
        for path in (self._obj(bucket, key), self._meta(bucket, key)):
            path.unlink(missing_ok=True)

    def _reconcile_bucket(self, bucket: str) -> None:
        """After a bucket-level change (batch delete, bucket delete) make the folder match the backend."""
        fake_bucket = self.backend.buckets.get(bucket)
        if fake_bucket is None:
            shutil.rmtree(self.root / bucket, ignore_errors=True)
            return
        live = set(fake_bucket.keys.keys())
        meta_root = self.root / bucket / "meta"
        stored: set[str] = set()
        for meta_file in meta_root.rglob("*.json") if meta_root.exists() else []:
            try:
                stored.add(json.loads(meta_file.read_text())["key"])
            except (OSError, ValueError, KeyError):
                continue
        for key in stored - live:
            self._remove_key(bucket, key)
        for key in live - stored:
            self._write_key(bucket, key)

    def after_request(self, method: str, path: str, query: str) -> None:
        if method not in {"PUT", "POST", "DELETE"}:
            return
        parts = path.lstrip("/").split("/", 1)
        bucket = unquote(parts[0]) if parts and parts[0] else ""
        if not bucket:
            return
        key = unquote(parts[1]) if len(parts) > 1 and parts[1] else ""
        with self.lock:
            if not key:
                if method == "PUT" and bucket in self.backend.buckets:
                    self.ensure_bucket(bucket)
                self._reconcile_bucket(bucket)
            elif method == "POST" and "uploads" in query.split("&"):
                return  # multipart upload created: nothing stored yet
            elif "uploadId=" in query and method != "POST":
                return  # an uploaded part or an aborted upload: not an object yet
            else:
                self._write_key(bucket, key)


class PersistingApp:
    """WSGI middleware: run moto, then write the change through before answering."""

    def __init__(self, app: Callable[..., Iterable[bytes]], store: DurableStore) -> None:
        self.app, self.store = app, store

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"], captured["exc_info"] = status, headers, exc_info
            return lambda data: None

        body = list(self.app(environ, capture))
        code = int(str(captured.get("status", "500")).split()[0])
        if 200 <= code < 300:
            try:
                self.store.after_request(
                    environ.get("REQUEST_METHOD", "GET"),
                    environ.get("PATH_INFO", ""),
                    environ.get("QUERY_STRING", ""),
                )
            except OSError as exc:  # the disk refused: the client must not believe the write happened
                sys.stderr.write(f"s3server: persisting failed: {exc}\n")
                payload = b"<Error><Code>InternalError</Code><Message>persist failed</Message></Error>"
                start_response("500 Internal Server Error", [("Content-Type", "application/xml")])
                return [payload]
        start_response(captured["status"], captured["headers"], captured["exc_info"])
        return body


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--data", required=True, help="folder that holds the objects")
    parser.add_argument("--bucket", action="append", default=[], help="bucket to create if missing")
    args = parser.parse_args(argv)

    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    root = Path(args.data).resolve()
    root.mkdir(parents=True, exist_ok=True)
    store = DurableStore(root)
    loaded = store.load()
    for bucket in args.bucket:
        store.ensure_bucket(bucket)
    app = PersistingApp(DomainDispatcherApplication(create_backend_app), store)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(
        f"s3server: {loaded} objects loaded from {root}; listening on http://{args.host}:{args.port}",
        flush=True,
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
