"""The record of workflow moves in the admin: listed, filtered and searched, never edited."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from publishing import workflow
from publishing.models import Status, Transition
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:publishing_transition_changelist"


@pytest.fixture
def moves(curator, editor):
    report = factories.ReportFactory(title="Moved report", status=Status.DRAFT)
    theme = factories.ThemeFactory(short_name="Moved theme", status=Status.DRAFT)
    workflow.move(report, Status.IN_REVIEW, by=curator)
    workflow.move(report, Status.PUBLISHED, by=editor)
    workflow.move(theme, Status.IN_REVIEW, by=curator)
    return report, theme


def listed(client, **query) -> list[Transition]:
    response = client.get(reverse(CHANGELIST), query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_curators_see_every_move_with_its_item(curator_client, moves):
    page = curator_client.get(reverse(CHANGELIST)).content.decode()
    assert "Moved report" in page and "Moved theme" in page
    assert len(listed(curator_client)) == 3


def test_moves_filter_by_state_model_and_user_and_search_by_user(editor_client, editor, moves):
    report, _theme = moves
    assert [t.to_status for t in listed(editor_client, to_status__exact="published")] == [
        Status.PUBLISHED
    ]
    type_id = ContentType.objects.get_for_model(Report).pk
    by_model = listed(editor_client, content_type__id__exact=type_id)
    assert {t.object_id for t in by_model} == {report.pk} and len(by_model) == 2
    assert [t.by for t in listed(editor_client, by__id__exact=editor.pk)] == [editor]
    found = listed(editor_client, q="cora")
    assert len(found) == 2 and {t.by.username for t in found} == {"cora"}


@pytest.mark.parametrize("who", ["curator", "editor", "superuser"])
def test_nobody_adds_changes_or_deletes_a_move(client, request, moves, who):
    if who == "superuser":
        user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    move = Transition.objects.first()
    assert client.get(reverse("admin:publishing_transition_add")).status_code == 403
    change = reverse("admin:publishing_transition_change", args=[move.pk])
    assert client.post(change, {"to_status": Status.WITHDRAWN, "note": "x"}).status_code == 403
    delete = reverse("admin:publishing_transition_delete", args=[move.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    move.refresh_from_db()
    assert move.to_status != Status.WITHDRAWN and Transition.objects.count() == 3
