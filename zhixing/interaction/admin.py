from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Clue, ClueAttachment, DocumentDraft, Message, Opinion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Parties' submissions are evidence: administrators may read them, never edit or delete them here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["case", "author_label", "body", "created_at", "replied_at"]
    list_select_related = ["case"]
    search_fields = ["case__number"]


class AttachmentInline(admin.TabularInline):
    model = ClueAttachment
    extra = 0
    fields = ("kind", "content_type", "size", "upload_sha256", "captured_at", "efile_ref")
    readonly_fields = fields
    can_delete = False


@admin.register(Clue)
class ClueAdmin(ReadOnlyAdmin):
    list_display = ["case", "author_label", "status", "urgent", "due_on", "outcome", "created_at"]
    list_filter = ["status", "urgent"]
    list_select_related = ["case"]
    search_fields = ["case__number"]
    inlines = [AttachmentInline]


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ["kind", "court", "author_label", "created_at", "replied_at"]
    list_filter = ["kind", "court"]


@admin.register(DocumentDraft)
class DocumentDraftAdmin(ReadOnlyAdmin):
    list_display = ["kind", "author_label", "is_complete", "updated_at"]
    exclude = ["data"]
