from django.contrib import admin

from .models import EnforcementCase, Party, ProgressNode


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    fields = ["role", "kind", "name", "id_kind", "legal_representative", "user"]
    readonly_fields = ["user"]


class ProgressInline(admin.TabularInline):
    model = ProgressNode
    extra = 0


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(admin.ModelAdmin):
    list_display = ["number", "court", "filed_on", "amount", "status", "closure_method", "judge"]
    list_filter = ["status", "case_type", "court"]
    search_fields = ["number"]
    readonly_fields = ["query_code", "year", "court_code", "case_type", "sequence"]
    inlines = [PartyInline, ProgressInline]
