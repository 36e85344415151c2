"""The full-text engines behind one interface; the database in use chooses one.

SQLite: FTS5 (porter stemming over unicode61 with diacritics removed), ranked with
bm25. PostgreSQL: a weighted tsvector (English stemming, unaccent) with a GIN index,
queries built with websearch_to_tsquery, ranked with ts_rank, snippets by ts_headline,
and pg_trgm for typos. Both bound the match set the same way: the newest matches by
entry key (``documents.sort_key``), at most ``limit`` of them, are the only ones ranked.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from ..query import Query

TEXT_COLUMNS = ("title", "summary", "body", "attachment")
# Relevance comes first from where the whole query matches: within the title, within
# title and summary, within all but the attachment (weakest first, as tiers 1 to 3).
# The engine's own score (bm25, ts_rank) orders each tier; newer breaks ties.
TIERS = (("title", "summary", "body"), ("title", "summary"), ("title",))
TIER = 1000.0


@dataclass(frozen=True)
class Hit:
    key: int
    rank: float
    facets: str


class Backend:
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
        """The newest ``limit`` entries that match the query and carry every facet."""
        raise NotImplementedError

    def highlights(self, query: Query, keys: list[int]) -> dict[int, tuple[str, ...]]:
        """For each key: title, summary, body and attachment text around the matches,
        matched words between documents.MARK_START and MARK_END, unescaped."""
        raise NotImplementedError

    def similar_words(self, word: str, limit: int = 30) -> list[str]:
        """Words of the vocabulary spelt like this one, roughly the likeliest first."""
        raise NotImplementedError

    def size(self) -> int | None:
        """Bytes the index and vocabulary take on disk, where the database can say."""
        return None


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()
