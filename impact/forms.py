"""The filters of the progress page and the impact log: plain GET forms, shareable URLs."""

from functools import partial

from django import forms
from django.utils.functional import cached_property

from collaboration.models import Theme
from publishing.versioning import content_cached
from reports.filters import SlugChoiceField, fragment_key, model_choices
from reports.models import Recommendation

from .models import ImpactEntry


class ListFilterForm(forms.Form):
    """Filters read from the query string; a value that matches nothing is reported back
    to the reader and left out of the filtering, so a stale link still shows a list."""

    invalid_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The theme's queryset only where a theme was chosen, and its choices (for the form's
        # HTML, kept too) once per content version: building the queryset on each request
        # was 0.7 ms of a deep page of /recommendations/ (in-process, SQLite).
        theme = self.fields["theme"]
        if self.data.get("theme"):
            theme.queryset = Theme.objects.published()
        theme.choices = partial(
            content_cached,
            "list-filters:theme",
            partial(model_choices, theme, Theme.objects.published),
        )
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = self.invalid_messages[name]

    @cached_property
    def valid(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def list_key(self) -> str:
        """e.g. "status=in_progress&theme=3": names the filtered list, and is a cache key."""
        return "&".join(f"{name}={getattr(v, 'pk', v)}" for name, v in sorted(self.valid.items()))

    @property
    def fragment_key(self) -> str:
        return fragment_key(self)

    @cached_property
    def active_filters(self) -> list[tuple[str, str]]:
        described = []
        for name, value in self.valid.items():
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                described.append((field.label, str(value)))
            else:
                described.append((field.label, dict(field.choices).get(value, value)))
        return described


class RecommendationFilterForm(ListFilterForm):
    theme = SlugChoiceField(None, empty_label="All themes")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Recommendation.Status.choices]
    )
    invalid_messages = {
        "theme": "There is no theme with that name; showing recommendations on every theme.",
        "status": "That is not a status; showing recommendations of every status.",
    }

    def filter(self, recommendations, *, with_status=True):
        data = self.valid
        if data.get("theme"):
            recommendations = recommendations.filter(report__themes=data["theme"])
        if with_status and data.get("status"):
            recommendations = recommendations.filter(status=data["status"])
        return recommendations


class ImpactEntryFilterForm(ListFilterForm):
    theme = SlugChoiceField(None, empty_label="All themes")
    kind = forms.ChoiceField(
        label="Kind of change",
        required=False,
        choices=[("", "Any kind"), *ImpactEntry.Kind.choices],
    )
    invalid_messages = {
        "theme": "There is no theme with that name; showing changes on every theme.",
        "kind": "That is not a kind of change; showing every kind.",
    }

    def filter(self, entries):
        data = self.valid
        if data.get("theme"):
            entries = entries.in_theme(data["theme"])
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        return entries
