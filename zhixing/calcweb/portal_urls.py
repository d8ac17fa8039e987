from django.urls import path

from . import views

app_name = "calcweb"

urlpatterns = [
    path("tools/", views.index, name="index"),
    path("tools/<slug:slug>/", views.calculator, name="calculator"),
    path("tools/<slug:slug>/pdf", views.calculation_pdf, name="pdf"),
]
