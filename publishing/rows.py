"""A page of a long list as plain values: its rows by key, from SQL compiled once.

The deep pages of long public lists (the reports index, the gap register, progress on
recommendations, the impact log) render their items from plain dicts of values escaped
in advance, built from rows that one query fetches by key (``rows_by_key``), not from
model instances. Measured with `make bench`, model instances and template filters made
random deep pages of the reports index 0.06 of /healthz against 0.16 this way; first
renders of the gap register, progress on recommendations and the impact log fell from
18.0, 17.9 and 12.4 ms CPU to 4.1, 6.9 and 4.1 (bench.first_render, 100,000 reports; the
reports index 5.0 in the same run).
"""

import datetime
import html
from collections.abc import Callable

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString

from .versioning import content_cached


def escaped(text: str) -> SafeString:
    """Text escaped as autoescaping would (django.utils.html.escape), marked safe.

    Escaped here, once, the template prints each value as it is, without the checks
    that autoescaping makes on every value: 0.25 ms of a deep page's 2.1 ms, measured
    in-process.
    """
    return SafeString(html.escape(text))


def address_former(view_name: str, **stand_ins) -> Callable[..., str]:
    """``reverse(view_name, kwargs=...)`` for each row of a page, the pattern reversed once.

    ``stand_ins`` gives each argument a value its converter accepts that appears nowhere
    else in the address; the function returned takes the real values by the same names
    (slugs and numbers, which need no quoting). One reverse() per row cost 0.25 ms a page
    of twenty.
    """
    address = reverse(view_name, kwargs=stand_ins).replace("{", "{{").replace("}", "}}")
    for name, value in stand_ins.items():
        address = address.replace(str(value), f"{{{name}}}")
    return address.format


def rows_by_key(name: str, rows, keys, fields, *, key: str = "pk") -> list[tuple]:
    """``fields`` of the rows among ``keys`` (of ``key``), unordered, as tuples.

    ``rows`` builds the queryset they come from (a ``.published()`` one): it is called
    only when the SQL is compiled, once per content version for each number of keys
    and kept under ``name``, since built and compiled per request it cost 0.4 ms of a
    deep page's 2.1 ms (in-process). The rule itself stays in ``.published()``: the
    content version (``content_now()``) changes whenever what that returns could
    change, so the parameters it was compiled with still hold.
    """
    if not keys:
        return []
    count = len(keys)

    def compile_sql():
        # Distinct stand-ins: the ORM folds repeated values of an IN list into one.
        stand_ins = list(range(-1, -count - 1, -1))
        query = rows().filter(**{f"{key}__in": stand_ins}).order_by().values_list(*fields)
        sql, params = query.query.sql_with_params()
        params = list(params)
        if params[len(params) - count :] != stand_ins:
            raise AssertionError("the keys are not the last parameters of the query")
        return sql, params[: len(params) - count]

    sql, leading = content_cached(f"rows-by-key:{name}:{count}:{','.join(fields)}", compile_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*leading, *keys])
        return cursor.fetchall()


def with_many(rows) -> tuple[dict, dict]:
    """Rows whose last column is one of many values (a join to a many-to-many field),
    as each row once by its first column, and the set of its last column's values."""
    found, linked = {}, {}
    for *row, value in rows:
        found[row[0]] = row
        linked.setdefault(row[0], set()).add(value)
    return found, linked


def aware(moment) -> datetime.datetime | None:
    """A date and time column from raw SQL as the ORM gives it: aware, in UTC.

    SQLite gives it naive (or as text), PostgreSQL aware.
    """
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    return timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment
