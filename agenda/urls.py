from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("gaps/", views.GapListView.as_view(), name="gap-list"),
    path("gaps.csv", views.gap_list_csv, name="gap-list-csv"),
    path("gaps.json", views.gap_list_json, name="gap-list-json"),
    path("gaps/<int:pk>/", views.GapDetailView.as_view(), name="gap-detail"),
]
