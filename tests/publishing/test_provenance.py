"""Provenance: curators see where entries come from, and confirm what is inferred."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from collaboration.models import Role
from publishing.models import Provenance
from publishing.provenance import inference_note, with_inferences
from publishing.versioning import current_content_version
from tests import factories

pytestmark = pytest.mark.django_db

PROVENANCE = reverse("admin:publishing_provenance_changelist")
NOTE = "theme inferred from the report that names them"


@pytest.fixture
def inferred_theme(db):
    """A researcher whose theme no source gives: an unconfirmed inference about it."""
    role = factories.RoleFactory(
        title="Cited for research on resilience forums", theme=factories.ThemeFactory()
    )
    return factories.ProvenanceFactory(entry=role, field="theme", note=NOTE)


def test_curators_filter_to_inferences_not_yet_confirmed(curator_client, inferred_theme):
    confirmed = factories.ProvenanceFactory(field="organisation")
    Provenance.objects.filter(pk=confirmed.pk).update(confirmed_at="2026-01-05T10:00Z")
    stated = factories.ProvenanceFactory(field="", is_inferred=False, passage="Dr A (Lboro)")

    response = curator_client.get(PROVENANCE, {"provenance": "unconfirmed"})

    assert list(response.context["cl"].result_list) == [inferred_theme]
    stated_only = curator_client.get(PROVENANCE, {"provenance": "stated"})
    assert list(stated_only.context["cl"].result_list) == [stated]


def test_an_entry_list_filters_to_entries_with_unconfirmed_inferences(
    curator_client, inferred_theme
):
    factories.RoleFactory(title="Stated in full")

    response = curator_client.get(
        reverse("admin:collaboration_role_changelist"), {"provenance": "unconfirmed"}
    )

    assert [role.title for role in response.context["cl"].result_list] == [
        "Cited for research on resilience forums"
    ]


def test_confirming_records_who_and_when_and_the_public_page_stops_saying_inferred(
    client, curator, curator_client, inferred_theme
):
    person = inferred_theme.entry.person
    assertContains(client.get(person.get_absolute_url()), f"({NOTE})")
    version = current_content_version()

    response = curator_client.post(
        PROVENANCE, {"action": "confirm", "_selected_action": [inferred_theme.pk]}, follow=True
    )

    inferred_theme.refresh_from_db()
    assert inferred_theme.confirmed_by == curator
    assert inferred_theme.confirmed_at is not None
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["1 provenance note confirmed by you, now."]
    assert current_content_version() != version
    assertNotContains(client.get(person.get_absolute_url()), NOTE)
    change = curator_client.get(
        reverse("admin:publishing_provenance_change", args=[inferred_theme.pk])
    )
    assertContains(change, "by cora, ")


def test_confirming_a_stated_fact_changes_nothing(curator_client):
    stated = factories.ProvenanceFactory(is_inferred=False, passage="Dr A (Lboro)", basis="")

    response = curator_client.post(
        PROVENANCE, {"action": "confirm", "_selected_action": [stated.pk]}, follow=True
    )

    stated.refresh_from_db()
    assert stated.confirmed_at is None
    assert [str(m) for m in response.context["messages"]] == [
        "1 of the selected provenance notes were stated facts or confirmed already, so were "
        "left as they were."
    ]


def test_an_entry_change_page_shows_its_provenance(curator_client, inferred_theme):
    role = inferred_theme.entry

    response = curator_client.get(reverse("admin:collaboration_role_change", args=[role.pk]))

    assertContains(response, inferred_theme.basis)
    assertContains(response, "not confirmed")


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"is_inferred": True, "basis": ""}, "basis"), ({"is_inferred": False}, "passage")],
)
def test_a_fact_quotes_its_passage_and_an_inference_gives_its_basis(fields, field):
    note = factories.ProvenanceFactory.build(entry=factories.RoleFactory(), **fields)
    with pytest.raises(ValidationError) as excinfo:
        note.full_clean()
    assert field in excinfo.value.message_dict


def test_notes_come_with_the_rows_in_one_query(django_assert_num_queries, inferred_theme):
    factories.RoleFactory.create_batch(3)
    with_inferences(Role.objects.all(), "theme")  # the notes, kept per content version

    # One query for the rows and their notes, beside the content version's.
    with django_assert_num_queries(2):
        roles = list(with_inferences(Role.objects.order_by("pk"), "theme", "organisation"))
        notes = [inference_note(role, "theme") for role in roles]

    assert notes == [NOTE, "", "", ""]
    assert [inference_note(role, "organisation") for role in roles] == ["", "", "", ""]


@pytest.mark.parametrize("confirm", [True, False], ids=["confirmed", "deleted"])
def test_a_note_goes_as_soon_as_its_inference_is_confirmed_or_deleted(
    client, inferred_theme, confirm
):
    role = Role.objects.get(pk=inferred_theme.object_id)
    page = role.person.get_absolute_url()
    assertContains(client.get(page), NOTE)

    if confirm:
        inferred_theme.confirm(factories.UserFactory())
    else:
        inferred_theme.delete()

    assert (
        inference_note(with_inferences(Role.objects.filter(pk=role.pk), "theme")[0], "theme") == ""
    )
    assertNotContains(client.get(page), NOTE)


def test_past_the_kept_limit_notes_are_read_in_the_query(inferred_theme, monkeypatch):
    from publishing import provenance

    monkeypatch.setattr(provenance, "LITERAL_NOTES_LIMIT", 0)
    role = with_inferences(Role.objects.filter(pk=inferred_theme.object_id), "theme").get()
    assert inference_note(role, "theme") == NOTE


def test_a_note_not_annotated_is_looked_up(inferred_theme):
    role = Role.objects.get(pk=inferred_theme.object_id)
    assert inference_note(role, "theme") == NOTE
    assert inference_note(role, "end_date") == ""
