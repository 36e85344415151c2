"""Who to contact: the collaboration's address, and contact links only where agreed."""

import json

import pytest
from django.core.exceptions import ValidationError

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _address(settings):
    settings.EMPAC_CONTACT_EMAIL = "contact@empac.example.org"


def test_contact_page_gives_the_configured_address(client):
    page = client.get("/contact/").content.decode()
    assert 'href="mailto:contact@empac.example.org"' in page


def test_every_footer_links_the_contact_page_and_gives_the_address(client):
    page = client.get("/").content.decode()
    assert 'href="/contact/"' in page
    assert "mailto:contact@empac.example.org" in page


def test_contact_page_without_an_address_says_it_is_not_recorded(client, settings):
    settings.EMPAC_CONTACT_EMAIL = ""
    page = client.get("/contact/").content.decode()
    assert "not recorded yet" in page
    assert "mailto:" not in page.split("<footer")[0]


def test_people_are_contact_links_only_where_they_agreed(client):
    agreed = factories.PersonFactory(
        name="Agreed Person",
        contact_email="agreed@example.ac.uk",
        has_agreed_to_public_contact=True,
    )
    factories.PersonFactory(name="Private Person", contact_email="private@example.ac.uk")
    factories.PersonFactory(
        name="Draft Person",
        status="draft",
        contact_email="draft@example.ac.uk",
        has_agreed_to_public_contact=True,
    )

    contact = client.get("/contact/").content.decode()
    assert "mailto:agreed@example.ac.uk" in contact
    assert "private@example.ac.uk" not in contact
    assert "draft@example.ac.uk" not in contact
    assert "mailto:agreed@example.ac.uk" in client.get(agreed.get_absolute_url()).content.decode()


def test_a_person_without_agreement_shows_no_address_but_the_way_to_the_collaboration(client):
    person = factories.PersonFactory(contact_email="private@example.ac.uk")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "private@example.ac.uk" not in page
    assert 'href="/contact/"' in page
    assert "has no public contact address" in page


def test_an_organisation_shows_its_address_only_where_it_agreed(client):
    agreed = factories.OrganisationFactory(
        contact_email="office@partner.example", has_agreed_to_public_contact=True
    )
    private = factories.OrganisationFactory(contact_email="hidden@partner.example")
    page = client.get(agreed.get_absolute_url()).content.decode()
    assert "mailto:office@partner.example" in page
    assert '"email": "office@partner.example"' in page or "office@partner.example" in json.dumps(
        page
    )
    assert "hidden@partner.example" not in client.get(private.get_absolute_url()).content.decode()


def test_agreement_without_an_address_is_refused():
    person = factories.PersonFactory.build(has_agreed_to_public_contact=True, contact_email="")
    with pytest.raises(ValidationError) as error:
        person.clean()
    assert "contact_email" in error.value.message_dict


def test_consent_to_a_contact_link_is_off_by_default():
    assert factories.PersonFactory().has_agreed_to_public_contact is False
    assert factories.OrganisationFactory().has_agreed_to_public_contact is False


@pytest.mark.parametrize("people", [1, 8])
def test_the_contact_page_takes_the_same_queries_however_many_contacts(
    client, people, django_assert_max_num_queries
):
    for n in range(people):
        factories.PersonFactory(
            organisation=factories.OrganisationFactory(
                contact_email=f"org{n}@example.org", has_agreed_to_public_contact=True
            ),
            contact_email=f"p{n}@example.ac.uk",
            has_agreed_to_public_contact=True,
        )
    with django_assert_max_num_queries(6):
        page = client.get("/contact/").content.decode()
    assert page.count("mailto:p") == people


def test_no_seeded_person_or_partner_has_a_public_contact(client):
    from django.core.management import call_command

    from collaboration.models import Organisation, Person

    call_command("seed_empac", verbosity=0)

    assert Person.objects.exists() and Organisation.objects.exists()
    assert not Person.objects.filter(has_agreed_to_public_contact=True).exists()
    assert not Organisation.objects.filter(has_agreed_to_public_contact=True).exists()
    assert "No person or partner has agreed" in client.get("/contact/").content.decode()
