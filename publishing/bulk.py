"""Inserting many rows at once, for commands that write tens of thousands of them."""

from django.db import connections

# Rows per statement on PostgreSQL.
ROWS_PER_STATEMENT = 5000


def insert_rows(model, fields, rows, *, using="default") -> None:
    """INSERT rows (tuples of the named fields' values) into the model's table.

    Faster than bulk_create for plain rows: that builds and compiles a model instance
    per row, which cost generate_demo_data most of its time at 100,000 reports. No
    signals are sent and no defaults applied; callers give every column they need.
    """
    rows = list(rows)
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    found = [model._meta.get_field(name) for name in fields]
    columns = ", ".join(quote(field.column) for field in found)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite's executemany() runs its loop in C, without a round trip per row.
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
            return
        # One array per column, unnested by the server: psycopg2's executemany is a round
        # trip per row, a long multi-row VALUES is slow to parse, and COPY cannot run
        # under the wait callback publishing.database installs.
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in found)
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            batch = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})",
                [list(column) for column in zip(*batch, strict=True)],
            )
