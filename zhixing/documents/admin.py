from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import (
    ApprovalStep,
    DocTemplate,
    DocTemplateVersion,
    Document,
    EfileItem,
    GenerationJob,
    ServiceRecord,
)


class VersionInline(admin.StackedInline):
    model = DocTemplateVersion
    extra = 0
    fields = ("number", "note", "legal_basis", "fields", "body", "created_by", "created_at")
    readonly_fields = ("created_at",)


@admin.register(DocTemplate)
class DocTemplateAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "kind",
        "court",
        "category",
        "matter_codes",
        "approval_chain",
        "is_active",
    )
    list_filter = ("kind", "court", "is_active")
    search_fields = ("name", "code")
    inlines = [VersionInline]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "case", "version", "status", "approval_chain", "signed_at", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "case__number", "verify_code")
    raw_id_fields = ("case", "matter", "template_version", "previous", "created_by", "signed_by")
    readonly_fields = ("signed_sha256", "pdf_sha256", "verify_code", "signed_at", "signer_subject")


@admin.register(ApprovalStep)
class ApprovalStepAdmin(admin.ModelAdmin):
    list_display = ("document", "sequence", "level", "decision", "approver", "acted_at")
    list_filter = ("level", "decision")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ("document", "party", "channel", "sent_at", "arrived_at", "read_at")
    readonly_fields = ("document_sha256", "receipt_sha256")


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = ("document", "status", "attempts", "created_at", "finished_at")
    list_filter = ("status",)


@admin.register(EfileItem)
class EfileItemAdmin(admin.ModelAdmin):
    """Read-only: the e-file is append-only."""

    list_display = ("case", "seq", "category", "title", "source", "uploaded_at", "sha256")
    list_filter = ("category",)
    search_fields = ("case__number", "title", "sha256")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
