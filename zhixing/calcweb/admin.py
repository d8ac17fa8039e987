from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhixing.audit.services import audit_record

from .models import CourtFeeSetting, LprQuote


@admin.register(LprQuote)
class LprQuoteAdmin(admin.ModelAdmin):
    """Read-only here: quotes are entered on the workbench page (validated and audited there)."""

    list_display = ("date", "lpr_1y", "lpr_5y_plus", "source", "entered_by", "created_at")
    readonly_fields = ("date", "lpr_1y", "lpr_5y_plus", "source", "entered_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CourtFeeSetting)
class CourtFeeSettingAdmin(admin.ModelAdmin):
    list_display = ("court", "no_amount_execution_fee", "updated_by", "updated_at")
    fields = ("court", "no_amount_execution_fee")
    autocomplete_fields = ()

    def save_model(self, request: HttpRequest, obj: CourtFeeSetting, form: Any, change: bool) -> None:
        if request.user.is_authenticated:
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit_record(
            action="calculators.court_fee_setting_set",
            actor=request.user,
            obj=obj,
            details={"court": obj.court.name, "no_amount_execution_fee": str(obj.no_amount_execution_fee)},
        )
