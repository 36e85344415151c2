import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from collaboration.models import Organisation, Role
from publishing.models import Status
from reports.models import RELATED_REPORTS_LIMIT
from tests import factories
from tests.catalogue import LARGE, SMALL, assert_query_counts_flat, grow_catalogue

pytestmark = pytest.mark.django_db

PARTNERS = reverse("browse:organisation-list")


def test_partners_are_grouped_by_kind_members_first(client):
    Kind = Organisation.Kind
    factories.OrganisationFactory(name="Sheffield Hallam", kind=Kind.UNIVERSITY, is_member=False)
    factories.OrganisationFactory(name="Leicester", kind=Kind.UNIVERSITY)
    factories.OrganisationFactory(name="EMSOU", kind=Kind.ROCU)
    factories.OrganisationFactory(name="Derbyshire Constabulary", kind=Kind.POLICE_FORCE)
    factories.OrganisationFactory(name="Unannounced", status=Status.DRAFT)

    response = client.get(PARTNERS)

    names = [organisation.name for organisation in response.context["organisations"]]
    assert names == ["Derbyshire Constabulary", "EMSOU", "Leicester", "Sheffield Hallam"]
    html = response.content.decode()
    headings = [
        "Members of the collaboration",
        "Police forces",
        "Regional organised crime unit",
        "Universities",
        "Other organisations",
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assertNotContains(response, "Unannounced")


def test_each_partner_shows_its_people_and_roles(client):
    dmu = factories.OrganisationFactory(name="De Montfort University")
    walsh = factories.PersonFactory(name="Dave Walsh", organisation=dmu)
    factories.RoleFactory(
        person=walsh, organisation=dmu, kind=Role.Kind.ACADEMIC_LEAD, title="Academic lead"
    )
    factories.PersonFactory(name="Mark Lemon", organisation=dmu)
    factories.PersonFactory(name="Hidden Person", organisation=dmu, status=Status.DRAFT)

    response = client.get(PARTNERS)

    assertContains(response, "Dave Walsh</a>: Academic lead")
    assertContains(response, "Mark Lemon")
    assertNotContains(response, "Hidden Person")


def test_partner_page_shows_roles_people_and_published_reports(client):
    dmu = factories.OrganisationFactory(name="De Montfort University", short_name="DMU")
    factories.RoleFactory(organisation=dmu, title="Place-based evaluation")
    shown = factories.ReportFactory(title="Community resilience")
    shown.organisations.add(dmu)
    hidden = factories.ReportFactory(title="Draft report", status=Status.DRAFT)
    hidden.organisations.add(dmu)

    response = client.get(dmu.get_absolute_url())

    assertContains(response, "<h1", count=1)
    assertContains(response, "Place-based evaluation")
    assertContains(response, "Community resilience")
    assertNotContains(response, "Draft report")


def test_partner_page_bounds_its_report_list_and_links_to_the_rest(client):
    dmu = factories.OrganisationFactory(slug="dmu")
    for report in factories.ReportFactory.create_batch(12):
        report.organisations.add(dmu)

    response = client.get(dmu.get_absolute_url())

    assert len(response.context["reports"]) == RELATED_REPORTS_LIMIT
    assertContains(response, 'href="/reports/?organisation=dmu"')
    assertContains(response, "All 12 reports")


def test_draft_partner_is_not_found(client):
    draft = factories.OrganisationFactory(status=Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_partner_pages_query_count_does_not_grow_with_content(
    client, django_assert_max_num_queries
):
    organisation = grow_catalogue(SMALL)[0].organisations.first()

    def grow():
        for report in grow_catalogue(LARGE):
            report.organisations.add(organisation)

    pages = [PARTNERS, organisation.get_absolute_url()]
    assert_query_counts_flat(client, django_assert_max_num_queries, pages, budget=8, grow=grow)


def test_partners_index_names_a_few_people_of_each_and_links_to_the_rest(client):
    from browse.views import PEOPLE_ON_PARTNER_LIST

    dmu = factories.OrganisationFactory(name="De Montfort University")
    lead = factories.PersonFactory(name="Aa Lead", organisation=dmu)
    factories.RoleFactory(person=lead, organisation=dmu, title="Academic lead")
    people = [
        factories.PersonFactory(name=f"Researcher {n:02}", organisation=dmu) for n in range(8)
    ]
    factories.PersonFactory(name="Researcher 00 draft", organisation=dmu, status=Status.DRAFT)

    response = client.get(PARTNERS)

    listed = [person.display_name for person in people[:PEOPLE_ON_PARTNER_LIST]]
    for name in listed:
        assertContains(response, f">{name}</a>")
    assertNotContains(response, people[PEOPLE_ON_PARTNER_LIST].display_name)
    assertNotContains(response, "draft")
    assertContains(response, f"{lead.display_name}</a>: Academic lead")
    more = 8 - PEOPLE_ON_PARTNER_LIST
    assertContains(response, f'href="{dmu.get_absolute_url()}#people">{more} more')


def test_partner_page_lists_its_people_a_page_at_a_time(client):
    from browse.views import PEOPLE_PER_PAGE

    dmu = factories.OrganisationFactory()
    names = [f"Person {n:03}" for n in range(PEOPLE_PER_PAGE + 3)]
    for name in names:
        factories.PersonFactory(name=name, organisation=dmu)
    factories.PersonFactory(name="Person 000 draft", organisation=dmu, status=Status.DRAFT)

    first = client.get(dmu.get_absolute_url())
    second = client.get(f"{dmu.get_absolute_url()}?page=2")

    assert [p.name for p in first.context["people"]] == names[:PEOPLE_PER_PAGE]
    assert [p.name for p in second.context["people"]] == names[PEOPLE_PER_PAGE:]
    assertContains(first, f"{len(names)} people; 1 to {PEOPLE_PER_PAGE} are listed here")
    assertContains(first, 'href="?page=2"')
    # A page that does not exist shows the last one, not an error.
    assert client.get(f"{dmu.get_absolute_url()}?page=99").status_code == 200


def test_the_kept_people_of_each_partner_follow_publishing_roles_moves_and_deletion(client):
    dmu = factories.OrganisationFactory(name="De Montfort University")
    elsewhere = factories.OrganisationFactory(name="Elsewhere")
    person = factories.PersonFactory(name="Kept Person", organisation=dmu, status=Status.DRAFT)
    public = factories.PersonFactory(name="Public Person", organisation=dmu)
    factories.PersonFactory(name="Draft Person", organisation=dmu, status=Status.DRAFT)

    def others() -> dict:
        """The people each partner names beside its roles, by partner."""
        response = client.get(PARTNERS)
        assertNotContains(response, "Draft Person")
        return {
            organisation.name: [name for name, _ in organisation.other_people]
            for organisation in response.context["organisations"]
        }

    assert others()["De Montfort University"] == [public.display_name]
    person.status = Status.PUBLISHED
    person.save()
    assert others()["De Montfort University"] == [person.display_name, public.display_name]
    role = factories.RoleFactory(person=person, organisation=dmu, title="Academic lead")
    assert others()["De Montfort University"] == [public.display_name]
    role.delete()
    assert person.display_name in others()["De Montfort University"]
    person.organisation = elsewhere
    person.save()
    assert others() == {
        "De Montfort University": [public.display_name],
        "Elsewhere": [person.display_name],
    }
    person.status = Status.WITHDRAWN
    person.save()
    assert others()["Elsewhere"] == []
    public.delete()
    assert others()["De Montfort University"] == []
