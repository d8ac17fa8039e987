from django.urls import path

from . import wb_views

app_name = "content_wb"

urlpatterns = [
    path("content/", wb_views.article_list, name="articles"),
    path("content/new/", wb_views.article_create, name="create"),
    path("content/<int:pk>/edit/", wb_views.article_edit, name="edit"),
    path("content/<int:pk>/", wb_views.article_preview, name="preview"),
    path("content/<int:pk>/publish/", wb_views.article_publish, name="publish"),
    path("content/<int:pk>/withdraw/", wb_views.article_withdraw, name="withdraw"),
]
