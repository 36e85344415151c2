"""SQLite: an index of each entry's key and facets, so candidates' facets are read from it.

``key`` is declared bigint, so it is not SQLite's rowid: a candidate's facets were read
by finding its key in the primary key's index, then its row in search_entry, whose rows
hold the texts (a page or more each). This index holds only the two columns, many
entries a page, and SQLite keeps it with the table. PostgreSQL reads facets from
search_match (0003) and needs nothing here.
"""

from django.db import migrations

INDEX = "search_entry_key_facets"


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0003_narrow_match_table")]

    operations = [
        migrations.RunPython(
            run(f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_entry (key, facets)"),
            run(f"DROP INDEX IF EXISTS {INDEX}"),
        )
    ]
