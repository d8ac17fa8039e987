from django.urls import path

from . import workbench_views

app_name = "publicinfo_wb"

urlpatterns = [
    path("publicinfo/corrections/", workbench_views.corrections, name="corrections"),
    path("publicinfo/corrections/<int:pk>/", workbench_views.correction_detail, name="correction"),
]
