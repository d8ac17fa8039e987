from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zhixing.courts.models import Membership

from .models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["username"]
    list_display = ["username", "display_name", "kind", "is_active", "verified_at", "is_staff"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "display_name"]
    readonly_fields = ["verified_at", "date_joined", "last_login"]
    fieldsets = (
        (None, {"fields": ("username", "password", "kind", "display_name")}),
        ("实名", {"fields": ("real_name", "verified_at")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "kind")}),
    )
    inlines = [MembershipInline]
    filter_horizontal = ["groups"]
