from django.contrib import admin

from .models import CorrectionRequest, PublishedRecord


@admin.register(PublishedRecord)
class PublishedRecordAdmin(admin.ModelAdmin):
    list_display = ("kind", "name", "id_masked", "case_number", "court_name", "status", "published_at")
    list_filter = ("kind", "status", "source")
    search_fields = ("=name", "=case_number")
    show_full_result_count = False
    readonly_fields = ("id_index",)
    raw_id_fields = ("court", "case")


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ("applicant_name", "reason", "status", "received_at", "due_on")
    list_filter = ("status", "reason")
    raw_id_fields = ("record", "court", "applicant_user", "decided_by")
    exclude = ("phone",)
