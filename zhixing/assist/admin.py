from django.contrib import admin

from .models import Faq, FaqBasis, FaqCategory


class BasisInline(admin.TabularInline):
    model = FaqBasis
    extra = 0


@admin.register(Faq)
class FaqAdmin(admin.ModelAdmin):
    list_display = ("code", "question", "category", "is_published")
    list_filter = ("category", "is_published")
    search_fields = ("question", "answer")
    inlines = [BasisInline]


admin.site.register(FaqCategory)
