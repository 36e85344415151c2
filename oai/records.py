"""Which items OAI-PMH serves, and the record table that remembers them (``oai.models``).

``sync()`` brings the table in line with ``.published()``: new public items get a record,
records of items no longer public are marked deleted, items public again are restored,
and edited items (or items whose sets changed) get a new datestamp. It runs once per
content version in each worker (``content_cached``), before any answer for that version
is made, so an answer never names an item the table does not remember. Every step is
idempotent, so two workers syncing at once agree.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from collaboration.models import Organisation, Person, Theme
from publishing.versioning import content_cached
from reports.models import GapAnalysis, Report

from .models import Record


@dataclass(frozen=True)
class Source:
    """One kind of item served as records: its model and how its full rows are fetched."""

    kind: str
    model: type
    theme_field: str

    def published(self):
        return self.model.objects.published()

    def rows(self, ids):
        """The published items with these keys, with every related row a record shows."""
        themes = Prefetch("themes", queryset=Theme.objects.published())
        found = self.published().filter(pk__in=ids)
        if self.model is Report:
            found = found.prefetch_related(
                themes,
                "tags",
                Prefetch("authors", queryset=Person.objects.published()),
                Prefetch("organisations", queryset=Organisation.objects.published()),
            )
        else:
            found = found.prefetch_related(
                themes, Prefetch("report", queryset=Report.objects.published())
            )
        return found.in_bulk()


SOURCES = {
    source.kind: source
    for source in (
        Source("report", Report, "themes"),
        Source("gapanalysis", GapAnalysis, "themes"),
    )
}


def set_specs_of(source: Source, ids=None) -> dict[int, str]:
    """Each published item's sets (its published themes' slugs) as stored in set_specs."""
    through = source.model._meta.get_field(source.theme_field).remote_field.through
    item_column = f"{source.model._meta.model_name}_id"
    links = through.objects.filter(
        **{f"{item_column}__in": source.published().values("pk")},
        theme__in=Theme.objects.published(),
    )
    if ids is not None:
        links = links.filter(**{f"{item_column}__in": ids})
    specs: dict[int, list[str]] = {}
    for item_id, slug in links.values_list(item_column, "theme__slug"):
        specs.setdefault(item_id, []).append(slug)
    return {item_id: f" {' '.join(sorted(slugs))} " for item_id, slugs in specs.items()}


def sync_source(source: Source, now) -> None:
    records = Record.objects.filter(kind=source.kind)
    public = source.published()
    public_ids = public.values("pk")
    with transaction.atomic():
        records.filter(is_deleted=False).exclude(object_id__in=public_ids).update(
            is_deleted=True, datestamp=now
        )
        records.filter(is_deleted=True, object_id__in=public_ids).update(
            is_deleted=False, datestamp=now, seen_updated_at=None
        )
        new = public.exclude(pk__in=records.values("object_id")).values_list("pk", flat=True)
        Record.objects.bulk_create(
            [
                Record(kind=source.kind, object_id=pk, datestamp=now, seen_updated_at=None)
                for pk in new
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
    # Edits and changed sets: compared in Python, written only where something changed.
    updated = dict(public.values_list("pk", "updated_at"))
    specs = set_specs_of(source)
    changed = []
    for record in records.filter(is_deleted=False).only(
        "id", "object_id", "seen_updated_at", "set_specs"
    ):
        seen = updated.get(record.object_id)
        sets = specs.get(record.object_id, " ")
        if seen is None or (record.seen_updated_at == seen and record.set_specs == sets):
            continue
        record.seen_updated_at, record.set_specs, record.datestamp = seen, sets, now
        changed.append(record)
    Record.objects.bulk_update(
        changed, ["seen_updated_at", "set_specs", "datestamp"], batch_size=500
    )


def sync(now=None) -> None:
    """Remember every item public now, and mark deleted those that no longer are."""
    now = (now or timezone.now()).replace(microsecond=0)
    for source in SOURCES.values():
        sync_source(source, now)


def synced() -> None:
    """Sync once per content version in this worker; answers for the version follow it."""
    content_cached("oai-synced", lambda: sync() or True)
