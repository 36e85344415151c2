from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.SubscriptionCreateView.as_view(), name="subscribe"),
    path("alerts/check-your-email/", views.CheckEmailView.as_view(), name="check-email"),
    path("alerts/confirm/<str:token>/", views.SubscriptionConfirmView.as_view(), name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("alerts/manage/<str:token>/", views.ManageView.as_view(), name="manage"),
]
