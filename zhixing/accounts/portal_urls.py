from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/register/", views.register, name="register"),
    path("account/login/", views.login_password, name="login"),
    path("account/login/sms/", views.login_sms, name="login-sms"),
    path("account/reset/", views.password_reset, name="reset"),
    path("account/phone/", views.phone_change, name="phone"),
    path("account/logout/", views.logout_view, name="logout"),
    path("account/unit/", views.unit_login, name="unit-login"),
    path("account/cases/", views.my_cases, name="cases"),
    path("account/verify/", views.verify, name="verify"),
]
