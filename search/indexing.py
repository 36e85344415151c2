"""Keep the index equal to what the public may see: write, remove, rebuild, reconcile.

``index(kind, ids)`` is the one write: it rebuilds the entries of those objects from
``Model.objects.published()``, so an object that is no longer public loses its entry.
Saves, deletes and re-links call it in the same transaction (``signals``); commands
that write in bulk call it themselves.
"""

from contextlib import nullcontext
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connection, transaction

from publishing.bulk import insert_rows
from publishing.versioning import bump_content_version

from .backends import backend
from .documents import BY_MODEL, KINDS, Document, Kind
from .models import Entry, Word
from .query import MAX_WORD_CHARS, fold, words

BATCH = 2000


def batches(ids, size=BATCH):
    ids = iter(ids)
    while batch := list(islice(ids, size)):
        yield batch


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _delete_entries(engine, kind: Kind, ids) -> None:
    entries = Entry.objects.using(engine.connection.alias)
    keys = list(entries.filter(kind=kind.code, object_id__in=ids).values_list("key", flat=True))
    if not keys:
        return
    engine.remove(keys)
    # Plain DELETE: Entry has no relations, and a QuerySet.delete() would fetch the rows
    # first because content signals listen to every model.
    with engine.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Entry._meta.db_table} WHERE key IN ({_in(keys)})", keys)


ENTRY_FIELDS = ("key", "kind", "object_id", "facets", "title", "summary", "body", "attachment")


def _write(engine, documents: list[Document]) -> None:
    insert_rows(
        Entry,
        ENTRY_FIELDS,
        using=engine.connection.alias,
        rows=[
            (
                document.key,
                document.kind.code,
                document.object_id,
                " ".join(document.facets),
                document.title,
                document.summary,
                document.body,
                document.attachment,
            )
            for document in documents
        ],
    )
    engine.add([document.key for document in documents])
    add_words((document.text() for document in documents), using=engine.connection.alias)


def add_words(texts, *, using=DEFAULT_DB_ALIAS) -> None:
    """Add the words of these texts to the vocabulary, folded as the index folds them."""
    found = {fold(word) for word in set(words("\n".join(texts).casefold()))}
    found = sorted(word for word in found if 1 < len(word) <= MAX_WORD_CHARS)
    if found:
        Word.objects.using(using).bulk_create(
            (Word(word=word) for word in found), ignore_conflicts=True
        )


def index(kind: Kind, ids, *, using=DEFAULT_DB_ALIAS) -> int:
    """Rebuild the entries of these objects of one kind; returns how many are public."""
    engine, public, ids = backend(using), 0, list(ids)
    bulk = engine.bulk() if len(ids) > BATCH else nullcontext()
    with transaction.atomic(using=using), bulk:
        for batch in batches(ids):
            documents = kind.documents(batch, using)
            _delete_entries(engine, kind, batch)
            _write(engine, documents)
            public += len(documents)
    return public


def index_instances(model, ids, *, using=DEFAULT_DB_ALIAS) -> None:
    kind = BY_MODEL.get(model)
    if kind is not None and ids:
        index(kind, ids, using=using)


def rebuild(progress=None) -> dict[Kind, int]:
    """Empty the index, then fill it with everything public, in one transaction.

    Searches go on seeing the old index until the new one commits. ``progress`` is
    called with (kind, done, total) after each batch. Returns the counts per kind.
    """
    engine, counts = backend(), {}
    with transaction.atomic(), engine.bulk():
        engine.clear()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Entry._meta.db_table}")
        Word.objects.all().delete()
        for kind in KINDS:
            ids = list(kind.published().order_by("pk").values_list("pk", flat=True))
            done = 0
            for batch in batches(ids):
                _write(engine, kind.documents(batch))
                done += len(batch)
                if progress:
                    progress(kind, done, len(ids))
            if progress and not ids:
                progress(kind, 0, 0)
            counts[kind] = len(ids)
        engine.optimise()
        # Search pages and what searches remember are kept per content
        # version: a new index starts a new one, as a content write does (versioning.Memo).
        bump_content_version(schedule_changed=False)
    return counts


def update() -> dict[str, tuple[int, int]]:
    """Reconcile the index with what is public now; returns (added, removed) per kind.

    For visibility that changes with the clock rather than with a write (an item whose
    time to go live has come): run it on a schedule (``update_search_index``). What
    stops being public is hidden from results at once regardless, as searches check
    every candidate against ``.published()``.
    """
    changes = {}
    for kind in KINDS:
        public = set(kind.published().values_list("pk", flat=True))
        indexed = set(Entry.objects.filter(kind=kind.code).values_list("object_id", flat=True))
        added, removed = public - indexed, indexed - public
        if added or removed:
            index(kind, sorted(added | removed))
        changes[kind.plural] = (len(added), len(removed))
    if any(added or removed for added, removed in changes.values()):
        # Searches remember words and completions per content version: the new
        # entries' words must not stay unknown to them (nor cached pages stay without
        # them) until the next write.
        bump_content_version(schedule_changed=False)
    return changes
