from typing import Any

from django.contrib import admin

from .models import (
    CalendarOverride,
    CaseFlow,
    CaseMatter,
    FieldTask,
    FundEntry,
    MatterType,
    Property,
    RoutingRule,
    Stage,
    StageRecord,
    StageTransition,
)


class TransitionInline(admin.TabularInline):
    model = StageTransition
    fk_name = "from_stage"
    extra = 0


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "order",
        "team_type_code",
        "deadline_days",
        "deadline_kind",
        "is_final",
        "is_active",
    ]
    list_editable = ["order", "deadline_days", "deadline_kind", "is_active"]
    filter_horizontal = ["matter_types"]
    inlines = [TransitionInline]


@admin.register(MatterType)
class MatterTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "code", "order", "is_active"]
    list_filter = ["category", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "priority",
        "court",
        "case_types",
        "amount_min",
        "amount_max",
        "track",
        "enters_flow",
        "entry_stage",
        "is_active",
    ]
    list_editable = ["priority", "is_active"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_workday", "name"]
    date_hierarchy = "day"


@admin.register(CaseFlow)
class CaseFlowAdmin(admin.ModelAdmin):
    list_display = ["case", "stage", "team", "assignee", "deadline", "version"]
    list_filter = ["stage"]
    search_fields = ["case__number"]
    raw_id_fields = ["case", "assignee", "team"]
    readonly_fields = ["version"]


@admin.register(StageRecord)
class StageRecordAdmin(admin.ModelAdmin):
    list_display = ["case", "stage", "assignee", "entered_at", "left_at", "next_stage"]
    search_fields = ["case__number"]
    raw_id_fields = ["case", "assignee", "submitted_by"]


@admin.register(CaseMatter)
class CaseMatterAdmin(admin.ModelAdmin):
    list_display = ["case", "matter_type", "stage", "status", "started_on", "completed_on"]
    search_fields = ["case__number"]
    raw_id_fields = ["case", "created_by"]


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "description", "control_status", "controlled_on", "expires_on"]
    search_fields = ["case__number", "description"]
    raw_id_fields = ["case", "owner", "matter"]


@admin.register(FundEntry)
class FundEntryAdmin(admin.ModelAdmin):
    # Money moves only through the services (balance under lock); the admin shows the ledger.
    list_display = ["case", "kind", "status", "amount", "counterparty", "due_on", "booked_on"]
    search_fields = ["case__number"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(FieldTask)
class FieldTaskAdmin(admin.ModelAdmin):
    list_display = ["case", "assigned_to", "place", "due_on", "status"]
    search_fields = ["case__number"]
    raw_id_fields = ["case", "matter", "assigned_to", "assigned_by"]
