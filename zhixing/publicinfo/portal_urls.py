from django.urls import path

from . import views

app_name = "publicinfo"

urlpatterns = [
    path("query/", views.query_home, name="query"),
    path("query/captcha/<str:token>.png", views.captcha_png, name="captcha"),
    path("query/r/<str:token>/", views.record_detail, name="record"),
    path("query/r/<str:token>/correction/", views.correction_apply, name="correction"),
    path("query/correction/done/", views.correction_done, name="correction-done"),
    path("query/<slug:kind>/", views.query_form, name="form"),
]
