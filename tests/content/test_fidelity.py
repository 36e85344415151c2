"""Every seeded entry is traceable to its source, and nothing stated as a fact is inferred.

Issue 13: a fact quotes the passage it rests on, and that passage must name what the fact
says (the person, the organisation, the theme); a fact resting on words that do not say it
is an inference, and must be marked as one. With ``EMPAC_SOURCES_DIR`` pointing at the
folder of source texts (see docs/sources.md), every quotation is also checked against its
document, word for word.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from collaboration.models import Organisation, Person, Role, Theme
from content.files import EMPAC, read, walk
from content.models import SeedRecord
from publishing.models import Provenance
from reports.models import (
    AlignmentRow,
    ComparisonRow,
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    Report,
)

# The field naming each kind of entry, which a stated entry's passage must contain.
NAMED_BY = {
    Theme: "full_name",
    Organisation: "name",
    Person: "name",
    Report: "title",
    Recommendation: "heading",
    AlignmentRow: "approach",
    ComparisonRow: "dimension",
    GapAnalysis: "table_caption",
}
# Links a passage must name when stated: (model, field).
LINKS = {
    (Person, "organisation"),
    (Role, "person"),
    (Role, "organisation"),
    (Role, "theme"),
    (Report, "primary_theme"),
    (Report, "themes"),
    (Report, "authors"),
    (GapAnalysis, "themes"),
    (KnowledgeGap, "theme"),
}


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def names(content, model, key) -> list[str]:
    """How the sources may name an entry: its name, short name, or names it is known as."""
    entry = next(e for e in content.entries[_kind(model)] if e.key == key)
    found = [
        entry.fields.get(f) for f in ("name", "short_name", "full_name", "alternative_wording")
    ]
    return [n for n in found + entry.notes.get("known_as", []) if n]


def _kind(model):
    return {Theme: "themes", Organisation: "organisations", Person: "people"}[model]


def problems(content) -> list[str]:
    """What breaks the rule: each fact's passage says what the fact says."""
    found = []
    for entry in walk(content.entries):
        model, own = entry.kind.model, entry.claims
        whole = own.get("")
        if whole is None:
            found.append(f"{entry.where}: no source")
            continue
        if not whole["is_inferred"] and model in NAMED_BY:
            named_by = NAMED_BY[model]
            claim = own.get(named_by, whole)
            spelled = [entry.fields[named_by]] + (
                names(content, model, entry.key) if model in (Organisation, Person) else []
            )
            if not claim["is_inferred"] and not _mentions(claim["passage"], spelled):
                found.append(f"{entry.where}: the passage does not give its {named_by}")
        for link in (name for m, name in LINKS if m is model):
            keys = entry.many.get(link) or [entry.fields.get(link)]
            claim = own.get(link, whole)
            if claim["is_inferred"]:
                continue
            target = model._meta.get_field(link).related_model
            for key in filter(None, keys):
                if not _mentions(claim["passage"], names(content, target, key)):
                    found.append(
                        f"{entry.where}: “{link}” {key} is stated, but its passage "
                        f"({claim['passage']!r}) does not say so: mark it as inferred"
                    )
    return found


def _mentions(passage: str, spelled) -> bool:
    return any(normal(name) in normal(passage) for name in spelled)


@pytest.fixture(scope="module")
def content():
    return read(EMPAC)


def test_every_stated_fact_rests_on_a_passage_that_says_it(content):
    assert problems(content) == []


def test_a_fact_resting_on_an_inference_is_caught(content):
    # "Kate Hemstock (Derbys)" does not say Derbyshire Constabulary: stated, it must fail.
    kate = next(e for e in content.entries["people"] if e.key == "kate-hemstock")
    inferred = kate.claims.pop("organisation")
    try:
        found = problems(content)
    finally:
        kate.claims["organisation"] = inferred
    assert len(found) == 1
    assert (
        "people.toml, entry 16 (kate-hemstock): “organisation” derbyshire-constabulary"
        in (found[0])
    )


def test_every_inference_says_what_it_rests_on_and_how_pages_put_it(content):
    for entry in walk(content.entries):
        for field, claim in entry.claims.items():
            if claim["is_inferred"]:
                assert claim["basis"].strip() and not claim["passage"], (entry.where, field)
                assert claim["note"] or not field, f"{entry.where}: {field} has no public note"
            else:
                assert claim["passage"].strip(), (entry.where, field)


@pytest.mark.django_db
def test_every_seeded_object_names_its_source_document(content):
    call_command("seed_empac", verbosity=0)
    titles = {document["title"] for document in content.documents.values()}
    notes = Provenance.objects.select_related("content_type")
    by_entry = {(n.content_type.model_class(), n.object_id, n.field): n for n in notes}
    records = SeedRecord.objects.exclude(model="publishing.provenance")
    assert records.count() > 100
    for record in records:
        model = SeedRecord._meta.apps.get_model(record.model)
        note = by_entry.get((model, record.object_id, ""))
        assert note is not None, f"{record}: no source"
        assert note.document in titles, f"{record}: unknown document {note.document!r}"
        assert note.passage or (note.is_inferred and note.basis), f"{record}: neither"
    for note in notes:
        # A fact quotes its passage; an inference gives its basis, never a bare quotation.
        assert bool(note.passage) != note.is_inferred, note
        assert bool(note.basis) == note.is_inferred, note


SOURCES_DIR = os.environ.get("EMPAC_SOURCES_DIR", "")


@pytest.mark.skipif(
    not SOURCES_DIR, reason="set EMPAC_SOURCES_DIR to the folder of source texts to compare"
)
def test_every_quotation_is_word_for_word_in_its_document(content):
    texts = {
        key: normal(Path(SOURCES_DIR, document["file"]).read_text(encoding="utf-8"))
        for key, document in content.documents.items()
    }
    missing = []
    for entry in walk(content.entries):
        for field, claim in entry.claims.items():
            quoted = [claim["passage"]] if claim["passage"] else []
            if not field:
                quoted += [entry.fields[name] for name in entry.kind.quoted]
            for text in quoted:
                for line in text.splitlines():
                    if normal(line) not in texts[claim["document_key"]]:
                        missing.append(f"{entry.where}, {field or 'entry'}: {line!r}")
    assert missing == []
