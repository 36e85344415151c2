"""Reports as the items of a list: the few values a list shows, computed before rendering.

Every list of reports (a theme's, the index, a person's, related reports) renders the
same <li> (templates/reports/_report_items.html) from these plain dicts. Only the
columns a list shows are fetched, never a report's body.

Why not model instances with a prefetch of their themes, the plain way: measured with
`make bench`, random deep pages of the reports index fell from 0.16 of /healthz to
0.06 that way (each value cost the template a failed dict lookup, an attribute lookup
and a method call, on top of building twenty model objects and a second query).
"""

from django.utils.functional import SimpleLazyObject

from collaboration.models import Theme
from publishing.pagination import LargeListPaginator
from publishing.provenance import annotation, with_inferences
from publishing.rows import address_former, escaped, rows_by_key, with_many
from publishing.versioning import content_cached

from .models import LIST_FIELDS, Report, describe_date, excerpt, machine_date

KIND_LABELS = dict(Report.Kind.choices)
DATE = "published_on"
# The columns of a list item, and the note of an unconfirmed inference about its date.
ITEM_FIELDS = (*LIST_FIELDS, annotation(DATE))


def _items(rows) -> list[dict]:
    address = address_former("reports:report-detail", slug="--slug--")
    return [
        {
            "pk": pk,
            "url": escaped(address(slug=slug)),
            "title": escaped(title),
            "kind": escaped(KIND_LABELS.get(kind, kind)),
            "date": escaped(describe_date(published_on, precision)),
            "date_iso": escaped(machine_date(published_on, precision)),
            "summary": escaped(excerpt(summary)),
            # Set where the date is an unconfirmed inference, e.g. derived from a report list.
            "date_derived": bool(date_note),
            "themes": "",  # filled in, escaped, where a list names them
        }
        for pk, slug, title, kind, published_on, precision, summary, date_note in rows
    ]


def published_with_inferences():
    return with_inferences(Report.objects.published(), DATE)


def report_items(reports) -> list[dict]:
    """The reports of a queryset, in its order (and slice), as list items."""
    return _items(with_inferences(reports, DATE).values_list(*ITEM_FIELDS))


def published_items_by_key(keys, *, with_themes: bool = False) -> dict:
    """The published reports among ``keys`` as list items, by key, from one query.

    For the deep pages of long lists (publishing.pagination.LargeListPaginator): the
    list's own filters were applied when its keys were computed; here the rows are
    looked up by key alone, unordered, still through ``.published()``, so a report
    unpublished since is simply left out. ``with_themes`` fills in each item's
    published themes from the same query.
    """
    fields = (*ITEM_FIELDS, "themes") if with_themes else ITEM_FIELDS
    rows = rows_by_key("reports", published_with_inferences, keys, fields)
    if not with_themes:
        return {item["pk"]: item for item in _items(rows)}
    # A row per report and theme: the report's columns, then one of its themes (or None).
    found, linked = with_many(rows)
    items = {item["pk"]: item for item in _items(found.values())}
    themes = published_theme_names()
    for pk, item in items.items():
        item["themes"] = escaped(", ".join(name for theme, name in themes if theme in linked[pk]))
    return items


def published_theme_names() -> list[tuple[int, str]]:
    """(pk, short name) of each published theme, in order; the same few on every page."""
    return content_cached(
        "published-theme-names",
        lambda: list(Theme.objects.published().values_list("pk", "short_name")),
    )


def report_list_key(filters: dict) -> str:
    """The name of the reports index's list narrowed by ``filters`` (name: value or row).

    e.g. "reports:kind=interim&theme=3": a valid cache key. Every page that shows the
    same list under the same name shares its keys, computed once per content version.
    """
    chosen = sorted((name, getattr(value, "pk", value)) for name, value in filters.items() if value)
    return "reports:" + "&".join(f"{name}={value}" for name, value in chosen)


def theme_reports(theme, per_page: int = 20) -> LargeListPaginator:
    """A theme's published reports, newest first, a page at a time.

    The reports index filtered by the theme is the same list under the same name, so
    the theme page, that filter and a gap's page (its themes' newest reports) share one
    list of keys: after an edit it is computed once, not for each of them.
    """
    return LargeListPaginator(
        # Built only when the keys are computed: building it took 1.1 ms of each deep page.
        SimpleLazyObject(lambda: Report.objects.published().for_theme(theme).newest_first()),
        per_page,
        list_key=report_list_key({"theme": theme}),
        rows_by_key=published_items_by_key,
    )


def newest_in_themes(themes, *, limit: int, exclude=()) -> list[dict]:
    """The ``limit`` newest published reports on any of ``themes``, as list items.

    Read from the themes' kept lists of keys (``theme_reports``): filtering every
    published report by its themes and sorting them made SQLite list a whole theme's
    reports for each gap page (76 ms at 100,000 reports).
    """
    exclude = set(exclude)
    candidates = set()
    for theme in themes:
        keys = theme_reports(theme).keys
        candidates.update(key for key in keys[: limit + len(exclude)] if key not in exclude)
    if not candidates:
        return []
    newest = Report.objects.published().filter(pk__in=candidates).newest_first()
    return report_items(newest[:limit])
