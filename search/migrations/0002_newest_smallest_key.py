"""Entry keys with every bit flipped, so the newest entry has the smallest key.

SQLite's FTS5 walking an optimised index backwards loses matches of AND queries (see
``documents.sort_key``), so the engines now take the newest matches in ascending key
order. The same operation turns old keys into new ones and back; SQLite's full-text
index, which holds the keys, is rebuilt from the entries (about 45 s at 100,000).
"""

from django.db import migrations

# documents._FLIP: 22 bits of date, 4 of kind and 36 of object, all set.
FLIP = (1 << 62) - 1


def flip_keys(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        # No new key can equal another entry's old one: a flipped key's kind bits name
        # no kind (9 to 14 for kinds 1 to 6), so the primary key never collides midway.
        cursor.execute("UPDATE search_entry SET key = %s - key", [FLIP])
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_entry_fts (search_entry_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(flip_keys, flip_keys)]
