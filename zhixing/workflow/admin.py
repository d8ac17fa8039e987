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
    StageSet,
    StageTransition,
)


class TransitionInline(admin.TabularInline):
    model = StageTransition
    fk_name = "from_stage"
    extra = 0


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "team_type_code",
        "deadline_days",
        "deadline_kind",
        "is_final",
        "is_active",
    ]
    show_change_link = True


@admin.register(StageSet)
class StageSetAdmin(admin.ModelAdmin):
    """A court's own stage configuration. Adding one for a court copies the default set's stages and
    transitions into it; the court then edits its copy (stages, deadlines, transitions, matter types)."""

    list_display = ["name", "court", "is_default"]
    inlines = [StageInline]

    def get_inlines(self, request: Any, obj: Any) -> list[Any]:
        return [StageInline] if obj is not None else []

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or not obj.is_default:
            form.base_fields["court"].required = True  # only the seeded default set has no court
        return form

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        from django.db import transaction

        from zhixing.audit.services import audit_record

        from .services import stage_set_fill

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change:
                default = StageSet.objects.filter(is_default=True).first()
                copied = stage_set_fill(stage_set=obj, source=default) if default else 0
                audit_record(
                    action="flow.stage_set_copy",
                    actor=request.user,
                    obj=obj,
                    details={"court": obj.court_id, "stages": copied},
                )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # The default set is what every court without its own falls back to.
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_default)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "stage_set",
        "code",
        "order",
        "team_type_code",
        "deadline_days",
        "deadline_kind",
        "is_final",
        "is_active",
    ]
    list_editable = ["order", "deadline_days", "deadline_kind", "is_active"]
    list_filter = ["stage_set"]
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
    list_display = ["day", "is_workday", "name", "court"]
    list_filter = ["court"]
    date_hierarchy = "day"
    raw_id_fields = ["created_by"]


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
