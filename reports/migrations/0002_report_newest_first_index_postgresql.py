"""PostgreSQL only: an index in the order public report lists use.

Lists sort newest first with undated reports last (published_on DESC NULLS LAST).
On SQLite the model's report_public_order index already serves that order, because
SQLite sorts NULLs last when descending. PostgreSQL sorts them first unless told, so
without this index every page of a list sorts all published reports. A Meta index
cannot say NULLS LAST without breaking SQLite, hence SQL for PostgreSQL alone.
"""

from django.db import migrations

NAME = "report_public_newest_first"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON reports_report "
            "(status, published_on DESC NULLS LAST, id DESC)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
