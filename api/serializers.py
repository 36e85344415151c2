"""What the API says about each kind of thing. Related rows come from the views' published
prefetches only, so nothing a draft holds (its name, its slug) reaches an answer."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from collaboration.models import Organisation, Person, Role, Theme
from impact.models import ImpactEntry
from publishing.markdown import markdown_to_text, render_markdown
from reports.models import (
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    RecommendationUpdate,
    Report,
)


class PageUrlField(serializers.Field):
    """The absolute address of the thing's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


PageUrlField = extend_schema_field(OpenApiTypes.URI)(PageUrlField)


def api_link(view_name, lookup="slug"):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}", lookup_field=lookup, lookup_url_kwarg=lookup
    )


def reference(model, label: str, view_name: str, lookup: str = "slug", key: str = ""):
    """A short serializer naming a related thing: its key, its name and its API address."""
    meta = type("Meta", (), {"model": model, "fields": [key or lookup, label, "api_url"]})
    attributes = {"api_url": api_link(view_name, lookup), "Meta": meta, "__module__": __name__}
    return type(f"{model.__name__}RefSerializer", (serializers.ModelSerializer,), attributes)


ThemeRefSerializer = reference(Theme, "short_name", "theme-detail")
OrganisationRefSerializer = reference(Organisation, "name", "organisation-detail")
PersonRefSerializer = reference(Person, "display_name", "person-detail")
ReportRefSerializer = reference(Report, "title", "report-detail")
GapAnalysisRefSerializer = reference(GapAnalysis, "title", "gapanalysis-detail")


class ThemeSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = api_link("theme-detail")
    report_count = serializers.IntegerField(read_only=True, help_text="Published reports.")

    class Meta:
        model = Theme
        fields = [
            "slug",
            "position",
            "short_name",
            "full_name",
            "alternative_wording",
            "description",
            "report_count",
            "url",
            "api_url",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = api_link("organisation-detail")

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "is_member",
            "website",
            "description",
            "url",
            "api_url",
        ]


class RoleSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(allow_null=True)
    theme = ThemeRefSerializer(allow_null=True)
    is_current = serializers.BooleanField(read_only=True, help_text="Held today.")

    class Meta:
        model = Role
        fields = [
            "kind",
            "title",
            "organisation",
            "theme",
            "start_date",
            "end_date",
            "dates_note",
            "is_current",
        ]


class PersonSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(allow_null=True)
    roles = RoleSerializer(many=True, source="public_roles")
    url = PageUrlField()
    api_url = api_link("person-detail")

    class Meta:
        model = Person
        fields = [
            "slug",
            "honorific",
            "name",
            "display_name",
            "organisation",
            "biography",
            "roles",
            "url",
            "api_url",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["number", "heading", "explanation"]


class ReportFileSerializer(serializers.Serializer):
    url = serializers.URLField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="Bytes, where recorded.")


class CitationLinksSerializer(serializers.Serializer):
    bibtex = serializers.URLField()
    ris = serializers.URLField()
    csl_json = serializers.URLField()


class ReportSerializer(serializers.ModelSerializer):
    published_on = serializers.CharField(
        source="date_iso",
        help_text="As precise as it is known: 2015-12-02, 2020-12 or 2021; empty if not stated.",
    )
    primary_theme = ThemeRefSerializer(allow_null=True)
    themes = ThemeRefSerializer(many=True)
    tags = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField(
        help_text="The report's text as plain text: paragraphs apart by a blank line."
    )
    body_html = serializers.SerializerMethodField(
        help_text="The report's text as the site shows it: sanitised HTML (p, strong, "
        "em, lists, links, headings from h3, tables)."
    )
    authors = PersonRefSerializer(many=True)
    organisations = OrganisationRefSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)
    file = serializers.SerializerMethodField()
    citation = serializers.SerializerMethodField()
    url = PageUrlField()
    api_url = api_link("report-detail")

    class Meta:
        model = Report
        fields = [
            "slug",
            "title",
            "kind",
            "published_on",
            "date_precision",
            "summary",
            "body",
            "body_html",
            "primary_theme",
            "themes",
            "tags",
            "authors",
            "organisations",
            "recommendations",
            "file",
            "source_url",
            "provenance",
            "citation",
            "updated_at",
            "url",
            "api_url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_body(self, report) -> str:
        return markdown_to_text(report.body)

    @extend_schema_field(OpenApiTypes.STR)
    def get_body_html(self, report) -> str:
        return str(render_markdown(report.body))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, report) -> list[str]:
        return [tag.name for tag in report.tags.all()]

    @extend_schema_field(ReportFileSerializer(allow_null=True))
    def get_file(self, report):
        if not report.has_public_pdf:
            return None
        url = self.context["request"].build_absolute_uri(report.get_pdf_url())
        return {"url": url, "content_type": "application/pdf", "size": report.pdf_size}

    @extend_schema_field(CitationLinksSerializer)
    def get_citation(self, report):
        absolute = self.context["request"].build_absolute_uri
        return {
            name: absolute(report.get_citation_url(name)) for name in ("bibtex", "ris", "csl_json")
        }


