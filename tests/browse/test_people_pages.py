import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from collaboration.models import Role
from publishing.models import Status
from tests import factories
from tests.catalogue import LARGE, SMALL, assert_query_counts_flat, grow_catalogue

pytestmark = pytest.mark.django_db

PEOPLE = reverse("browse:person-list")


@pytest.fixture
def handover(db):
    """The operational lead changed hands at the start of 2021."""
    emsou = factories.OrganisationFactory(name="EMSOU")
    haward = factories.RoleFactory(
        person=factories.PersonFactory(honorific="DCC", name="Chris Haward"),
        organisation=emsou,
        kind=Role.Kind.OPERATIONAL_LEAD,
        title="Operational lead",
        start_date=datetime.date(2019, 6, 1),
        end_date=datetime.date(2021, 1, 1),
        dates_note="Named in the November 2020 report.",
    )
    gibson = factories.RoleFactory(
        person=factories.PersonFactory(honorific="DCC", name="Paul Gibson"),
        organisation=emsou,
        kind=Role.Kind.OPERATIONAL_LEAD,
        title="Operational lead",
        start_date=datetime.date(2021, 1, 1),
    )
    return haward, gibson


def test_people_page_puts_current_leads_first(client, handover):
    haward, gibson = handover

    response = client.get(PEOPLE)

    assert list(response.context["current_leads"]) == [gibson]
    html = response.content.decode()
    assert html.index("Current leads") < html.index("DCC Paul Gibson") < html.index("Everyone")


def test_people_page_shows_past_roles_with_their_dates(client, handover):
    response = client.get(PEOPLE)

    assertContains(response, "Past</strong>")
    assertContains(response, "June 2019 to January 2021")
    assertContains(response, "from January 2021")


def test_people_page_leaves_out_draft_people(client, handover):
    factories.RoleFactory(
        person=factories.PersonFactory(name="Not Yet Public", status=Status.DRAFT),
        kind=Role.Kind.ACADEMIC_LEAD,
    )

    response = client.get(PEOPLE)

    assertNotContains(response, "Not Yet Public")
    assert response.context["paginator"].count == 2


def test_person_page_shows_roles_current_first_with_dates_note_and_reports(client, handover):
    haward, _ = handover
    person = haward.person
    factories.RoleFactory(person=person, kind=Role.Kind.STRATEGIC_LEAD, title="Strategic lead")
    written = factories.ReportFactory(title="Organisational adaptability")
    written.authors.add(person)
    draft = factories.ReportFactory(title="Unpublished work", status=Status.DRAFT)
    draft.authors.add(person)

    response = client.get(person.get_absolute_url())

    assertContains(response, "<h1", count=1)
    titles = [role.title for role in response.context["roles"]]
    assert titles == ["Strategic lead", "Operational lead"]
    assertContains(response, "Named in the November 2020 report.")
    assertContains(response, "Organisational adaptability")
    assertNotContains(response, "Unpublished work")


