"""Shared helpers for the production-topology tests: free loopback ports, Debian binaries, the S3 server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def need_binary(path_or_name: str | None, what: str) -> None:
    """Skip with a clear reason when a Debian binary is missing — except in CI, where that is a failure."""
    if path_or_name:
        return
    message = f"{what} 未安装（以 root 运行 scripts/prod-start 或 scripts/test 会安装）"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class S3Server:
    def __init__(self, data: Path, bucket: str) -> None:
        self.port = free_port()
        self.data = data
        self.bucket = bucket
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "deploy" / "s3server.py"), "--port", str(self.port),
             "--data", str(self.data), "--bucket", self.bucket],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        assert wait_port(self.port, 60), "local S3 server did not start"

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc = None

    def client(self):  # type: ignore[no-untyped-def]
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id="test", aws_secret_access_key="test-secret",
            region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
        )  # fmt: skip

    def storage_settings(self) -> dict[str, object]:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket, "endpoint_url": self.endpoint, "access_key": "test",
                "secret_key": "test-secret", "region_name": "us-east-1", "addressing_style": "path",
                "signature_version": "s3v4", "default_acl": None, "file_overwrite": False,
            },
        }  # fmt: skip


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("s3"), "zx-test-media")
    server.start()
    try:
        yield server
    finally:
        server.stop()
