from django.urls import path

from . import staff_views

app_name = "accounts_wb"

urlpatterns = [
    path("accounts/totp/", staff_views.staff_totp, name="totp"),
    path("accounts/password/", staff_views.password_change, name="password"),
    path("accounts/verify/", staff_views.verify_in_person, name="verify"),
    path("accounts/query-code/", staff_views.query_codes, name="query-codes"),
    path(
        "accounts/query-code/<int:case_id>/", staff_views.query_code_regenerate, name="query-code-regenerate"
    ),
]
