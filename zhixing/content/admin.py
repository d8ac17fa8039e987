from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Article, Channel, GuideItem, Hotline
from .sanitize import sanitise_html


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """For system administrators; publicity staff use the workbench (audited)."""

    list_display = ("title", "channel", "court", "status", "publish_at", "views")
    list_filter = ("status", "channel", "court")
    search_fields = ("title",)
    readonly_fields = ("views", "created_by", "created_at", "updated_at", "video_type")

    def save_model(self, request: Any, obj: Article, form: Any, change: bool) -> None:
        obj.body = sanitise_html(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(GuideItem)
class GuideItemAdmin(admin.ModelAdmin):
    list_display = ("title", "audience", "kind", "order", "is_published")
    list_filter = ("audience", "kind", "is_published")
    search_fields = ("title", "body")


@admin.register(Hotline)
class HotlineAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "court", "hours", "order", "is_active")
    list_filter = ("kind", "court")
