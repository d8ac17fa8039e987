"""A real PostgreSQL streaming replica: a primary and a hot standby (pg_basebackup -R) in a temporary folder on
free loopback ports; Django writes on the primary and the public list query reads the replica through the router."""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from deploy import pgcluster

from .conftest import ROOT, free_port, need_binary


@pytest.fixture(scope="module")
def pg_pair() -> Iterator[dict[str, Any]]:
    bindir = pgcluster.server_bindir()
    need_binary(str(bindir) if bindir else None, "PostgreSQL 服务器（Debian 软件包 postgresql）")
    assert bindir is not None
    # Under the test var folder, not /tmp/pytest-of-root (0700): when root, the clusters run as the postgres
    # system user, which must reach their folders.
    base = Path(settings.VAR_DIR)
    base.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="pg-pair-", dir=base))
    os.chmod(root, 0o755)  # noqa: S103
    primary = pgcluster.Cluster(root / "primary", free_port(), root / "primary.log", bindir)
    replica = pgcluster.Cluster(root / "replica", free_port(), root / "replica.log", bindir)
    su, app, repl = (secrets.token_hex(12) for _ in range(3))
    try:
        pgcluster.init_primary(primary, superuser_password=su, shared_buffers="32MB")
        primary.start()
        pgcluster.ensure_roles(
            primary, superuser_password=su, app_user="zx", app_password=app, dbname="zx_prod_replica",
            repl_user="repl", repl_password=repl,
        )  # fmt: skip
        pgcluster.init_replica(primary, replica, repl_user="repl", repl_password=repl)
        replica.start()
        yield {"primary": primary, "replica": replica, "su": su, "app": app}
    finally:
        replica.stop(mode="immediate")
        primary.stop(mode="immediate")
        shutil.rmtree(root, ignore_errors=True)


def test_public_query_reads_the_streaming_replica(pg_pair: dict[str, Any], tmp_path: Path) -> None:
    primary, replica = pg_pair["primary"], pg_pair["replica"]
    stop_replica = shlex.join(
        [*pgcluster._owner_prefix(), str(replica.bindir / "pg_ctl"), "stop", "-D", str(replica.datadir),
         "-m", "fast", "-w"]
    )  # fmt: skip
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "PROBE_"))},
        "DATABASE_URL": primary.url("zx", pg_pair["app"], "zx_prod_replica"),
        "DATABASE_REPLICA_URL": replica.url("zx", pg_pair["app"], "zx_prod_replica"),
        "ZHIXING_VAR_DIR": str(tmp_path / "var"),
        "PROBE_REPLICA_PORT": str(replica.port),
        "PROBE_SU_PASSWORD": pg_pair["su"],
        "PROBE_STOP_REPLICA": stop_replica,
        "REDIS_URL": "",
        "S3_BUCKET": "",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(__file__).with_name("replica_probe.py"))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=540, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["replica_in_recovery"] is True
    # Replayed: found, and the query ran on the replica, not on the primary.
    total, on_replica, on_primary = seen["after_replay"]
    assert total == 1 and on_replica >= 1 and on_primary == 0
    # The writing request reads its own write from the primary.
    total, on_replica, on_primary = seen["same_request_after_write"]
    assert total == 2 and on_replica == 0 and on_primary >= 1
    # Another request while replay is paused reads the replica, which does not have the new row yet.
    total, on_replica, on_primary = seen["other_request_while_paused"]
    assert total == 1 and on_replica >= 1 and on_primary == 0
    # Replay resumed: the replica has caught up.
    total, on_replica, on_primary = seen["after_resume"]
    assert total == 2 and on_replica >= 1 and on_primary == 0
    # The standby refuses writes; the router never sends them there.
    assert seen["replica_write"] != "accepted"
    assert seen["write_alias"] == "default"
    # Replica stopped: the query is answered by the primary.
    total, _, on_primary = seen["replica_down"]
    assert total == 2 and on_primary >= 1
    assert not replica.running() and primary.running()
