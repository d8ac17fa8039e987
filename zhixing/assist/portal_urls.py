from django.urls import path

from . import views

app_name = "assist"

urlpatterns = [
    path("assist/ask/", views.ask, name="ask"),
    path("assist/faq/", views.faq_list, name="faq"),
    path("assist/faq/<str:code>/", views.faq_detail, name="faq-detail"),
]
