from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("content/feed/", views.feed_fragment, name="feed"),
    path("content/articles/<int:pk>/", views.article_detail, name="article"),
    path("content/follow/", views.follow, name="follow"),
    path("content/region/", views.region, name="region"),
    path("content/media/cover/<int:pk>/", views.cover, name="cover"),
    path("content/media/video/<int:pk>/", views.video, name="video"),
    path("content/rights/", views.rights, name="rights"),
    path("content/hotline/", views.hotline, name="hotline"),
]
