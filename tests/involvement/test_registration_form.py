"""The Get involved form: what a person sees, what is stored, and the errors they get back."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from involvement.models import InterestRegistration
from tests.involvement.conftest import REGISTER_URL, THANKS_URL

pytestmark = pytest.mark.django_db


def error_summary(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not summary:
        return []
    items = re.findall(r"<li>(.*?)</li>", summary[1], re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def test_url_is_named_for_other_pages_to_link_to():
    assert reverse("involvement:register") == REGISTER_URL


def test_form_offers_every_field_with_a_label(client, themes):
    response = client.get(REGISTER_URL)
    html = response.content.decode()

    assert response.status_code == 200
    for field in ("name", "email", "institution", "role", "discipline_other", "expertise"):
        assert f'<label class="govuk-label" for="id_{field}">' in html
    assert '<textarea class="govuk-textarea" id="id_message"' in html
    assert 'type="email"' in html and 'autocomplete="email"' in html
    disciplines = InterestRegistration._meta.get_field("discipline").choices
    # Several disciplines may be chosen: one checkbox each.
    assert html.count('name="discipline" type="checkbox"') == len(disciplines)
    assert "Psychology" in html and "Computer Science" in html and ">Other<" in html
    assert 'for="id_consent"' in html and 'href="/privacy/"' in html
    assert "govuk-error-summary" not in html


def test_only_published_themes_are_offered(client, themes):
    html = client.get(REGISTER_URL).content.decode()

    assert html.count('name="themes"') == 6
    for theme in themes:
        assert theme.short_name in html
    assert "Draft theme" not in html


def test_page_is_never_cached_because_it_carries_a_csrf_token(client, themes):
    response = client.get(REGISTER_URL)

    assert "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_queries_do_not_grow_with_the_number_of_themes(client, themes):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(REGISTER_URL)
        return len(captured)

    before = queries()
    from tests.factories import ThemeFactory

    ThemeFactory.create_batch(5)
    assert queries() == before


def test_valid_registration_is_stored_and_person_is_redirected_to_confirmation(
    submit, form_data, themes, settings
):
    response = submit(form_data())

    assert response.status_code == 302
    assert response.url == THANKS_URL
    registration = InterestRegistration.objects.get()
    assert registration.name == "Dr Ada Lovelace"
    assert registration.email == "ada@example.ac.uk"
    assert registration.institution == "University of Leicester"
    assert registration.role == "Senior lecturer"
    assert registration.discipline == "computer_science"
    assert set(registration.themes.all()) == {themes[0], themes[2]}
    assert registration.expertise == "network analysis, cryptocurrency"
    assert registration.message.startswith("I study money laundering")
    assert registration.status == InterestRegistration.Status.NEW


def test_consent_is_stored_with_its_time_and_the_privacy_notice_version(
    submit, form_data, settings
):
    settings.PRIVACY_NOTICE_VERSION = "2031-07"

    submit(form_data())

    registration = InterestRegistration.objects.get()
    assert registration.consent is True
    assert registration.consented_at is not None
    assert registration.privacy_notice_version == "2031-07"


def test_confirmation_page_says_what_happens_next(client):
    response = client.get(THANKS_URL)

    assert response.status_code == 200
    assert "Registration received" in response.content.decode()
    assert "What happens next" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your name"),
        ("email", "", "Enter your email address"),
        ("email", "ada at example", "Enter an email address in the correct format"),
        ("institution", "", "Enter your institution or organisation"),
        ("discipline", "", "Select your discipline, or ‘Other’"),
        ("discipline", "astrology", "Select your discipline from the list"),
        ("themes", [], "Select at least one theme you could contribute to"),
        ("themes", ["999999"], "Select themes from the list"),
        ("themes", ["not-a-number"], "Select themes from the list"),
        ("consent", "", "Confirm that we may store your details and contact you"),
    ],
)
def test_each_mistake_gets_a_message_saying_what_to_fix(submit, form_data, field, value, message):
    response = submit(form_data(**{field: value}))

    assert response.status_code == 200
    assert any(line.startswith(message) for line in error_summary(response)), error_summary(
        response
    )
    html = response.content.decode()
    # The inline message sits by the field, and the summary links to it.
    assert f'id="id_{field}-error"' in html
    assert re.search(rf'href="#id_{field}(_0)?"', html)
    assert html.count("<title>Error: ") == 1
    assert not InterestRegistration.objects.exists()


def test_a_draft_theme_cannot_be_chosen_by_posting_its_id(submit, form_data):
    from collaboration.models import Theme

    draft = Theme.objects.get(status="draft")

    response = submit(form_data(themes=[str(draft.pk)]))

    assert "Select themes from the list" in error_summary(response)
    assert not InterestRegistration.objects.exists()


def test_other_discipline_needs_naming_and_is_kept(submit, form_data):
    response = submit(form_data(discipline="other", discipline_other=""))
    assert error_summary(response) == ["Enter your discipline, as you chose ‘Other’"]

    submit(form_data(discipline="other", discipline_other="Forensic linguistics"))
    registration = InterestRegistration.objects.get()
    assert registration.discipline_display == "Other: Forensic linguistics"


def test_other_discipline_text_is_dropped_when_a_listed_discipline_is_chosen(submit, form_data):
    submit(form_data(discipline="law", discipline_other="Leftover text"))

    assert InterestRegistration.objects.get().discipline_other == ""


def test_answers_are_kept_when_the_form_is_shown_again(submit, form_data, themes):
    response = submit(form_data(consent="", discipline="other", discipline_other="Geography"))
    html = response.content.decode()

    assert 'value="Dr Ada Lovelace"' in html
    assert 'value="ada@example.ac.uk"' in html
    assert 'value="Geography"' in html
    assert "I study money laundering through crypto exchanges.</textarea>" in html
    assert re.search(r'value="other"\s+checked', html)
    assert re.search(rf'name="themes" type="checkbox" value="{themes[0].pk}" checked', html)
    assert not re.search(rf'value="{themes[1].pk}" checked', html)


def test_redisplayed_form_keeps_its_token_so_the_corrected_form_is_one_submission(
    submit, form_data
):
    data = form_data(consent="")
    response = submit(data)

    assert f'value="{data["token"]}"' in response.content.decode()


def test_form_posted_without_a_csrf_token_is_refused(form_data):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(REGISTER_URL, form_data())

    assert response.status_code == 403
    assert not InterestRegistration.objects.exists()


def test_form_posted_with_the_pages_csrf_token_is_accepted(form_data):
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(REGISTER_URL).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    response = strict.post(REGISTER_URL, form_data(csrfmiddlewaretoken=csrf))

    assert response.status_code == 302
    assert InterestRegistration.objects.count() == 1
