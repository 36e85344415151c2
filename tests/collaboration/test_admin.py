"""The admin of themes, organisations, people and their dated roles: lists, filters and
bad input."""

import datetime

import pytest

from collaboration.models import Person, Role, Theme
from publishing.models import Status
from tests import factories
from tests.admin_helpers import (
    assert_form_error,
    inline_management,
    person_form,
    role_fields,
    shown,
    url,
)

pytestmark = pytest.mark.django_db


def test_people_filter_by_role_and_search_by_organisation(curator_client):
    dmu = factories.OrganisationFactory(name="De Montfort University", short_name="DMU")
    academic = factories.PersonFactory(organisation=dmu)
    factories.RoleFactory(person=academic, kind=Role.Kind.ACADEMIC_LEAD)
    officer = factories.PersonFactory()
    factories.RoleFactory(person=officer, kind=Role.Kind.OPERATIONAL_LEAD)

    by_role = curator_client.get(url(Person), {"roles__kind": Role.Kind.OPERATIONAL_LEAD})
    assert shown(by_role) == [officer]
    assert shown(curator_client.get(url(Person), {"q": "DMU"})) == [academic]


def test_roles_filter_current_and_past(curator_client):
    today = datetime.date.today()
    earlier = factories.RoleFactory(
        kind=Role.Kind.OPERATIONAL_LEAD,
        start_date=today - datetime.timedelta(days=900),
        end_date=today - datetime.timedelta(days=300),
    )
    now = factories.RoleFactory(
        kind=Role.Kind.OPERATIONAL_LEAD, start_date=today - datetime.timedelta(days=300)
    )
    assert shown(curator_client.get(url(Role), {"held": "current"})) == [now]
    assert shown(curator_client.get(url(Role), {"held": "past"})) == [earlier]


def test_people_list_shows_which_roles_are_past(curator_client):
    person = factories.PersonFactory()
    factories.RoleFactory(
        person=person,
        kind=Role.Kind.OPERATIONAL_LEAD,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2020, 6, 1),
    )
    factories.RoleFactory(person=person, kind=Role.Kind.STRATEGIC_LEAD)
    response = curator_client.get(url(Person))
    assert "Strategic lead, Operational lead (past)" in response.text


def test_duplicate_theme_slug_is_a_form_error(curator_client):
    factories.ThemeFactory(slug="international-links")
    data = {
        "position": "7",
        "short_name": "International links",
        "full_name": "Understanding international links",
        "alternative_wording": "",
        "slug": "international-links",
        "description": "",
        "status": Status.DRAFT,
    }
    response = curator_client.post(url(Theme, "add"), data)
    assert_form_error(response, "Theme with this Slug already exists.")
    assert Theme.objects.count() == 1


def test_changing_a_slug_to_one_in_use_is_a_form_error(curator_client):
    factories.PersonFactory(slug="taken")
    person = factories.PersonFactory()
    response = curator_client.post(
        url(Person, "change", person.pk), person_form(person, slug="taken")
    )
    assert_form_error(response, "Person with this Slug already exists.")
    person.refresh_from_db()
    assert person.slug != "taken"


def test_role_ending_before_it_starts_is_a_form_error(curator_client):
    person = factories.PersonFactory()
    data = {
        "person": str(person.pk),
        **role_fields(start_date="2021-02-01", end_date="2020-12-01"),
    }
    response = curator_client.post(url(Role, "add"), data)
    assert_form_error(response, "The end date must be on or after the start date.")
    assert not Role.objects.exists()


def test_role_ending_before_it_starts_in_the_person_page_is_a_form_error(curator_client):
    # A draft: a published person's roles are read only for curators (test_review.py).
    person = factories.PersonFactory(name="Before", status=Status.DRAFT)
    data = person_form(
        person,
        name="After",
        **inline_management("roles", total=1),
        **role_fields("roles-0-", start_date="2021-02-01", end_date="2020-12-01"),
    )
    response = curator_client.post(url(Person, "change", person.pk), data)
    assert_form_error(response, "The end date must be on or after the start date.")
    person.refresh_from_db()
    assert person.name == "Before"
    assert not person.roles.exists()


def test_theme_lead_without_a_theme_is_a_form_error(curator_client):
    data = person_form(
        **inline_management("roles", total=1),
        **role_fields("roles-0-", kind=Role.Kind.THEME_LEAD),
    )
    response = curator_client.post(url(Person, "add"), data)
    assert_form_error(response, "A theme lead needs a theme.")
    assert not Person.objects.exists()


def test_a_person_with_dated_roles_is_saved(curator_client):
    theme = factories.ThemeFactory()
    data = person_form(
        **inline_management("roles", total=2),
        **role_fields("roles-0-", kind=Role.Kind.THEME_LEAD, theme=str(theme.pk)),
        **role_fields(
            "roles-1-",
            kind=Role.Kind.OPERATIONAL_LEAD,
            start_date="2019-01-01",
            end_date="2020-06-30",
        ),
    )
    response = curator_client.post(url(Person, "add"), data)
    assert response.status_code == 302
    person = Person.objects.get(slug="ada-example")
    assert {(r.kind, r.theme) for r in person.roles.all()} == {
        (Role.Kind.THEME_LEAD, theme),
        (Role.Kind.OPERATIONAL_LEAD, None),
    }