def test_draft_person_is_not_found(client):
    draft = factories.PersonFactory(status=Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_people_pages_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    person = grow_catalogue(SMALL)[0].authors.first()

    def grow():
        for report in grow_catalogue(LARGE):
            report.authors.add(person)

    pages = [PEOPLE, person.get_absolute_url()]
    assert_query_counts_flat(client, django_assert_max_num_queries, pages, budget=8, grow=grow)


@pytest.fixture
def named_in_a_source(db):
    """A lead the newest source names, with no end date: not confirmed as still held."""
    post = factories.ReportFactory(
        title="Growing momentum",
        kind="news",
        published_on=datetime.date(2021, 2, 1),
        date_precision="month",
    )
    return factories.RoleFactory(
        person=factories.PersonFactory(honorific="DCC", name="Paul Gibson"),
        kind=Role.Kind.OPERATIONAL_LEAD,
        title="Operational lead",
        latest_source=post,
    )


def test_a_lead_known_only_from_a_source_is_not_called_current(client, named_in_a_source):
    response = client.get(PEOPLE)

    assert list(response.context["current_leads"]) == []
    assert list(response.context["named_leads"]) == [named_in_a_source]
    html = response.content.decode()
    assert "No lead has yet been confirmed as current." in html
    named = html.index("Leads named in the sources")
    assert named < html.index("DCC Paul Gibson") < html.index("Everyone")
    assert "Named in <a" in html and "Growing momentum</a>, February 2021" in html
    assert "not confirmed as current" in html


def test_a_curator_confirms_a_role_as_current(client, curator, curator_client, named_in_a_source):
    ended = factories.RoleFactory(
        latest_source=named_in_a_source.latest_source, end_date=datetime.date(2021, 1, 1)
    )

    response = curator_client.post(
        reverse("admin:collaboration_role_changelist"),
        {"action": "confirm_current", "_selected_action": [named_in_a_source.pk, ended.pk]},
        follow=True,
    )

    named_in_a_source.refresh_from_db()
    assert named_in_a_source.confirmed_by == curator
    assert named_in_a_source.is_confirmed_current()
    ended.refresh_from_db()
    assert ended.confirmed_at is None
    messages = [str(m) for m in response.context["messages"]]
    assert "1 role confirmed as current by you, now." in messages
    assert "1 of the selected roles have an end date, so were not confirmed." in messages
    page = client.get(PEOPLE)
    assert list(page.context["current_leads"]) == [named_in_a_source]
    assertNotContains(page, "not confirmed as current")
    listed = curator_client.get(reverse("admin:collaboration_role_changelist"), {"confirmed": "no"})
    assert list(listed.context["cl"].result_list) == []


def test_a_person_page_says_an_organisation_is_inferred(client):
    person = factories.PersonFactory(
        name="Kate Hemstock", organisation=factories.OrganisationFactory(name="Derbyshire")
    )
    factories.ProvenanceFactory(
        entry=person, field="organisation", note="the source says only “Derbys”"
    )

    response = client.get(person.get_absolute_url())

    assertContains(
        response, 'Derbyshire <span class="empac-meta">(the source says only “Derbys”)</span>'
    )
    assertContains(client.get(PEOPLE), "(the source says only “Derbys”)")


def test_person_page_lists_their_reports_a_page_at_a_time_newest_first(client):
    from browse.views import REPORTS_PER_PAGE

    person = factories.PersonFactory()
    reports = [
        factories.ReportFactory(title=f"Report {n:02}", published_on=datetime.date(2000 + n, 1, 1))
        for n in range(REPORTS_PER_PAGE + 2)
    ]
    draft = factories.ReportFactory(title="Draft work", status=Status.DRAFT)
    for report in [*reports, draft]:
        report.authors.add(person)

    first = client.get(person.get_absolute_url())
    second = client.get(f"{person.get_absolute_url()}?page=2")

    newest = [report.title for report in reversed(reports)]
    assert [item["title"] for item in first.context["reports"]] == newest[:REPORTS_PER_PAGE]
    assert [item["title"] for item in second.context["reports"]] == newest[REPORTS_PER_PAGE:]
    assertContains(first, f"{len(reports)} reports, newest first")
    assertNotContains(first, "Draft work")
    assertNotContains(second, "Draft work")


def test_the_kept_leads_follow_publishing_an_end_date_a_new_person_and_deletion(client, handover):
    haward, gibson = handover
    factories.RoleFactory(
        person=factories.PersonFactory(name="Draft Lead", status=Status.DRAFT),
        kind=Role.Kind.ACADEMIC_LEAD,
    )

    def current() -> list:
        response = client.get(PEOPLE)
        assertNotContains(response, "Draft Lead")
        return list(response.context["current_leads"])

    assert current() == [gibson]
    gibson.person.status = Status.WITHDRAWN
    gibson.person.save()
    assert current() == []
    gibson.person.status = Status.PUBLISHED
    gibson.person.save()
    assert current() == [gibson]
    gibson.end_date = datetime.date(2022, 1, 1)
    gibson.save()
    assert current() == []
    gibson.end_date = None
    gibson.person = haward.person
    gibson.save()
    [lead] = current()
    assert lead.person == haward.person
    gibson.delete()
    assert current() == []
