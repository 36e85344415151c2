"""The reports index filters: a plain GET form, so filtered lists are shareable URLs."""

import datetime
from functools import partial

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from taggit.models import Tag, TaggedItem

from collaboration.models import Organisation, Theme
from publishing.versioning import content_cached, content_key

from .models import Report, published_one

KIND_CHOICES = [("", "All kinds"), *Report.Kind.choices]


def report_years(reports) -> list[int]:
    """The years in which ``reports`` have a date, newest first: one look-up a year.

    Each is the newest date before the year last found, by the index on the date.
    QuerySet.dates() had SQLite truncate every report's date in Python: 459 ms of the
    reports index's CPU time after an edit, at 100,000 reports.
    """
    dated = reports.filter(published_on__isnull=False).order_by("-published_on")
    years = []
    while True:
        earlier = dated.filter(published_on__lt=datetime.date(years[-1], 1, 1)) if years else dated
        newest = earlier.values_list("published_on", flat=True).first()
        if newest is None:
            return years
        years.append(newest.year)
        if newest.year == datetime.MINYEAR:
            return years


def year_choices(reports):
    return [("", "All years")] + [(year, year) for year in report_years(reports)]


def published_report_tags(reports):
    """Only tags on published reports, so a draft's tags never show.

    Each tag's reports are looked up by key until one is public: listing every
    published report first (``object_id__in``) took 290 ms after an edit.
    """
    tagged = TaggedItem.objects.filter(
        tag=OuterRef("pk"), content_type=ContentType.objects.get_for_model(Report)
    )
    return Tag.objects.filter(Exists(tagged.filter(published_one(reports, "object_id"))))


def fragment_key(form) -> str:
    """Names a rendered filter form: the same content and filter values give the same HTML."""
    return content_key(repr([(name, form.data.get(name, "")) for name in form.fields]))


def model_choices(field, make_queryset):
    field.queryset = make_queryset()
    return [(str(value), label) for value, label in field.iterator(field)]


class SlugChoiceField(forms.ModelChoiceField):
    """Choose by slug so filter URLs read well and survive renumbering."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)


class ReportFilterForm(forms.Form):
    """Filters read from the query string.

    A value that matches nothing is reported back to the reader and left out of
    the filtering, so a stale or mistyped link still shows results.
    """

    # No queryset until one is needed (see __init__): copying the form's fields for each
    # request would otherwise clone three querysets that most requests never use.
    theme = SlugChoiceField(None, empty_label="All themes")
    kind = forms.ChoiceField(required=False)
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    tag = SlugChoiceField(None, empty_label="All tags")
    organisation = SlugChoiceField(None, empty_label="All organisations")

    invalid_messages = {
        "theme": "There is no theme with that name; showing reports on every theme.",
        "kind": "That is not a kind of report; showing every kind.",
        "year": "There are no reports from that year; showing every year.",
        "tag": "There is no tag with that name; showing reports with any tag.",
        "organisation": "There is no organisation with that name; showing every organisation.",
    }

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["kind"].choices = KIND_CHOICES
        fields["year"].choices = partial(
            content_cached, "report-filters:year", partial(year_choices, reports)
        )
        querysets = {
            "theme": Theme.objects.published,
            "tag": partial(published_report_tags, reports),
            "organisation": lambda: Organisation.objects.published().order_by("name"),
        }
        # A chooser's queryset checks a chosen value and lists the choices. The lists are
        # the same for every request until content changes, so they are computed once,
        # and looked up (callables) only when the form is rendered: its HTML is kept too.
        # So a queryset is built only when a value was chosen or the list is made.
        for name, make_queryset in querysets.items():
            field = fields[name]
            if self.data.get(name):
                field.queryset = make_queryset()
            field.choices = partial(
                content_cached,
                f"report-filters:{name}",
                partial(model_choices, field, make_queryset),
            )
        for name, field in fields.items():
            field.error_messages["invalid_choice"] = self.invalid_messages[name]

    def filter(self, reports):
        """Apply the filters that are valid; ignore the rest (their errors explain why)."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("theme"):
            reports = reports.filter(themes=data["theme"])
        if data.get("kind"):
            reports = reports.filter(kind=data["kind"])
        if data.get("year"):
            reports = reports.filter(published_on__year=data["year"])
        if data.get("tag"):
            reports = reports.filter(tags=data["tag"])
        if data.get("organisation"):
            reports = reports.filter(organisations=data["organisation"])
        return reports

    @property
    def fragment_key(self) -> str:
        return fragment_key(self)

    @cached_property
    def active_filters(self):
        """(label, value) for each valid filter in use, to describe the results."""
        descriptions = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if name == "kind":
                value = Report.Kind(value).label
            descriptions.append((name.capitalize(), value))
        return descriptions
