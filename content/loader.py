"""Load a collaboration's content folder into the database (see ``content.files``).

The loader creates each object at most once per database. Once seeded, an object belongs to
the curators: a ``SeedRecord`` remembers it, so one a curator deletes stays deleted unless
the run asks to restore it, and a field a curator edited is never written again. A field
still as this loader last wrote it takes the data's current value, so corrections to the
data reach databases seeded before them.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from publishing.models import Marked, Marking, Provenance, Publishable, Status
from publishing.versioning import bump_content_version

from .files import EMPAC, KINDS, Content, Entry, SeedError, read, related_model
from .models import SeedRecord

# Who cleared seeded content for public release, as its clearance records it.
SEEDED_CLEARANCE = "seed/migration"

__all__ = ["EMPAC", "SeedError", "SeedResult", "load"]


def _plain(value):
    """A field's value as SeedRecord.values keeps it (JSON)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass
class SeedResult:
    """What a run did, counted by model."""

    collaboration: str = "EMPAC"
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    # Fields still as seeded, given the data's corrected value.
    updated: Counter = field(default_factory=Counter)
    # Seeded once, since deleted by a curator, and so left deleted.
    deleted: Counter = field(default_factory=Counter)
    # Recreated by --restore after a curator deleted them.
    restored: Counter = field(default_factory=Counter)
    # Not restored because a curator's object now holds the natural key.
    blocked: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.restored or self.updated)

    def summary(self) -> str:
        parts = [f"created {_counted(self.created)}" if self.created else "nothing to create"]
        if self.restored:
            parts.append(f"restored {_counted(self.restored)}")
        if self.updated:
            parts.append(f"corrected {_counted(self.updated)} where no curator had edited them")
        parts.append(f"{sum(self.existing.values())} existing objects left alone")
        deleted = sum(self.deleted.values())
        hint = " (seed_empac --restore recreates them)" if deleted else ""
        parts.append(f"{deleted} skipped because a curator deleted them{hint}")
        if self.blocked:
            parts.append(
                f"{sum(self.blocked.values())} not restored because other objects now hold "
                f"their slugs or numbers ({_counted(self.blocked)})"
            )
        return f"{self.collaboration} content: {'; '.join(parts)}."


def _counted(counter: Counter) -> str:
    return ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in counter.items()
    )


