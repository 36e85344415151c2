"""The read-only API (Django REST framework, schema by drf-spectacular).

Every queryset starts from ``.published()``, and so does every related row it shows
(prefetched through published querysets). Answers are the same for every client, so
``api/urls.py`` wraps each view in ``publishing.http.cached_by_content``: ETag,
Last-Modified, 304s, and the answer kept until the content changes.
"""

import functools

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from browse.views import themes_with_counts
from collaboration.models import Organisation, Person, Role, Theme
from impact.models import ImpactEntry
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report

from . import filters, serializers
from .errors import ErrorSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is unknown or not valid."),
    404: OpenApiResponse(ErrorSerializer, description="No such public item, or no such page."),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests from this address; Retry-After says when to try again.",
    ),
}


def published(model):
    return model.objects.published()


def documented(viewset):
    """Describe a viewset's two operations, with every error they can give."""
    serializer = viewset.serializer_class
    meta = serializer.Meta.model._meta
    return extend_schema_view(
        list=extend_schema(
            summary=f"List public {meta.verbose_name_plural}",
            responses={200: serializer(many=True), **ERRORS},
        ),
        retrieve=extend_schema(
            summary=f"One public {meta.verbose_name}", responses={200: serializer, **ERRORS}
        ),
    )(viewset)


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """A list (filtered, paginated) and a detail of published items; nothing else."""

    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method.lower() not in self.action_map:
            return  # a method this address does not answer: 405, whatever the parameters
        params = request.query_params
        doubtful = {
            name: ["Given more than once; give it once."]
            for name in params
            if len(params.getlist(name)) > 1
        } | {
            name: ["Empty; leave the parameter out instead."]
            for name in params
            if params.get(name) == ""
        }
        if doubtful:
            raise ValidationError(doubtful)
        unknown = set(params) - self.known_parameters()
        if unknown:
            # A misspelt filter must not quietly return everything.
            known = ", ".join(sorted(self.known_parameters())) or "none"
            raise ValidationError(
                {name: [f"Unknown parameter; known here: {known}."] for name in sorted(unknown)}
            )

    def known_parameters(self) -> set[str]:
        if self.action != "list":
            return set()
        known = {self.paginator.page_query_param, self.paginator.page_size_query_param}
        if self.filterset_class is not None:
            known |= set(self.filterset_class.base_filters)
        return known


@documented
class ThemeViewSet(PublicViewSet):
    serializer_class = serializers.ThemeSerializer
    filterset_class = None

    def get_queryset(self):
        return themes_with_counts()


@documented
class OrganisationViewSet(PublicViewSet):
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter

    def get_queryset(self):
        return published(Organisation)


@documented
class PersonViewSet(PublicViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter

    def get_queryset(self):
        roles = (
            Role.objects.published()
            .current_first()
            .prefetch_related(
                Prefetch("organisation", queryset=published(Organisation)),
                Prefetch("theme", queryset=published(Theme)),
            )
        )
        return published(Person).prefetch_related(
            Prefetch("organisation", queryset=published(Organisation)),
            Prefetch("roles", queryset=roles, to_attr="public_roles"),
        )


@documented
class ReportViewSet(PublicViewSet):
    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilter

    def get_queryset(self):
        return (
            published(Report)
            .newest_first()
            .prefetch_related(
                Prefetch("primary_theme", queryset=published(Theme)),
                Prefetch("themes", queryset=published(Theme)),
                "tags",
                Prefetch("authors", queryset=published(Person)),
                Prefetch("organisations", queryset=published(Organisation)),
                "recommendations",
            )
        )


@documented
class GapAnalysisViewSet(PublicViewSet):
    serializer_class = serializers.GapAnalysisSerializer
    filterset_class = filters.GapAnalysisFilter

    def get_queryset(self):
        gaps = KnowledgeGap.objects.prefetch_related(Prefetch("theme", queryset=published(Theme)))
        return published(GapAnalysis).prefetch_related(
            Prefetch("report", queryset=published(Report)),
            Prefetch("themes", queryset=published(Theme)),
            "comparison_rows",
            Prefetch("knowledge_gaps", queryset=gaps),
        )


@documented
class KnowledgeGapViewSet(PublicViewSet):
    serializer_class = serializers.KnowledgeGapSerializer
    filterset_class = filters.KnowledgeGapFilter
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return (
            published(KnowledgeGap)
            .select_related("analysis")
            .prefetch_related(
                Prefetch("theme", queryset=published(Theme)),
                Prefetch("report", queryset=published(Report)),
            )
        )


@documented
class RecommendationViewSet(PublicViewSet):
    """Progress on the recommendations of public reports: status, owners, target date,
    whether overdue, and the public progress updates."""

    serializer_class = serializers.RecommendationProgressSerializer
    filterset_class = filters.RecommendationFilter
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return (
            published(Recommendation)
            .for_display()
            .select_related(None)
            .prefetch_related(
                Prefetch("report", queryset=published(Report)),
                Prefetch("owner_organisation", queryset=published(Organisation)),
                Prefetch("owner_person", queryset=published(Person)),
            )
            .order_by("-report__published_on", "-report_id", "number")
        )

    def get_serializer_context(self):
        # Overdue as of today (UK), as the pages say; answers are keyed by the date too.
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@documented
class ImpactEntryViewSet(PublicViewSet):
    serializer_class = serializers.ImpactEntrySerializer
    filterset_class = filters.ImpactEntryFilter

    def get_queryset(self):
        return (
            published(ImpactEntry)
            .newest_first()
            .prefetch_related(
                Prefetch("themes", queryset=published(Theme)),
                Prefetch("recommendations", queryset=published(Recommendation)),
                Prefetch("knowledge_gaps", queryset=published(KnowledgeGap)),
                Prefetch("reports", queryset=published(Report)),
                Prefetch("organisations", queryset=published(Organisation)),
            )
        )


@functools.cache
def api_schema() -> dict:
    """The OpenAPI schema; it follows from the code alone, so it is computed once."""
    return SchemaGenerator().get_schema(request=None, public=True)


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a 404 in the API's shape, not an HTML page."""
    return JsonResponse({"detail": "There is nothing at this address of the API."}, status=404)


class ApiDocsView(TemplateView):
    """The API described for people, from the same OpenAPI schema clients read."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        schema = api_schema()
        operations = [
            {"path": path, "method": method.upper(), **operation}
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        ]
        return super().get_context_data(
            schema=schema,
            operations=operations,
            rate_limit=settings.EMPAC_API_RATE_LIMIT,
            rate_window=settings.EMPAC_API_RATE_WINDOW_SECONDS,
            **kwargs,
        )
