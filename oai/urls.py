from django.urls import path

from . import views

app_name = "oai"

urlpatterns = [
    path("", views.endpoint, name="endpoint"),
]
