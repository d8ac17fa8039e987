import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhixing.audit.models import AuditEvent
from zhixing.audit.services import audit_record, audit_verify


@pytest.mark.django_db
def test_audit_is_append_only_and_chained() -> None:
    first = audit_record(action="test.one", actor="系统", details={"k": 1}, ip="127.0.0.1")
    second = audit_record(action="test.two", actor="系统")
    assert second.prev_hash == first.hash
    assert first.occurred_at.utcoffset() is not None
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        first.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=first.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert audit_verify() == []
    call_command("audit_verify")


@pytest.mark.django_db
def test_changed_row_is_detected() -> None:
    event = audit_record(action="test.one", actor="系统")
    audit_record(action="test.two", actor="系统")
    with connection.cursor() as cursor:  # tamper below the ORM, as an intruder with SQL access would
        cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    problems = audit_verify()
    assert any(f"#{event.pk}" in p and "修改" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("audit_verify")


@pytest.mark.django_db
def test_removed_row_is_detected() -> None:
    audit_record(action="a", actor="系统")
    middle = audit_record(action="b", actor="系统")
    audit_record(action="c", actor="系统")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])
    assert any("删除" in p for p in audit_verify())
