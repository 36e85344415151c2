from collections import defaultdict
from urllib.parse import urlencode

from django.core.cache import caches
from django.urls import reverse
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString
from django.views.generic import TemplateView
from taggit.models import Tag

from publishing.versioning import Memo, serving_once
from reports.models import Report

from .documents import (
    BY_CODE,
    KIND,
    ORGANISATION,
    REPORT_KIND,
    REPORT_KINDS,
    TAG,
    THEME,
    YEAR,
    compiled_rows,
    published_organisations,
    published_themes,
)
from .engine import search
from .forms import FACET_PARAMETERS, SINGLE, SORTS, SearchForm
from .query import MAX_QUERY_CHARS, Query, Term, clean

# Values shown per facet (but years), most results first; the page says how many more
# there are, reached by narrowing the search first.
FACET_OPTIONS = 10


class Links:
    """Links to this search with one parameter changed, keeping the others.

    Each parameter is encoded once: a page has up to sixty facet links, and encoding
    the whole query string for each cost more than the search.
    """

    def __init__(self, request):
        self.path = reverse("search:results")
        self.pairs = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]

    @property
    def pairs(self):
        return self._pairs

    @pairs.setter
    def pairs(self, pairs):
        self._pairs = pairs
        self._encoded = [(k, v, urlencode([(k, v)])) for k, v in pairs]

    def _href(self, kept, extra=None) -> str:
        parts = [encoded for k, v, encoded in self._encoded if kept(k, v)]
        if extra:
            parts.append(urlencode([extra]))
        return f"{self.path}?{'&'.join(parts)}" if parts else self.path

    def adding(self, name: str, value: str) -> str:
        single = name in SINGLE
        return self._href(lambda k, v: k != name or not (single or v == value), (name, value))

    def removing(self, name: str, value: str) -> str:
        return self._href(lambda k, v: not (k == name and v == value))

    def replacing(self, name: str, value: str) -> str:
        return self._href(lambda k, v: k != name, (name, value))


# Each tag's slug and name, as asked for in this content version: a query a search
# (1.0 ms on PostgreSQL at 100,000 reports) for a few dozen tags that seldom change.
TAG_LABELS = Memo("search:tag-labels", 10_000)


def tag_labels(keys: set[int]) -> dict[int, tuple[str, str]]:
    labels = TAG_LABELS.current()
    unseen = keys - labels.keys()
    if unseen:
        found = compiled_rows(
            "tags",
            lambda keys: Tag.objects.filter(pk__in=keys).values_list("pk", "slug", "name"),
            unseen,
        )
        labels.update(dict.fromkeys(unseen))  # a tag deleted meanwhile: none
        labels.update((pk, (slug, name)) for pk, slug, name in found)
    return {pk: labels[pk] for pk in keys if labels[pk] is not None}


def facet_groups(results, filters, links) -> tuple[list[dict], list[dict]]:
    """The facets beside the results, and the chosen ones with links that remove them."""
    counts = results.facet_counts
    themes, organisations = published_themes(), published_organisations()
    report_kinds = dict(Report.Kind.choices)

    # Each facet's counts by key, from one pass over the tokens.
    by_facet = defaultdict(dict)
    for token, n in counts.items():
        if token[1:].isdigit():
            by_facet[token[:1]][int(token[1:])] = n

    def present(prefix):
        return by_facet.get(prefix, {})

    tag_counts = present(TAG)
    top_tags = sorted(tag_counts, key=lambda pk: -tag_counts[pk])[: FACET_OPTIONS * 3]
    tags = tag_labels({*top_tags, *filters.tags})
    # (parameter, heading, {key: (value, label)}, counts, chosen keys)
    sources = [
        (
            "type",
            "Kind of result",
            {code: (kind.name, kind.plural) for code, kind in BY_CODE.items()},
            present(KIND),
            [filters.kind] if filters.kind else [],
        ),
        ("theme", "Theme", themes, present(THEME), filters.themes),
        (
            "kind",
            "Kind of report",
            {i: (value, report_kinds[value]) for i, value in enumerate(REPORT_KINDS, 1)},
            present(REPORT_KIND),
            [REPORT_KINDS.index(filters.report_kind) + 1] if filters.report_kind else [],
        ),
        (
            "year",
            "Year",
            {year: (str(year), str(year)) for year in present(YEAR)},
            present(YEAR),
            [filters.year] if filters.year else [],
        ),
        ("tag", "Tag", tags, tag_counts, filters.tags),
        ("organisation", "Partner", organisations, present(ORGANISATION), filters.organisations),
    ]
    groups, chosen = [], []
    for name, heading, labels, found, selected in sources:
        for key in selected:
            if key in labels:
                value, label = labels[key]
                chosen.append(
                    {"heading": heading, "label": label, "href": links.removing(name, value)}
                )
        options = [key for key in found if key in labels and key not in selected]
        if name == "year":
            options.sort(reverse=True)
        else:
            options.sort(key=lambda key: (-found[key], labels[key][1].casefold()))
        if options:
            # Every year (a few dozen at most, and a year left out looked like none there);
            # of the others the commonest, and how many more there are.
            shown = options if name == "year" else options[:FACET_OPTIONS]
            listed = [
                {
                    "label": labels[key][1],
                    "count": found[key],
                    "href": links.adding(name, labels[key][0]),
                }
                for key in shown
            ]
            groups.append(
                {
                    "name": name,
                    "heading": heading,
                    "more": len(options) - len(shown),
                    "options": listed,
                    "options_html": options_html(listed),
                }
            )
    return groups, chosen


