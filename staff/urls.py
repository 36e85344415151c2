from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("two-factor/", views.verify, name="two-factor-verify"),
    path("two-factor/set-up/", views.enrol, name="two-factor-enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
]
