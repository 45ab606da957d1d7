from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("mitmachen/", views.application_form, name="form"),
    path("mitmachen/token", views.form_token, name="token"),
]
