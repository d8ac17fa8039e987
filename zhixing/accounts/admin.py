from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from zhixing.audit.services import audit_record
from zhixing.courts.models import Membership

from . import services
from .models import AuthLock, FaceConsent, IdentityVerification, User


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
    actions = ["reset_totp", "end_sessions"]

    @admin.action(description="重置动态口令（下次登录时重新绑定）")
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset.filter(kind=User.Kind.STAFF):
            services.staff_totp_reset(actor=request.user, user=user)  # type: ignore[arg-type]
        self.message_user(request, "已重置所选工作人员的动态口令。")

    @admin.action(description="强制退出所有登录")
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.session_epoch_bump(user=user)
            audit_record(action="auth.end_sessions", actor=request.user, obj=user)
        self.message_user(request, "所选账户的所有登录均已失效。")


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(admin.ModelAdmin):
    list_display = ["real_name", "id_masked", "method", "provider", "result", "score", "decided_at", "staff"]
    list_filter = ["method", "result", "provider"]
    # The keyed blind index stays on the server: it is a lookup key, not something to display.
    exclude = ["id_index"]
    readonly_fields = [f.name for f in IdentityVerification._meta.fields if f.name != "id_index"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(FaceConsent)
class FaceConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "notice_version", "given_at", "withdrawn_at"]
    readonly_fields = [f.name for f in FaceConsent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuthLock)
class AuthLockAdmin(admin.ModelAdmin):
    """Administrators may lift a lock early by deleting it."""

    list_display = ["ident", "failures", "last_failure_at", "locked_until"]
    readonly_fields = ["ident", "failures", "last_failure_at", "locked_until"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
