import sqlite3

from django.core.checks import Error, register
from django.db import connections


@register()
def sqlite_has_full_text_search(app_configs, **kwargs):
    """Say plainly, before any migration, when SQLite lacks what search needs."""
    if not any(connections[alias].vendor == "sqlite" for alias in connections):
        return []
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61')")
        probe.execute("CREATE VIRTUAL TABLE w USING fts5(a, tokenize='trigram')")
    except sqlite3.OperationalError as error:
        return [
            Error(
                f"This SQLite ({sqlite3.sqlite_version}) lacks the FTS5 full-text search "
                f"that the search app needs: {error}.",
                hint="Use a Python whose sqlite3 module has FTS5 with the trigram tokenizer "
                "(SQLite 3.34 or later), or set DATABASE_URL to PostgreSQL.",
                id="search.E001",
            )
        ]
    finally:
        probe.close()
    return []
