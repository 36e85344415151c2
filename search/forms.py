"""The search page's query string: the query, the facets chosen, the order, the page.

Nothing in it is refused: a value that names nothing (a stale or mistyped link) is
left out of the search and said so, as the reports index does.
"""

from django import forms
from taggit.models import Tag

from reports.models import Report

from .documents import BY_NAME, KINDS, published_organisations, published_themes
from .engine import Filters
from .query import Query, parse

SORTS = {"relevance": "Most relevant first", "date": "Newest first"}
# Facets a result has at most one value of: choosing one replaces the other.
SINGLE = ("type", "kind", "year")
MULTIPLE = ("theme", "tag", "organisation")
FACET_PARAMETERS = (*SINGLE, *MULTIPLE)
MAX_VALUES = 10  # of one facet, more would only ever find nothing


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=False)
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        # Any text is a query, NUL included: parse() removes what is not text.
        self.fields["q"].validators = []
        self.ignored: list[str] = []

    def clean_q(self) -> Query:
        return parse(self.cleaned_data.get("q") or "")

    def clean_sort(self) -> str:
        return self.cleaned_data.get("sort") or "relevance"

    def _values(self, name) -> list[str]:
        # NUL never names anything, and PostgreSQL refuses it even in a lookup.
        values = [v.replace("\x00", "") for v in self.data.getlist(name)]
        values = [v for v in dict.fromkeys(values) if v.strip()]
        if len(values) > MAX_VALUES:
            self.ignored.append(f"Only the first {MAX_VALUES} values of “{name}” were used.")
        return values[:MAX_VALUES]

    def _single(self, name, lookup, message):
        values = self._values(name)
        for value in values:
            found = lookup(value)
            if found is not None:
                return found
            self.ignored.append(message.format(value=value[:80]))
        return None

    def _many(self, name, lookup, message) -> tuple[int, ...]:
        found = []
        for value in self._values(name):
            key = lookup(value)
            if key is None:
                self.ignored.append(message.format(value=value[:80]))
            else:
                found.append(key)
        return tuple(dict.fromkeys(found))

    def filters(self) -> Filters:
        themes = {slug: pk for pk, (slug, _) in published_themes().items()}
        organisations = {slug: pk for pk, (slug, _) in published_organisations().items()}
        tag_slugs = self._values("tag")
        tags = dict(Tag.objects.filter(slug__in=tag_slugs).values_list("slug", "pk"))

        def kind_of_result(value):
            kind = BY_NAME.get(value)
            return kind.code if kind else None

        def year(value):
            return int(value) if value.isdigit() and 1000 <= int(value) <= 9999 else None

        return Filters(
            kind=self._single(
                "type", kind_of_result, "“{value}” is not a kind of result; showing every kind."
            ),
            themes=self._many(
                "theme", themes.get, "There is no theme called “{value}”; it was left out."
            ),
            report_kind=self._single(
                "kind",
                lambda v: v if v in Report.Kind.values else None,
                "“{value}” is not a kind of report; showing every kind of report.",
            ),
            year=self._single("year", year, "“{value}” is not a year; showing every year."),
            tags=self._many("tag", tags.get, "There is no tag called “{value}”; it was left out."),
            organisations=self._many(
                "organisation",
                organisations.get,
                "There is no partner called “{value}”; it was left out.",
            ),
        )


KIND_NAMES = {kind.code: kind for kind in KINDS}
