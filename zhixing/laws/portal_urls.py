from django.urls import path

from . import views

app_name = "laws"

urlpatterns = [
    path("laws/", views.search, name="search"),
    path("laws/<int:law_id>/", views.law, name="law"),
    path("laws/v/<int:version_id>/", views.version, name="version"),
]
