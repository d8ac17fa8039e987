from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("dev/sms/", views.dev_sms_outbox, name="dev-sms"),
]
