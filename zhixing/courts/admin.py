from django.contrib import admin

from .models import Court, Membership, Team, TeamType


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "case_code", "region_code", "province", "parent", "is_active"]
    list_filter = ["level", "province"]
    search_fields = ["name", "case_code"]


@admin.register(TeamType)
class TeamTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "court", "team_type", "is_active"]
    list_filter = ["team_type", "court"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "court", "team", "role", "approver_title", "is_active"]
    list_filter = ["role", "court"]
    autocomplete_fields = ["user"]
