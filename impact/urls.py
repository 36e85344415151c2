from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path(
        "recommendations/",
        views.RecommendationListView.as_view(),
        name="recommendation-list",
    ),
    path(
        "recommendations/<slug:slug>/<int:number>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
    path("impact/", views.ImpactEntryListView.as_view(), name="entry-list"),
    path("impact/<slug:slug>/", views.ImpactEntryDetailView.as_view(), name="entry-detail"),
    path(
        "impact/<slug:slug>/preview/",
        views.ImpactEntryDetailView.as_view(preview=True),
        name="entry-preview",
    ),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage-csv"),
]
