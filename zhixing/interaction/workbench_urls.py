from django.urls import path

from . import workbench_views as views

app_name = "interaction_wb"

urlpatterns = [
    path("interaction/messages/", views.message_inbox, name="messages"),
    path("interaction/messages/<int:pk>/reply/", views.message_reply, name="message-reply"),
    path("interaction/clues/", views.clue_queue, name="clues"),
    path("interaction/clues/<int:pk>/", views.clue_detail, name="clue-detail"),
    path("interaction/clues/files/<int:pk>/", views.clue_file, name="clue-file"),
    path("interaction/opinions/", views.opinion_queue, name="opinions"),
    path("interaction/opinions/<int:pk>/reply/", views.opinion_reply, name="opinion-reply"),
]
