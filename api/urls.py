from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from publishing.http import cached_by_content

from . import views

app_name = "api"


def resource(prefix: str, viewset, name: str, lookup: str = "<slug:slug>"):
    """A list and a detail address for a viewset, each answered with content validators."""
    listing = cached_by_content(viewset.as_view({"get": "list"}))
    detail = cached_by_content(viewset.as_view({"get": "retrieve"}))
    return [
        path(f"{prefix}/", listing, name=f"{name}-list"),
        path(f"{prefix}/{lookup}/", detail, name=f"{name}-detail"),
    ]


urlpatterns = [
    path("", views.ApiDocsView.as_view(), name="docs"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    *resource("themes", views.ThemeViewSet, "theme"),
    *resource("organisations", views.OrganisationViewSet, "organisation"),
    *resource("people", views.PersonViewSet, "person"),
    *resource("reports", views.ReportViewSet, "report"),
    *resource("gap-analyses", views.GapAnalysisViewSet, "gapanalysis"),
    *resource("knowledge-gaps", views.KnowledgeGapViewSet, "knowledgegap", "<int:pk>"),
    *resource("recommendations", views.RecommendationViewSet, "recommendation", "<int:pk>"),
    *resource("impact-entries", views.ImpactEntryViewSet, "impactentry"),
    re_path(r"^.*$", views.not_found, name="not-found"),
]
