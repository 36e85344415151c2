"""The search index: one entry per public thing, and the words it holds.

Written the same way on both databases, through these models; each engine keeps its
own full-text index over ``Entry`` (an FTS5 table kept by triggers on SQLite, generated
tsvector columns with GIN indexes on PostgreSQL; see the migration and ``backends``).
"""

from django.db import models


class Entry(models.Model):
    """What one published object says, by weight, and the facets it counts under."""

    # Not a counter: the date, kind and object (documents.sort_key), so the newest
    # matches are the lowest keys.
    key = models.BigIntegerField(primary_key=True)
    kind = models.PositiveSmallIntegerField()
    object_id = models.PositiveBigIntegerField()
    # Before the texts: SQLite then reads a candidate's facets from the row's first page.
    facets = models.TextField(blank=True, help_text="Facet tokens, separated by spaces.")
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    attachment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_per_object")
        ]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return self.title


class Word(models.Model):
    """A word seen in public text, folded: for completing prefixes and correcting typos.

    Only added to between rebuilds, so it may hold words since withdrawn: a suggestion
    is offered only once a search for it finds something public.
    """

    word = models.CharField(max_length=50, unique=True)

    def __str__(self) -> str:
        return self.word
