from django.urls import path

from . import wb_views

app_name = "calcweb_wb"

urlpatterns = [
    path("calculators/lpr/", wb_views.lpr, name="lpr"),
    path("calculators/lpr/<int:pk>/delete/", wb_views.lpr_delete, name="lpr-delete"),
]
