from django.urls import path

from . import views

app_name = "involvement"

urlpatterns = [
    path("get-involved/", views.RegistrationCreateView.as_view(), name="register"),
    path("get-involved/thank-you/", views.RegistrationThanksView.as_view(), name="thanks"),
]
