from django.contrib import admin

from .models import Article, Law, LawVersion


class VersionInline(admin.TabularInline):
    model = LawVersion
    fields = ("date", "event", "in_force", "article_count", "source_name")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "repealed")
    list_filter = ("category", "repealed")
    search_fields = ("title",)
    inlines = [VersionInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("law", "number", "version")
    search_fields = ("law__title", "number")
    raw_id_fields = ("version", "law", "node")
    exclude = ("tokens", "title_tokens")
