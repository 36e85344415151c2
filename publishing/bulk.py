"""Inserting many rows at once, for commands that write tens of thousands of them."""

import io

from django.db import connections

# COPY's text format: these characters of a value are written as escapes.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(COPY_ESCAPES)


def insert_rows(model, fields, rows, *, using="default") -> None:
    """INSERT rows (tuples of the named fields' values) into the model's table.

    Faster than bulk_create for plain rows: that builds and compiles a model instance
    per row, which cost generate_demo_data most of its time at 100,000 reports. On
    PostgreSQL the rows go through COPY (psycopg2's executemany is a round trip per
    row, and a long multi-row INSERT is slow to parse). No signals are sent and no
    defaults applied; callers give every column they need.
    """
    rows = list(rows)
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert"):
            data = io.StringIO("".join("\t".join(map(_copy_value, row)) + "\n" for row in rows))
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", data)
            return
        # SQLite's executemany() runs its loop in C, without a round trip per row.
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", rows
        )
