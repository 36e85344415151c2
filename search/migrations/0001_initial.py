from django.db import migrations, models

SQLITE_MISSING = (
    "Search needs SQLite's FTS5 full-text extension with its trigram tokenizer "
    "(SQLite 3.34 or later, built with FTS5, as Python's own sqlite3 usually is). "
    "This SQLite ({version}) refused: {error}. Use a Python whose sqlite3 has FTS5, "
    "or set DATABASE_URL to PostgreSQL."
)
POSTGRES_EXTENSIONS = (
    "Search needs the PostgreSQL extensions pg_trgm and unaccent (in the "
    "postgresql-contrib package) and could not create them: {error}. Install the "
    "package, or ask a superuser to run CREATE EXTENSION pg_trgm; CREATE EXTENSION "
    "unaccent; in this database, then migrate again."
)

SQLITE = [
    # External content: the text lives in search_entry; FTS5 holds only the index.
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5("
    "title, summary, body, attachment, facets, content='search_entry', content_rowid='key', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_word_trigram USING fts5(word, tokenize='trigram')",
    "CREATE TRIGGER search_word_added AFTER INSERT ON search_word BEGIN "
    "INSERT INTO search_word_trigram (rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER search_word_removed AFTER DELETE ON search_word BEGIN "
    "DELETE FROM search_word_trigram WHERE rowid = old.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_word_removed",
    "DROP TRIGGER IF EXISTS search_word_added",
    "DROP TABLE IF EXISTS search_word_trigram",
    "DROP TABLE IF EXISTS search_entry_fts",
]

POSTGRES = [
    "CREATE TEXT SEARCH CONFIGURATION empac_search (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION empac_search ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, english_stem",
    "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('empac_search'::regconfig, title), 'A') || "
    "setweight(to_tsvector('empac_search'::regconfig, summary), 'B') || "
    "setweight(to_tsvector('empac_search'::regconfig, body), 'C') || "
    "setweight(to_tsvector('empac_search'::regconfig, attachment), 'D')) STORED",
    "ALTER TABLE search_entry ADD COLUMN facet_tokens text[] GENERATED ALWAYS AS ("
    "string_to_array(facets, ' ')) STORED",
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    "CREATE INDEX search_entry_facet_tokens ON search_entry USING gin (facet_tokens)",
    "CREATE INDEX search_word_trigrams ON search_word USING gin (word gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_word_trigrams",
    "DROP INDEX IF EXISTS search_entry_facet_tokens",
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS facet_tokens",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS empac_search",
]


def create_engine_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import sqlite3

            try:
                for statement in SQLITE:
                    cursor.execute(statement)
            except sqlite3.OperationalError as error:
                raise RuntimeError(
                    SQLITE_MISSING.format(version=sqlite3.sqlite_version, error=error)
                ) from error
        elif connection.vendor == "postgresql":
            cursor.execute("SAVEPOINT search_extensions")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            except Exception as error:
                raise RuntimeError(POSTGRES_EXTENSIONS.format(error=error)) from error
            cursor.execute("RELEASE SAVEPOINT search_extensions")
            for statement in POSTGRES:
                cursor.execute(statement)
        else:
            raise RuntimeError(f"Search has no engine for the {connection.vendor} database.")


def drop_engine_index(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        connection.vendor, []
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                ("key", models.BigIntegerField(primary_key=True, serialize=False)),
                ("kind", models.PositiveSmallIntegerField()),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "facets",
                    models.TextField(blank=True, help_text="Facet tokens, separated by spaces."),
                ),
                ("title", models.TextField()),
                ("summary", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("attachment", models.TextField(blank=True)),
            ],
            options={
                "verbose_name_plural": "entries",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="search_entry_per_object"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Word",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=50, unique=True)),
            ],
        ),
        migrations.RunPython(create_engine_index, drop_engine_index),
    ]
