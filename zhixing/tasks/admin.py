from django.contrib import admin

from .models import ScheduleSlot, TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ("id", "task", "status", "attempts", "owner", "created_at", "finished_at")
    list_filter = ("status", "task")
    search_fields = ("key", "task")
    readonly_fields = [f.name for f in TaskRun._meta.fields]


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(admin.ModelAdmin):
    list_display = ("job", "period", "scheduler", "created_at")
    list_filter = ("job",)
    readonly_fields = ("job", "period", "run_key", "scheduler", "created_at")
