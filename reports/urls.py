from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/<slug:slug>/", views.ReportDetailView.as_view(), name="report-detail"),
    path(
        "reports/<slug:slug>/preview/",
        views.ReportDetailView.as_view(preview=True),
        name="report-preview",
    ),
    path("reports/<slug:slug>/pdf/", views.report_pdf, name="report-pdf"),
    path(
        "reports/<slug:slug>/citation.<str:extension>",
        views.report_citation,
        name="report-citation",
    ),
    path(
        "recommendation-updates/<int:pk>/evidence/",
        views.recommendation_evidence,
        name="recommendation-evidence",
    ),
    path("gap-analyses/", views.GapAnalysisListView.as_view(), name="gapanalysis-list"),
    path(
        "gap-analyses/<slug:slug>/",
        views.GapAnalysisDetailView.as_view(),
        name="gapanalysis-detail",
    ),
    path(
        "gap-analyses/<slug:slug>/preview/",
        views.GapAnalysisDetailView.as_view(preview=True),
        name="gapanalysis-preview",
    ),
]
