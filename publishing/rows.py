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
import hashlib
import html
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
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
        execute(cursor, sql, [*leading, *keys], range(len(leading), len(leading) + count))
        return cursor.fetchall()


def execute(cursor, sql: str, params, varying) -> None:
    """``cursor.execute(sql, params)``; on PostgreSQL a prepared statement (below)."""
    if cursor.db.vendor == "postgresql" and settings.EMPAC_PG_PREPARED_STATEMENTS:
        execute_prepared(cursor, sql, params, varying)
    else:
        cursor.execute(sql, params)


# More would mean that something varies in a statement's text that should not: start again.
MAX_PREPARED = 200
# PostgreSQL's codes for "prepared statement does not exist" and "cached plan must not
# change result type" (a table changed under the statement).
STATEMENT_GONE = {"26000", "0A000"}
# Each query shape's statement name, text and leading parameters, made once per process.
STATEMENTS: dict[tuple, tuple[str, str, list]] = {}


def execute_prepared(cursor, sql: str, params, varying) -> None:
    """Run ``sql`` with ``params`` as a statement PostgreSQL prepared once on this
    connection; ``varying`` are the positions of the parameters that change from run to
    run (the keys), every other is the same in every run of this SQL text.

    A deep page's queries are small and run in well under 1 ms, but PostgreSQL planned
    each anew: 0.6 of the 0.85 ms of database CPU of a page of recommendations, most of
    it for the public rule's nested subqueries. Prepared, the plan is kept for the
    connection: after five runs PostgreSQL keeps a generic plan where it is as good.
    Only the varying values and the clock's moments stay parameters; the rule's
    constants (``'published'``, ``'OFFICIAL'``) are written into the statement, since a
    generic plan cannot use an index whose condition names them (a gap's rows took 2.0
    ms so, against 0.9 planned each time). The statement's text is the same across
    content versions, so a connection keeps one per query shape, a few dozen at most.
    Off behind a pooler that shares server connections between clients per transaction
    (``EMPAC_PG_PREPARED_STATEMENTS=false``, docs/deployment.md).
    """
    from psycopg2.extensions import AsIs

    wrapper = cursor.db
    raw = wrapper.connection
    kept = wrapper.__dict__.get("_empac_prepared")
    if kept is None or kept[0] is not raw:
        kept = wrapper._empac_prepared = (raw, set())
    varying = frozenset(varying)
    # The moments differ from one content version to the next; the text does not.
    constants = tuple(
        None
        if index in varying or isinstance(value, datetime.datetime)
        else tuple(value)
        if isinstance(value, list)
        else value
        for index, value in enumerate(params)
    )
    shape = (sql, constants, varying)
    found = STATEMENTS.get(shape)
    if found is None:
        if len(STATEMENTS) >= MAX_PREPARED:
            STATEMENTS.clear()
        written, positions = [], []
        for index, value in enumerate(params):
            if index in varying or isinstance(value, datetime.datetime):
                positions.append(index)
                value = AsIs(f"${len(positions)}")
            written.append(value)
        text = cursor.cursor.mogrify(sql, written).decode()
        name = "empac_" + hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
        found = STATEMENTS[shape] = (name, text, positions)
    name, text, positions = found
    passed = [params[index] for index in positions]
    run = f"EXECUTE {name}({', '.join(['%s'] * len(passed))})"
    try:
        if name in kept[1]:
            cursor.execute(run, passed)
        else:
            if len(kept[1]) >= MAX_PREPARED:
                cursor.execute("DEALLOCATE ALL")
                kept[1].clear()
            # One round trip, as the plain query was (the driver gives the last result).
            cursor.execute(f"PREPARE {name} AS {text.replace('%', '%%')}; {run}", passed)
            kept[1].add(name)
    except DatabaseError as error:
        # A statement gone (DEALLOCATE by a pooler) or made stale by a migration that
        # changed a table under a running server: start again from nothing, and run
        # this one as it is. In a transaction the error has ended it: the caller sees
        # it, as it does any other error (a timeout is not run a second time).
        code = getattr(error.__cause__, "pgcode", None)
        if wrapper.in_atomic_block or code not in STATEMENT_GONE:
            raise
        kept[1].clear()
        cursor.execute("DEALLOCATE ALL")
        cursor.execute(sql, params)


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