class ComparisonRowSerializer(serializers.ModelSerializer):
    first_side_items = serializers.ListField(
        child=serializers.CharField(), source="first_side_list"
    )
    second_side_items = serializers.ListField(
        child=serializers.CharField(), source="second_side_list"
    )

    class Meta:
        model = ComparisonRow
        fields = ["dimension", "first_side_items", "second_side_items"]


class KnowledgeGapSerializer(serializers.ModelSerializer):
    theme = ThemeRefSerializer(allow_null=True)
    analysis = GapAnalysisRefSerializer(allow_null=True, help_text="The analysis raising it.")
    report = ReportRefSerializer(allow_null=True, help_text="For a gap in no analysis.")
    url = PageUrlField()
    api_url = api_link("knowledgegap-detail", lookup="pk")

    class Meta:
        model = KnowledgeGap
        fields = [
            "id",
            "question",
            "detail",
            "status",
            "theme",
            "analysis",
            "report",
            "created_at",
            "status_changed_at",
            "updated_at",
            "url",
            "api_url",
        ]


class KnowledgeGapInAnalysisSerializer(KnowledgeGapSerializer):
    class Meta(KnowledgeGapSerializer.Meta):
        fields = [
            name
            for name in KnowledgeGapSerializer.Meta.fields
            if name not in ("analysis", "report")
        ]


class GapAnalysisSerializer(serializers.ModelSerializer):
    report = ReportRefSerializer(allow_null=True)
    themes = ThemeRefSerializer(many=True)
    comparison_rows = ComparisonRowSerializer(many=True)
    knowledge_gaps = KnowledgeGapInAnalysisSerializer(many=True)
    url = PageUrlField()
    api_url = api_link("gapanalysis-detail")

    class Meta:
        model = GapAnalysis
        fields = [
            "slug",
            "title",
            "summary",
            "report",
            "themes",
            "table_caption",
            "first_side",
            "second_side",
            "comparison_rows",
            "knowledge_gaps",
            "updated_at",
            "url",
            "api_url",
        ]


# --- Progress on recommendations, and the impact log -------------------------------------


class RecommendationUpdateSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="happened_on", help_text="When this happened.")
    evidence_file = serializers.SerializerMethodField(
        help_text="The evidence document's address, while the update is public; null if none."
    )

    class Meta:
        model = RecommendationUpdate
        fields = ["date", "summary", "evidence_url", "evidence_file"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_file(self, update):
        if not update.evidence_file:
            return None
        return self.context["request"].build_absolute_uri(update.get_evidence_file_url())


class ProgressUrlField(PageUrlField):
    """The recommendation's page in "Progress on recommendations"."""

    def to_representation(self, value):
        path = reverse(
            "impact:recommendation-detail",
            kwargs={"slug": value.report.slug, "number": value.number},
        )
        return self.context["request"].build_absolute_uri(path)


class RecommendationProgressSerializer(serializers.ModelSerializer):
    report = ReportRefSerializer()
    owner_organisation = OrganisationRefSerializer(
        allow_null=True, help_text="The organisation that has taken it on; null: not recorded."
    )
    owner_person = PersonRefSerializer(
        allow_null=True, help_text="The person who leads it; null: not recorded."
    )
    status_label = serializers.CharField(source="get_status_display")
    last_update = serializers.SerializerMethodField(
        help_text="The date of the newest public progress update; null if there is none."
    )
    is_overdue = serializers.SerializerMethodField(
        help_text="Past its target date and neither implemented nor not taken forward."
    )
    updates = RecommendationUpdateSerializer(
        many=True, source="public_updates", help_text="Public progress updates, newest first."
    )
    url = ProgressUrlField()
    api_url = api_link("recommendation-detail", lookup="pk")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "report",
            "number",
            "heading",
            "explanation",
            "status",
            "status_label",
            "owner_organisation",
            "owner_person",
            "target_date",
            "status_changed_at",
            "last_update",
            "is_overdue",
            "updates",
            "url",
            "api_url",
        ]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_last_update(self, recommendation):
        update = recommendation.last_update
        return update.happened_on.isoformat() if update else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, recommendation) -> bool:
        return recommendation.is_overdue(self.context["today"])


RecommendationRefSerializer = reference(
    Recommendation, "heading", "recommendation-detail", "pk", key="id"
)
KnowledgeGapRefSerializer = reference(KnowledgeGap, "question", "knowledgegap-detail", "pk", "id")


class ImpactEntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    themes = ThemeRefSerializer(many=True)
    recommendations = RecommendationRefSerializer(many=True)
    knowledge_gaps = KnowledgeGapRefSerializer(many=True)
    reports = ReportRefSerializer(many=True)
    organisations = OrganisationRefSerializer(many=True)
    url = PageUrlField()
    api_url = api_link("impactentry-detail")

    class Meta:
        model = ImpactEntry
        fields = [
            "slug",
            "title",
            "kind",
            "kind_label",
            "happened_on",
            "description",
            "evidence_url",
            "themes",
            "recommendations",
            "knowledge_gaps",
            "reports",
            "organisations",
            "url",
            "api_url",
        ]
