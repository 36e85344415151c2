"""The full-text engines behind one interface; the database in use chooses one.

SQLite: FTS5, porter stemming over unicode61 with diacritics removed. PostgreSQL: a
weighted tsvector (English stemming, unaccent) with a GIN index, queries built with
websearch_to_tsquery, snippets by ts_headline, and pg_trgm for typos. Both bound the
match set the same way: the newest matches by entry key (``documents.sort_key``), at
most ``limit`` of them, are the only ones scored, counted and faceted.
"""

from contextlib import contextmanager
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections

from ..query import Query

TEXT_COLUMNS = ("title", "summary", "body", "attachment")
# Relevance: each part of the query (a word, a phrase, or words joined by OR) scores by
# the strongest field it matches in; the scores add up. A match in a title or name
# counts for more than one in a summary or recommendation, which counts for more than
# one in the body, then the attachment (a PDF). Newer breaks ties. The same rule on both
# engines, computed for the bounded candidates only: cheap, where bm25 or ts_rank over
# 1,000 candidates cost 30 ms.
FIELD_WEIGHTS = (("title", 8), ("summary", 4), ("body", 2))
ATTACHMENT_WEIGHT = 1


class Hit(NamedTuple):
    """One candidate. A tuple: made 500 times a search, half the cost of a dataclass."""

    key: int
    score: int
    # Its facet tokens, each once, separated by spaces.
    facets: str


class Backend:
    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.connection = connections[using]

    def add(self, keys: list[int]) -> None:
        """Index the entries just written with these keys."""

    def remove(self, keys: list[int]) -> None:
        """Unindex these entries; called before their rows are deleted."""

    def clear(self) -> None:
        """Empty the index and the vocabulary (the entries are deleted by the caller)."""

    @contextmanager
    def bulk(self):
        """Around writing many entries in one transaction: defer what can be deferred."""
        yield

    def repair(self) -> None:
        """Make the engine's own structures agree with the entries again, if they do not."""

    def optimise(self) -> None:
        """After a rebuild: compact the index, refresh the planner's statistics."""

    def candidates(self, query: Query | None, facets: list[str], limit: int) -> list[Hit]:
        """The newest ``limit`` entries that match the query and carry every facet,
        each with its score (FIELD_WEIGHTS), newest first."""
        raise NotImplementedError

    def highlights(self, query: Query, keys: list[int]) -> dict[int, tuple[str, ...]]:
        """For each key: title, summary, body and attachment text around the matches,
        matched words between documents.MARK_START and MARK_END, unescaped."""
        raise NotImplementedError

    def key_list(self, keys: list[int]) -> tuple[str, list]:
        """SQL for a list of integers, as one parameter: a subquery for ``pk__in``.

        Django prepares each value of an IN list on its own: for 1,000 candidates that
        cost 20 ms, where passing them as one value costs well under one.
        """
        raise NotImplementedError

    def similar_words(self, word: str, limit: int = 30) -> list[str]:
        """Words of the vocabulary spelt like this one, roughly the likeliest first."""
        raise NotImplementedError

    def size(self) -> int | None:
        """Bytes the index and vocabulary take on disk, where the database can say."""
        return None


def backend(using: str = DEFAULT_DB_ALIAS) -> Backend:
    if connections[using].vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend(using)
    from .sqlite import SQLiteBackend

    return SQLiteBackend(using)
