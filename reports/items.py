"""Reports as the items of a list: the few values a list shows, worked out before drawing.

Every list of reports (a theme's, the index, a person's, related reports) draws the
same <li> (templates/reports/_report_items.html). Drawn from model instances, each value
cost the template a failed dict lookup, an attribute lookup and often a method call
or filter; an item is a plain dict of finished values, which the template reads at
once. Only the columns a list shows are fetched, never a report's body.
"""

import html

from django.db import connection
from django.utils.safestring import SafeString

from collaboration.models import Theme
from publishing.models import Status
from publishing.urlcache import slug_url
from publishing.versioning import content_cached

from .models import Report, describe_date, machine_date

FIELDS = ("id", "slug", "title", "kind", "published_on", "date_precision", "summary")
SUMMARY_WORDS = 40
KIND_LABELS = dict(Report.Kind.choices)


def excerpt(text: str, words: int = SUMMARY_WORDS) -> str:
    """The first words of text, as the truncatewords filter gives them, " …" where cut."""
    found = text.split()
    if len(found) <= words:
        return " ".join(found)
    cut = " ".join(found[:words])
    return cut if cut.endswith(" …") else f"{cut} …"


def escaped(text: str) -> SafeString:
    """Text escaped as the template's autoescaping would (django.utils.html.escape).

    Done here, the template prints each value as it is, without the checks for lazy
    translations that escape() makes on every call: a tenth of a deep page's time.
    """
    return SafeString(html.escape(text))


def _items(rows) -> list[dict]:
    url = slug_url("reports:report-detail")
    return [
        {
            "pk": pk,
            "url": escaped(url(slug)),
            "title": escaped(title),
            "kind": escaped(KIND_LABELS.get(kind, kind)),
            "date": escaped(describe_date(published_on, precision)),
            "date_iso": escaped(machine_date(published_on, precision)),
            "summary": escaped(excerpt(summary)),
            "themes": "",  # filled in, escaped, where a list names them
        }
        for pk, slug, title, kind, published_on, precision, summary in rows
    ]


def report_items(reports) -> list[dict]:
    """The reports of a queryset, in its order (and slice), as list items."""
    return _items(reports.values_list(*FIELDS))


def published_items_by_key(keys, *, with_themes: bool = False) -> dict:
    """The published reports among ``keys`` as list items, by key, from one query.

    For the deep pages of long lists (empac.pagination.LargeListPaginator): the rows
    are looked up by primary key only, unordered. The list's own filters were applied
    when its keys were worked out; whether a report is published is checked again
    here, so one unpublished since is simply left out. ``with_themes`` fills in each
    item's published themes from the same query.
    """
    if not keys:
        return {}
    report, links = Report._meta, Report.themes.through._meta
    quote = connection.ops.quote_name
    table, link_table = quote(report.db_table), quote(links.db_table)
    columns = [f"{table}.{quote(report.get_field(name).column)}" for name in FIELDS]
    key = f"{table}.{quote(report.pk.column)}"
    join = ""
    if with_themes:
        columns.append(f"{link_table}.{quote(links.get_field('theme').column)}")
        join = (
            f" LEFT JOIN {link_table}"
            f" ON {link_table}.{quote(links.get_field('report').column)} = {key}"
        )
    # Plain SQL: through the ORM, building and compiling this query cost several times
    # what running it does.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table}{join}"
            f" WHERE {table}.{quote(report.get_field('status').column)} = %s"
            f" AND {key} IN ({', '.join(['%s'] * len(keys))})",
            [Status.PUBLISHED, *keys],
        )
        rows = cursor.fetchall()
    if not with_themes:
        return {item["pk"]: item for item in _items(rows)}
    # A row per report and theme: the report's columns, then one of its themes (or None).
    found, linked = {}, {}
    for *row, theme in rows:
        found[row[0]] = row
        linked.setdefault(row[0], set()).add(theme)
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
