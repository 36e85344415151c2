"""A database seeded before issue 13's corrections takes them, except where curators edited.

Migration content 0002 records the values the earlier seed wrote, for the fields the
correction changes; the next seed_empac replaces each one still unedited. Here a database
seeded now is put back to what the earlier seed wrote (its values and seed keys, no
provenance yet), then the migration's step and the seed run as they would on upgrade.
"""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from content.models import SeedRecord
from publishing.models import Provenance
from reports.models import KnowledgeGap, Report

pytestmark = pytest.mark.django_db

migration = importlib.import_module("content.migrations.0002_seedrecord_values")
ADAPTABILITY = "organisational-adaptability-progress-report-december-2020"


def seeded_fields() -> dict:
    """Every field of every seeded object (but provenance), by seed record."""
    found = {}
    for record in SeedRecord.objects.exclude(model="publishing.provenance"):
        model = apps.get_model(record.model)
        row = model.objects.filter(pk=record.object_id).values().get()
        # When a row was written, not what: a corrected status is a change of status.
        row.pop("updated_at", None)
        row.pop("status_changed_at", None)
        found[(record.model, record.object_id)] = row
    return found


def put_back_what_the_earlier_seed_wrote() -> None:
    records = {(r.model, r.key): r for r in SeedRecord.objects.all()}
    renamed = {new: old for (_, old), new in migration.RENAMED.items()}

    def resolve(value):
        if isinstance(value, tuple):
            return records[(value[1], value[2])].object_id
        return value

    for (label, key), values in migration.AS_SEEDED.items():
        record = records[(label, migration.RENAMED.get((label, key), key))]
        model = apps.get_model(label)
        model.objects.filter(pk=record.object_id).update(
            **{name: resolve(value) for name, value in values.items()}
        )
    for record in SeedRecord.objects.filter(key__in=renamed):
        record.key = renamed[record.key]
        record.save()
    SeedRecord.objects.filter(model="publishing.provenance").delete()
    SeedRecord.objects.update(values={})
    Provenance.objects.all().delete()


def test_an_earlier_seeded_database_takes_the_corrections_but_keeps_curators_edits():
    call_command("seed_empac", verbosity=0)
    corrected = seeded_fields()
    notes = Provenance.objects.count()
    put_back_what_the_earlier_seed_wrote()
    red_teaming = KnowledgeGap.objects.get(question__icontains="red teaming")
    assert red_teaming.status == KnowledgeGap.Status.SCOPED  # as the earlier seed had it
    adaptability = Report.objects.get(slug=ADAPTABILITY)
    assert "mostly through command and control" in adaptability.body
    adaptability.summary = "A curator's own summary."
    adaptability.save()

    migration.record_earlier_values(apps, None)
    out = StringIO()
    call_command("seed_empac", stdout=out)

    assert "corrected " in out.getvalue()
    assert Provenance.objects.count() == notes
    now = seeded_fields()
    adaptability.refresh_from_db()
    assert adaptability.summary == "A curator's own summary."
    assert "often works through command and control" in adaptability.body
    key = ("reports.report", adaptability.pk)
    now[key]["summary"] = corrected[key]["summary"]
    assert now == corrected
    again = StringIO()
    call_command("seed_empac", stdout=again)
    assert "nothing to create" in again.getvalue() and "corrected" not in again.getvalue()