class _Seeder:
    def __init__(self, content: Content, *, restore: bool):
        self.content, self.restore = content, restore
        self.result = SeedResult(content.collaboration)
        self.records = {(r.model, r.key): r for r in SeedRecord.objects.all()}
        # Objects some record stands for: a restore must not take one over for another key.
        self.claimed = {(r.model, r.object_id) for r in self.records.values()}
        self.objects: dict[type, dict] = defaultdict(dict)
        self.seeded: list[tuple[models.Model, Entry, bool]] = []

    def run(self) -> SeedResult:
        for kind in KINDS:
            for entry in self.content.entries[kind.name]:
                self.seed(entry)
            # Many-to-many links once the kind is in, as news posts list other reports.
            for obj, entry, made in self.seeded:
                if made and entry.kind is kind:
                    self.link(obj, entry)
        for obj, entry, _ in self.seeded:
            for name, claim in entry.claims.items():
                self.ensure(
                    Provenance,
                    f"{obj._meta.label_lower}/{entry.key}#{name}",
                    (("content_type", "object_id", "field"),),
                    entry,
                    content_type=ContentType.objects.get_for_model(obj),
                    object_id=obj.pk,
                    field=name,
                    **{k: v for k, v in claim.items() if k != "document_key"},
                )
        return self.result

    def seed(self, entry: Entry) -> None:
        kind, values = entry.kind, {}
        for name, value in entry.fields.items():
            target = related_model(kind.model, name)
            if target is None:
                values[name] = value
                continue
            values[name] = self.objects[target].get(value)
            required = name in kind.requires or not kind.model._meta.get_field(name).null
            if value is not None and values[name] is None and required:
                return  # What it belongs to was deleted, and it went too.
        obj, made = self.ensure(kind.model, entry.key, kind.lookups, entry, **values)
        self.objects[kind.model][entry.key] = obj
        if obj is None:
            return
        self.seeded.append((obj, entry, made))
        for child in entry.children:
            self.seed(child)

    def link(self, obj, entry: Entry) -> None:
        for name, keys in entry.many.items():
            targets = self.objects[related_model(entry.kind.model, name)]
            getattr(obj, name).set([t for t in (targets.get(k) for k in keys) if t is not None])
        if entry.tags:
            obj.tags.add(*entry.tags)

    def ensure(self, model, seed_key: str, lookups, entry: Entry, **fields):
        """Return (object, whether this run made it) for what the seed knows as ``seed_key``.

        An object seeded before is returned with only its untouched fields brought up to
        date; one a curator deleted comes back as None (or is recreated, with --restore).
        An object never recorded is looked up by each of ``lookups`` and adopted if found,
        as in databases seeded before records were kept; else created.
        """
        label = model._meta.label_lower
        record = self.records.get((label, seed_key))
        if record is not None:
            found = model.objects.filter(pk=record.object_id).first()
            if found is not None:
                self.update(found, record, entry, fields)
                return found, False
            if not self.restore:
                self.result.deleted[model] += 1
                return None, False

        taken = False
        for lookup in lookups:
            found = model.objects.filter(**{name: fields.get(name) for name in lookup}).first()
            if found is None:
                continue
            if record is not None and (label, found.pk) in self.claimed:
                # Another seeded object sits there now, e.g. a renumbered recommendation.
                taken = True
                continue
            as_seeded = {
                f.attname: _plain(v)
                for f, v in self._fields(model, fields)
                if _plain(getattr(found, f.attname)) == _plain(v)
            }
            self.remember(model, seed_key, found, record, as_seeded)
            self.result.existing[model] += 1
            return found, False
        if taken:
            self.result.blocked[model] += 1
            return None, False

        obj = model(**fields)
        cleared_as_seeded(obj)
        self.validate(obj, entry)
        obj.save()
        as_seeded = {f.attname: _plain(v) for f, v in self._fields(model, fields)}
        self.remember(model, seed_key, obj, record, as_seeded)
        (self.result.restored if record is not None else self.result.created)[model] += 1
        return obj, True

    def update(self, obj, record, entry: Entry, fields) -> None:
        as_seeded, changed = dict(record.values), []
        for model_field, value in self._fields(type(obj), fields):
            name, new, now = (
                model_field.attname,
                _plain(value),
                _plain(getattr(obj, model_field.attname)),
            )
            if name in as_seeded:
                if now == as_seeded[name] != new:  # untouched since seeded, and corrected
                    setattr(obj, model_field.name, value)
                    changed.append(model_field.name)
                    as_seeded[name] = new
            elif now == new:
                as_seeded[name] = new  # from now on, corrections to it can reach it
        if changed:
            self.validate(obj, entry)
            if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
                changed.append("updated_at")
            obj.save(update_fields=changed)
            self.result.updated[type(obj)] += 1
        else:
            self.result.existing[type(obj)] += 1
        if as_seeded != record.values:
            record.values = as_seeded
            record.save(update_fields=["values"])

    @staticmethod
    def _fields(model, fields):
        return [(model._meta.get_field(name), value) for name, value in fields.items()]

    @staticmethod
    def validate(obj, entry: Entry) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            problems = "; ".join(
                f"field “{name}”: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in exc.message_dict.items()
            )
            raise SeedError(f"{entry.where}: {problems}") from exc

    def remember(self, model, seed_key, obj, record, as_seeded) -> None:
        label = model._meta.label_lower
        if record is None:
            record = SeedRecord(model=label, key=seed_key)
            self.records[(label, seed_key)] = record
        record.object_id, record.values = obj.pk, as_seeded
        record.save()
        self.claimed.add((label, obj.pk))


def load(folder: Path = EMPAC, *, restore: bool = False) -> SeedResult:
    """Create the content never seeded before, in one transaction; leave curators' work alone.

    With ``restore``, also recreate seeded objects that a curator has since deleted.
    """
    content = read(folder)
    with transaction.atomic():
        result = _Seeder(content, restore=restore).run()
        if result.changed:
            # Invalidate cached public pages in the same transaction as the new content.
            bump_content_version()
    return result


def cleared_as_seeded(obj) -> None:
    """Content loaded as public is OFFICIAL and recorded as cleared by the seed, now.

    The data files hold only what the collaboration's own public posts and reports say.
    """
    if not isinstance(obj, Marked) or obj.marking != Marking.OFFICIAL:
        return
    if isinstance(obj, Publishable) and obj.status != Status.PUBLISHED:
        return
    obj.clear_for_release(note=SEEDED_CLEARANCE)
    if hasattr(obj, "pdf_cleared_at"):
        obj.pdf_cleared_at = obj.cleared_at
