from django.contrib import admin

from .models import Notice, SmsMessage


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "category", "created_at", "read_at"]
    list_filter = ["category"]


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["template", "status", "backend", "created_at", "sent_at"]
    list_filter = ["status", "template", "backend"]
    exclude = ["phone", "phone_index"]
