from django.urls import path

from zhixing.accounts import staff_views

from . import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", staff_views.staff_login, name="login"),
    path("logout/", staff_views.staff_logout, name="logout"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
]
