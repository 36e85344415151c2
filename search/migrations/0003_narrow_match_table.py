"""PostgreSQL: match in a narrow table of key, facets and tsvector, not in search_entry.

Searches read the table row of every match they check (for its key, its facets and, for
phrases and field weights, its tsvector). In search_entry each row also holds the texts,
about 2.7 kB, so at 100,000 reports a search read up to 20,000 pages of a 286 MB table,
more than shared_buffers holds. search_match holds only what matching needs (about 1 kB
a row, 116 MB), in key order, kept by triggers on search_entry in the same transaction:
written entries are found at once, deleted or truncated ones are gone at once. SQLite's
FTS5 index already holds no texts; nothing changes there.
"""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('empac_search'::regconfig, {row}title), 'A') || "
    "setweight(to_tsvector('empac_search'::regconfig, {row}summary), 'B') || "
    "setweight(to_tsvector('empac_search'::regconfig, {row}body), 'C') || "
    "setweight(to_tsvector('empac_search'::regconfig, {row}attachment), 'D')"
)

FORWARD = [
    "CREATE TABLE search_match (key bigint PRIMARY KEY, "
    "facet_tokens text[] NOT NULL, document tsvector NOT NULL)",
    "CREATE FUNCTION search_entry_matched() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'TRUNCATE' THEN TRUNCATE search_match; RETURN NULL; END IF; "
    "IF TG_OP <> 'INSERT' THEN DELETE FROM search_match WHERE key = OLD.key; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN NULL; END IF; "
    "INSERT INTO search_match (key, facet_tokens, document) VALUES (NEW.key, "
    f"string_to_array(NEW.facets, ' '), {DOCUMENT.format(row='NEW.')}); "
    "RETURN NULL; END $$",
    "CREATE TRIGGER search_entry_matched AFTER INSERT OR UPDATE OR DELETE ON search_entry "
    "FOR EACH ROW EXECUTE FUNCTION search_entry_matched()",
    "CREATE TRIGGER search_entry_truncated AFTER TRUNCATE ON search_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_entry_matched()",
    "INSERT INTO search_match (key, facet_tokens, document) "
    "SELECT key, facet_tokens, document FROM search_entry ORDER BY key",
    "CREATE INDEX search_match_document ON search_match USING gin (document)",
    "CREATE INDEX search_match_facet_tokens ON search_match USING gin (facet_tokens)",
    "DROP INDEX search_entry_document",
    "DROP INDEX search_entry_facet_tokens",
    "ALTER TABLE search_entry DROP COLUMN facet_tokens",
    "ALTER TABLE search_entry DROP COLUMN document",
    "ANALYZE search_match",
]
REVERSE = [
    "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    f"{DOCUMENT.format(row='')}) STORED",
    "ALTER TABLE search_entry ADD COLUMN facet_tokens text[] GENERATED ALWAYS AS ("
    "string_to_array(facets, ' ')) STORED",
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    "CREATE INDEX search_entry_facet_tokens ON search_entry USING gin (facet_tokens)",
    "DROP TRIGGER search_entry_truncated ON search_entry",
    "DROP TRIGGER search_entry_matched ON search_entry",
    "DROP FUNCTION search_entry_matched()",
    "DROP TABLE search_match",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0002_newest_smallest_key")]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE))]
