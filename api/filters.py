"""The API's filters: those of the site's lists, by the same slugs the pages' links use.

Each chooses among published things only, so a draft's slug is as unknown as a typo:
a value that matches nothing is a 400 naming the parameter, never an empty or full list.
"""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from taggit.models import Tag

from collaboration.models import Organisation, Person, Theme
from impact.models import ImpactEntry
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report


def published_report_tags():
    return Tag.objects.filter(
        taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Report),
        taggit_taggeditem_items__object_id__in=Report.objects.published().values("pk"),
    ).distinct()


class StrictBooleanField(forms.Field):
    """Only "true" or "false": anything else is a 400, never quietly ignored."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError('Must be "true" or "false".')


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class YearFilter(django_filters.NumberFilter):
    # A whole year a date can have: a fraction or year 0 is a 400, not a database error.
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=9999, **kwargs)


def by_slug(queryset, help_text, **kwargs):
    return django_filters.ModelChoiceFilter(
        queryset=queryset, to_field_name="slug", help_text=help_text, **kwargs
    )


class ReportFilter(django_filters.FilterSet):
    """As the reports index filters: theme, kind, year, tag and organisation."""

    theme = by_slug(
        lambda request: Theme.objects.published(), "A theme's slug.", field_name="themes"
    )
    kind = django_filters.ChoiceFilter(choices=Report.Kind.choices, help_text="Kind of report.")
    year = YearFilter(
        field_name="published_on", lookup_expr="year", help_text="Year of publication."
    )
    tag = by_slug(lambda request: published_report_tags(), "A tag's slug.", field_name="tags")
    organisation = by_slug(
        lambda request: Organisation.objects.published(),
        "An organisation's slug.",
        field_name="organisations",
    )

    class Meta:
        model = Report
        fields = ["theme", "kind", "year", "tag", "organisation"]


class KnowledgeGapFilter(django_filters.FilterSet):
    """As the theme pages and gap analyses list them: by theme, status and analysis."""

    theme = by_slug(
        lambda request: Theme.objects.published(),
        "A theme's slug: gaps about it, by their own theme or, having none, their analysis's.",
        method="filter_theme",
    )
    status = django_filters.ChoiceFilter(choices=KnowledgeGap.Status.choices)
    is_open = BooleanFilter(
        method="filter_open", help_text="true: not answered nor superseded; false: the rest."
    )
    analysis = django_filters.CharFilter(
        field_name="analysis__slug", help_text="A gap analysis's slug."
    )

    class Meta:
        model = KnowledgeGap
        fields = ["theme", "status", "is_open", "analysis"]

    def filter_theme(self, queryset, name, theme):
        return queryset.in_themes([theme]) if theme else queryset

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        open_gaps = queryset.open()
        return open_gaps if value else queryset.exclude(pk__in=open_gaps.values("pk"))


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    is_member = BooleanFilter(help_text="Members of the collaboration only.")

    class Meta:
        model = Organisation
        fields = ["kind", "is_member"]


class PersonFilter(django_filters.FilterSet):
    organisation = by_slug(
        lambda request: Organisation.objects.published(),
        "People of an organisation, by its slug.",
    )

    class Meta:
        model = Person
        fields = ["organisation"]


class GapAnalysisFilter(django_filters.FilterSet):
    theme = by_slug(
        lambda request: Theme.objects.published(), "A theme's slug.", field_name="themes"
    )

    class Meta:
        model = GapAnalysis
        fields = ["theme"]


class RecommendationFilter(django_filters.FilterSet):
    """As "Progress on recommendations" filters: by theme and status; also by report."""

    report = by_slug(lambda request: Report.objects.published(), "A report's slug.")
    theme = by_slug(
        lambda request: Theme.objects.published(),
        "A theme's slug: recommendations of reports about it.",
        method="filter_theme",
    )
    status = django_filters.ChoiceFilter(choices=Recommendation.Status.choices)
    is_overdue = BooleanFilter(
        method="filter_overdue",
        help_text="true: past the target date and not settled; false: the rest.",
    )

    class Meta:
        model = Recommendation
        fields = ["report", "theme", "status", "is_overdue"]

    @extend_schema_field(OpenApiTypes.STR)
    def filter_theme(self, queryset, name, theme):
        if not theme:
            return queryset
        return queryset.filter(report__in=Report.objects.filter(themes=theme).values("pk"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Recommendation.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class ImpactEntryFilter(django_filters.FilterSet):
    """As the impact log filters: by theme and kind."""

    theme = by_slug(
        lambda request: Theme.objects.published(),
        "A theme's slug: entries filed under it or linked to a report or gap about it.",
        method="filter_theme",
    )
    kind = django_filters.ChoiceFilter(choices=ImpactEntry.Kind.choices)

    class Meta:
        model = ImpactEntry
        fields = ["theme", "kind"]

    @extend_schema_field(OpenApiTypes.STR)
    def filter_theme(self, queryset, name, theme):
        return queryset.in_theme(theme) if theme else queryset
