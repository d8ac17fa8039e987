"""The replica router decides per model and per request; these are its rules without a database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.signals import request_started
from django.db import close_old_connections, connections

from zhixing.cases.models import EnforcementCase
from zhixing.laws.models import Article
from zhixing.lib import dbrouter
from zhixing.publicinfo.models import CorrectionRequest, PublishedRecord


@pytest.fixture
def router(monkeypatch: Any) -> dbrouter.PrimaryReplicaRouter:
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouter, "_replica_reachable", lambda: True)
    dbrouter.begin_request()  # as if serving a web request
    yield dbrouter.PrimaryReplicaRouter()
    dbrouter.end_request()


def test_without_a_replica_everything_reads_the_primary() -> None:
    r = dbrouter.PrimaryReplicaRouter()
    assert "replica" not in connections.settings
    assert r.db_for_read(PublishedRecord) == "default"
    assert r.db_for_read(Article) == "default"


def test_public_lists_and_laws_read_the_replica_others_the_primary(router: Any) -> None:
    assert router.db_for_read(PublishedRecord) == "replica"
    assert router.db_for_read(Article) == "replica"  # the whole laws app is listed
    assert router.db_for_read(CorrectionRequest) == "default"  # staff workflow on the same app
    assert router.db_for_read(EnforcementCase) == "default"


def test_writes_go_to_the_primary_and_pin_the_request(router: Any) -> None:
    assert router.db_for_write(PublishedRecord) == "default"
    assert dbrouter.is_pinned()
    assert router.db_for_read(PublishedRecord) == "default"  # read-after-write in the same request
    # The next request starts (without Django's close_old_connections: this test has no database).
    request_started.disconnect(close_old_connections)
    try:
        request_started.send(sender=None, environ={})
    finally:
        request_started.connect(close_old_connections)
    assert not dbrouter.is_pinned()
    assert router.db_for_read(PublishedRecord) == "replica"


def test_outside_a_web_request_everything_reads_the_primary(router: Any) -> None:
    dbrouter.end_request()  # task workers, the scheduler, management commands, background threads
    assert router.db_for_read(PublishedRecord) == "default"
    assert router.db_for_read(Article) == "default"


def test_reads_inside_a_transaction_stay_on_the_primary(router: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    assert router.db_for_read(PublishedRecord) == "default"


def test_an_unreachable_replica_sends_reads_to_the_primary(monkeypatch: Any) -> None:
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouter, "_replica_reachable", lambda: False)
    assert dbrouter.PrimaryReplicaRouter().db_for_read(PublishedRecord) == "default"


def test_an_instance_keeps_the_database_it_came_from(router: Any) -> None:
    record = PublishedRecord()
    record._state.db = "default"
    assert router.db_for_read(PublishedRecord, instance=record) == "default"


def test_never_migrates_the_replica(router: Any) -> None:
    assert router.allow_migrate("replica", "publicinfo") is False
    assert router.allow_migrate("default", "publicinfo") is True


def test_configuration_lists_apps_or_models(settings: Any, router: Any) -> None:
    settings.REPLICA_READ_MODELS = ["publicinfo.PublishedRecord"]
    assert router.db_for_read(Article) == "default"
    assert router.db_for_read(PublishedRecord) == "replica"