def options_html(options: list[dict]) -> SafeString:
    """A facet's links as list items, each value escaped here.

    Rendered by the template, thirty-five options (the benchmark's searches) cost 1.5 ms
    of a search's 5.6 ms of template; this way 0.3 ms. Counts are formatted here too:
    intcomma and pluralize on sixty options cost more than computing the facets.
    """
    return SafeString(
        "".join(
            f'<li><a class="govuk-link" href="{escape(option["href"])}">'
            f'{escape(option["label"])} <span class="empac-facet__count">'
            f'({option["count"]:,}<span class="govuk-visually-hidden"> '
            f"{'result' if option['count'] == 1 else 'results'}</span>)</span></a></li>"
            for option in options
        )
    )


def results_html(items: list[dict]) -> SafeString:
    """The page's results as list items, each value escaped here (conditional_escape:
    the title and snippet come marked, already escaped).

    Rendered by the template, twenty results cost 1.6 ms of a search's 5.6 ms of
    template (in process, PostgreSQL, 100,000 reports); this way 0.3-0.4 ms, and the
    whole template 1.5-2.5 ms.
    """
    rendered = []
    for item in items:
        # Not every kind has every value (a theme has no date): as the template's {% if %}.
        meta, date, iso = [escape(item["kind"])], item.get("date"), item.get("date_iso")
        if item.get("meta"):
            meta.append(escape(item["meta"]))
        if date:
            meta.append(
                f'<time datetime="{escape(iso)}">{escape(date)}</time>' if iso else escape(date)
            )
        if item.get("themes"):
            meta.append(escape(", ".join(item["themes"])))
        snippet = item.get("snippet")
        rendered.append(
            '<li class="empac-item">'
            '<h3 class="govuk-heading-s empac-item__title">'
            f'<a class="govuk-link" href="{escape(item["url"])}">{escape(item["title_html"])}</a>'
            f'</h3><p class="empac-meta">{" · ".join(meta)}</p>'
            + (f'<p class="govuk-body empac-snippet">{escape(snippet)}</p>' if snippet else "")
            + "</li>"
        )
    return SafeString("".join(rendered))


def broader(query: Query) -> list[Query]:
    """Wider searches to offer when one finds nothing: any of the words, none left out,
    phrases as separate words."""
    terms, offers = list(query.terms()), []
    if len(query.clauses) > 1:
        offers.append(Query(clauses=(tuple(terms),)))
    if query.excluded:
        offers.append(Query(clauses=query.clauses))
    if all(len(clause) == 1 for clause in query.clauses) and any(not t.is_word for t in terms):
        offers.append(Query(clauses=tuple((Term((w,)),) for t in terms for w in t.tokens)))
    return [offer for offer in dict.fromkeys(offers) if offer != query]


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get(self, request, *args, **kwargs):
        # One content version for the whole search and its page, also for a signed-in
        # reader, whom the page cache does not serve: otherwise each memo, compiled query
        # and cached fragment would read the version again, once per word typed.
        with serving_once(caches["pages"]):
            return super().get(request, *args, **kwargs).render()

    def get_context_data(self, **kwargs):
        request = self.request
        form = SearchForm(request.GET)
        form.is_valid()
        query, sort = form.cleaned_data["q"], form.cleaned_data.get("sort") or "relevance"
        if "sort" in form.errors:
            form.ignored.append("That is not a way to order results; showing the most relevant.")
        filters = form.filters()
        results = search(query, filters, sort=sort, page=request.GET.get("page") or 1)
        links = Links(request)
        if results.corrected:
            # Narrowing or reordering goes on from the query the results are for.
            links.pairs = [("q", results.corrected.text())] + [
                (k, v) for k, v in links.pairs if k != "q"
            ]
        groups, chosen = facet_groups(results, filters, links)
        typed = clean(request.GET.get("q", ""))[:MAX_QUERY_CHARS]
        notes = list(query.notes) + form.ignored
        if typed.strip() and not query and not query.notes:
            notes.append(
                "Your search holds only very common words (such as “the” or “and”) or no "
                "letters or digits; try the words that matter most."
            )
        searched = bool(query or filters)
        return super().get_context_data(
            query=query,
            typed=typed,
            results=results,
            results_html=results_html(results.items),
            searched=searched,
            page_obj=results.page,
            facet_groups=groups,
            chosen_facets=chosen,
            hidden_facets=[(k, v) for k, v in links.pairs if k in (*FACET_PARAMETERS, "sort")],
            notes=notes,
            sorts=[
                {"label": label, "href": links.replacing("sort", value), "current": value == sort}
                for value, label in SORTS.items()
            ]
            if query
            else [],
            suggestion_href=links.replacing("q", results.suggestion.text())
            if results.suggestion
            else "",
            broader=[
                {"query": offer.text(), "href": links.replacing("q", offer.text())}
                for offer in broader(query)
            ]
            if searched and not results.hits
            else [],
            **kwargs,
        )
