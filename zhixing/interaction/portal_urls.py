from django.urls import path

from . import views

app_name = "interaction"

urlpatterns = [
    path("service/cases/", views.cases, name="cases"),
    path("service/progress/", views.progress, name="progress"),
    path("service/messages/", views.messages_page, name="messages"),
    path("service/messages/<int:pk>/followup/", views.message_followup, name="message-followup"),
    path("service/clues/", views.clues, name="clues"),
    path("service/clues/new/", views.clue_new, name="clue-new"),
    path("service/clues/files/<int:pk>/", views.clue_file, name="clue-file"),
    path("service/opinions/", views.opinions, name="opinions"),
    path("service/opinions/new/", views.opinion_new, name="opinion-new"),
    path("service/make/", views.documents, name="documents"),
    path("service/make/<str:kind>/new/", views.document_edit, name="document-new"),
    path("service/make/<str:kind>/<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("service/make/<int:pk>/", views.document_preview, name="document-preview"),
    path("service/make/<int:pk>/download.<str:fmt>", views.document_download, name="document-download"),
    path("service/make/<int:pk>/share/", views.document_share, name="document-share"),
    path("service/make/<int:pk>/delete/", views.document_delete, name="document-delete"),
    path("d/<str:token>/", views.document_shared, name="document-shared"),
    path("d/<str:token>/download.<str:fmt>", views.document_shared, name="document-shared-download"),
    path("me/notices/", views.notices, name="notices"),
    path("me/notices/<int:pk>/read/", views.notice_read, name="notice-read"),
    path("me/notices/read-all/", views.notice_read_all, name="notice-read-all"),
]
