"""A content folder of another collaboration, and the errors a malformed one gets."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from collaboration.models import Organisation, Theme
from content.loader import EMPAC
from publishing.models import Provenance
from reports.models import Report

pytestmark = pytest.mark.django_db

SOURCES = """
collaboration = "Northshire"

[documents.annual-report]
title = "Northshire annual report 2024"
"""
THEMES = """
[[themes]]
slug = "fraud"
position = 1
short_name = "Fraud"
full_name = "Fraud against older people"
provenance.document = "annual-report"
provenance.passage = "Fraud against older people"
"""


def seed_from(folder) -> str:
    out = StringIO()
    call_command("seed_empac", "--from", str(folder), stdout=out)
    return out.getvalue()


def write(folder, **files):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text)
    return folder


def saved_nothing():
    return not Theme.objects.exists() and not Provenance.objects.exists()


def test_another_collaboration_loads_its_own_folder(tmp_path):
    folder = write(tmp_path / "northshire", sources=SOURCES, themes=THEMES)

    output = seed_from(folder)

    assert output.startswith("Northshire content: created 1 theme, 1 provenance note")
    theme = Theme.objects.get()
    assert (theme.full_name, theme.is_published()) == ("Fraud against older people", True)
    note = theme.provenance_notes.get()
    assert (note.document, note.passage, note.is_inferred) == (
        "Northshire annual report 2024",
        "Fraud against older people",
        False,
    )
    assert not Report.objects.exists()
    assert "nothing to create" in seed_from(folder)


def test_the_default_folder_is_empac(db):
    call_command("seed_empac", verbosity=0)
    assert Organisation.objects.filter(short_name="EMSOU").exists()


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        (
            THEMES.replace("position = 1", "position = -1"),
            "themes.toml, entry 1 (fraud), field “position”:",
        ),
        (
            THEMES.replace('short_name = "Fraud"\n', ""),
            "themes.toml, entry 1 (fraud), field “short_name”: missing",
        ),
        (
            THEMES + 'colour = "red"\n',
            "themes.toml, entry 1 (fraud), field “colour”: not a field of theme",
        ),
        (
            THEMES.replace('"annual-report"', '"annual-reprot"'),
            "themes.toml, entry 1 (fraud), field “provenance.document”: 'annual-reprot' is "
            "not a document of sources.toml (annual-report)",
        ),
        (
            THEMES.replace('provenance.document = "annual-report"\n', ""),
            "field “provenance.document”: every entry names its source",
        ),
        (
            THEMES + 'provenance.inferred = "A guess."\n',
            "field “provenance”: quote a passage (a fact) or say what it is inferred from",
        ),
        (
            THEMES + 'provenance.colour.inferred = "A guess."\n',
            "field “provenance.colour”: names no field of this entry",
        ),
        (THEMES + THEMES, "another entry has the same key 'fraud'"),
        ('[[themes]\nslug = "fraud"', "themes.toml: not valid TOML: "),
    ],
)
def test_a_malformed_file_is_named_with_its_entry_and_field_and_nothing_loads(
    tmp_path, themes, expected
):
    folder = write(tmp_path / "northshire", sources=SOURCES, themes=themes)

    with pytest.raises(CommandError, match="nothing was saved") as excinfo:
        seed_from(folder)

    assert expected in str(excinfo.value)
    assert saved_nothing()


def test_a_reference_to_a_missing_entry_names_the_file_it_should_be_in(tmp_path):
    people = """
[[people]]
slug = "a-person"
name = "A Person"
organisation = "no-such-body"
provenance.document = "annual-report"
provenance.passage = "A Person"
"""
    folder = write(tmp_path / "northshire", sources=SOURCES, themes=THEMES, people=people)

    with pytest.raises(CommandError) as excinfo:
        seed_from(folder)

    assert (
        "people.toml, entry 1 (a-person), field “organisation”: no entry 'no-such-body' in "
        "organisations.toml"
    ) in str(excinfo.value)
    assert saved_nothing()


def test_every_problem_is_listed_at_once(tmp_path):
    folder = tmp_path / "empac"
    shutil.copytree(EMPAC, folder)
    themes = (folder / "themes.toml").read_text()
    (folder / "themes.toml").write_text(
        themes.replace("position = 2", "position = 'two'").replace(
            'slug = "what-works"', 'slug = "what works"'
        )
    )

    with pytest.raises(CommandError) as excinfo:
        seed_from(folder)

    message = str(excinfo.value)
    assert "themes.toml, entry 2 (digital-technologies), field “position”" in message
    assert "themes.toml, entry 5 (what works), field “slug”" in message
    assert not Theme.objects.exists()


def test_a_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        seed_from(tmp_path / "nowhere")


def test_a_correction_reaches_fields_no_curator_changed(tmp_path):
    folder = write(tmp_path / "northshire", sources=SOURCES, themes=THEMES)
    seed_from(folder)
    theme = Theme.objects.get()
    theme.short_name = "Fraud (curated)"
    theme.save()
    corrected = THEMES.replace("Fraud against older people", "Fraud against older adults")
    write(folder, themes=corrected.replace('short_name = "Fraud"', 'short_name = "Frauds"'))

    output = seed_from(folder)

    theme.refresh_from_db()
    assert theme.full_name == "Fraud against older adults"
    assert theme.short_name == "Fraud (curated)"
    assert "corrected 1 theme, 1 provenance note where no curator had edited them" in output
    assert theme.provenance_notes.get().passage == "Fraud against older adults"
