"""Get involved: choosing gaps, an ORCID iD, several disciplines, what one could offer."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from involvement.models import InterestRegistration
from involvement.orcid import orcid_checksum, orcid_normalise
from publishing.models import Status
from reports.models import KnowledgeGap
from tests import factories
from tests.conftest import run_background_tasks
from tests.involvement.conftest import REGISTER_URL, THANKS_URL
from tests.involvement.test_registration_form import error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_gap(themes):
    report = factories.ReportFactory(themes=[themes[1]])
    return factories.KnowledgeGapFactory(
        analysis=None, report=report, question="Who recruits couriers?", theme=themes[1]
    )


@pytest.mark.parametrize(
    "typed",
    [
        "0000-0002-1825-0097",
        "0000000218250097",
        "https://orcid.org/0000-0002-1825-0097",
        " 0000-0002-1825-0097 ",
    ],
)
def test_an_orcid_id_is_accepted_however_typed_and_stored_as_orcid_writes_it(typed):
    assert orcid_normalise(typed) == "0000-0002-1825-0097"


def test_an_orcid_id_ending_in_x_is_valid():
    assert orcid_normalise("0000-0002-1694-233x") == "0000-0002-1694-233X"


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_only_the_right_check_character_is_accepted(digits):
    right = orcid_checksum(digits)
    plain = digits + right
    assert orcid_normalise(plain) == "-".join(plain[i : i + 4] for i in range(0, 16, 4))
    for wrong in set("0123456789X") - {right}:
        with pytest.raises(ValidationError):
            orcid_normalise(digits + wrong)


def test_the_form_stores_gaps_orcid_disciplines_and_offers(client, form_data, open_gap):
    response = client.post(
        REGISTER_URL,
        form_data(
            discipline=["law", "criminology"],
            orcid="https://orcid.org/0000-0002-1825-0097",
            gaps=[str(open_gap.pk)],
            offers=["data", "funding_bid"],
        ),
    )

    assert response.status_code == 302 and response["Location"] == THANKS_URL
    registration = InterestRegistration.objects.get()
    assert registration.disciplines == ["law", "criminology"]
    assert registration.discipline == "law"
    assert registration.discipline_display == "Law; Criminology"
    assert registration.orcid == "0000-0002-1825-0097"
    assert registration.orcid_url == "https://orcid.org/0000-0002-1825-0097"
    assert list(registration.chosen_gaps.all()) == [open_gap]
    assert registration.offers == ["data", "funding_bid"]
    run_background_tasks()


def test_gaps_and_offers_are_optional(client, form_data, open_gap):
    assert client.post(REGISTER_URL, form_data()).status_code == 302
    registration = InterestRegistration.objects.get()
    assert registration.chosen_gaps.count() == 0 and registration.offers == []
    assert registration.orcid == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("orcid", "0000-0002-1825-0098", "That ORCID iD’s last character does not match"),
        ("orcid", "12345", "Enter an ORCID iD as 16 characters"),
        ("offers", ["cake"], "Select what you could offer from the list"),
        ("gaps", ["999999"], "Select knowledge gaps from the list"),
    ],
)
def test_each_mistake_gets_a_clear_message(client, form_data, field, value, message):
    response = client.post(REGISTER_URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert any(line.startswith(message) for line in error_summary(response))
    assert not InterestRegistration.objects.exists()


def test_a_closed_or_unpublished_gap_cannot_be_chosen(client, form_data, themes):
    report = factories.ReportFactory()
    answered = factories.KnowledgeGapFactory(
        analysis=None, report=report, status=KnowledgeGap.Status.ANSWERED, answer="Known."
    )
    draft = factories.KnowledgeGapFactory(
        analysis=None, report=factories.ReportFactory(status=Status.DRAFT)
    )
    html = client.get(REGISTER_URL).content.decode()
    assert answered.question not in html and draft.question not in html
    for gap in (answered, draft):
        response = client.post(REGISTER_URL, form_data(gaps=[str(gap.pk)]))
        assert "Select knowledge gaps from the list" in " ".join(error_summary(response))


def test_a_theme_pages_offer_link_opens_the_form_with_that_theme_ticked(client, themes):
    theme = themes[3]
    page = client.get(theme.get_absolute_url()).content.decode()
    link = f"{REGISTER_URL}?theme={theme.slug}"
    assert f'href="{link}"' in page

    form = client.get(link).content.decode()
    assert f'name="themes" type="checkbox" value="{theme.pk}" checked' in form
    assert form.count("checked") == 1


def test_a_bad_theme_or_gap_in_the_address_is_ignored(client, themes):
    response = client.get(REGISTER_URL, {"theme": "nope", "gap": "abc"})
    assert response.status_code == 200
    assert "checked" not in response.content.decode()
    assert client.get(REGISTER_URL, {"gap": "99999999"}).status_code == 200


def test_the_admin_shows_the_orcid_id_as_a_link(curator_client, form_data, client, open_gap):
    client.post(REGISTER_URL, form_data(orcid="0000-0002-1825-0097", gaps=[str(open_gap.pk)]))
    registration = InterestRegistration.objects.get()
    url = reverse("admin:involvement_interestregistration_change", args=[registration.pk])
    html = curator_client.get(url).content.decode()
    assert '<a href="https://orcid.org/0000-0002-1825-0097"' in html
    assert "Who recruits couriers?" in html


def test_the_personal_data_export_includes_the_new_answers(client, form_data, open_gap):
    from involvement.services import registration_personal_data

    client.post(
        REGISTER_URL,
        form_data(orcid="0000-0002-1825-0097", gaps=[str(open_gap.pk)], offers=["methods"]),
    )
    data = registration_personal_data(email="ada@example.ac.uk")["registrations"][0]
    assert data["orcid"] == "0000-0002-1825-0097"
    assert data["chosen_gaps"] == ["Who recruits couriers?"]
    assert data["offers"] == "Research methods"
