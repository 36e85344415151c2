"""Bad input: clear errors or safe storage, escaped wherever shown, and never a 500."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from involvement.forms import InterestRegistrationForm
from involvement.models import Discipline, InterestRegistration
from tests.involvement.conftest import REGISTER_URL, aged_token

pytestmark = pytest.mark.django_db

SCRIPT = '"><script>alert(document.cookie)</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("name", 200, "Your name must be 200 characters or fewer"),
        ("email", 254, "Email address must be 254 characters or fewer"),
        ("institution", 200, "Institution or organisation must be 200 characters or fewer"),
        ("role", 200, "Role must be 200 characters or fewer"),
        ("expertise", 500, "Expertise keywords must be 500 characters or fewer"),
        ("message", 5000, "Message must be 5000 characters or fewer"),
    ],
)
def test_over_long_answers_are_refused_with_the_limit(submit, form_data, field, limit, message):
    too_long = "a" * (limit + 1) if field != "email" else "a" * (limit - 11) + "@example.org"
    at_limit = "a" * limit if field != "email" else "a" * 60 + "@" + "b" * 60 + ".example.org"

    response = submit(form_data(**{field: too_long}))
    assert message in response.content.decode()
    assert not InterestRegistration.objects.exists()

    response = submit(form_data(**{field: at_limit}))
    assert response.status_code == 302
    assert InterestRegistration.objects.count() == 1


@pytest.mark.parametrize(
    "value",
    [
        "Ada\tLovelace",
        "Ada\x07",
        "Ada\x00Lovelace",
        "Ada\x1b[31m",
        "Ada\u202eecalevoL",
        "Ada\x85Lovelace",
    ],
    ids=["tab", "bell", "null", "escape", "bidi-override", "c1-control"],
)
def test_control_characters_in_a_one_line_answer_get_a_clear_error(submit, form_data, value):
    response = submit(form_data(name=value))

    assert "Your name contains hidden control characters" in response.content.decode()
    assert not InterestRegistration.objects.exists()


def test_a_message_may_have_line_breaks_and_tabs_but_no_other_control_characters(submit, form_data):
    refused = submit(form_data(message="Hello\x00there"))
    assert "Message contains hidden control characters" in refused.content.decode()

    submit(form_data(message="First paragraph.\r\n\r\n\tSecond, indented."))
    assert (
        InterestRegistration.objects.get().message == "First paragraph.\r\n\r\n\tSecond, indented."
    )


def test_html_and_script_are_stored_as_typed(submit, form_data):
    submit(form_data(name=SCRIPT, institution=SCRIPT, expertise=SCRIPT, message=SCRIPT))

    registration = InterestRegistration.objects.get()
    assert registration.name == registration.message == SCRIPT


def test_html_and_script_are_escaped_when_the_form_is_shown_again(submit, form_data):
    response = submit(
        form_data(
            name=SCRIPT, message=SCRIPT, discipline="other", discipline_other=SCRIPT, consent=""
        )
    )
    html = response.content.decode()

    assert "<script>alert" not in html
    assert "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html


def test_email_domain_is_lower_cased_but_the_mailbox_is_kept(submit, form_data):
    submit(form_data(email="Ada.Lovelace@Example.AC.UK"))

    assert InterestRegistration.objects.get().email == "Ada.Lovelace@example.ac.uk"


# Random input, thrown at the view and at the form: never an exception.

any_text = st.text(max_size=300) | st.sampled_from(["", " ", SCRIPT, "a" * 6000, "x@y.z"])
form_values = st.fixed_dictionaries(
    {
        "name": any_text,
        "email": any_text | st.emails().map(str),
        "institution": any_text,
        "role": any_text,
        "discipline": any_text | st.sampled_from(Discipline.values),
        "discipline_other": any_text,
        "themes": st.lists(any_text | st.integers(-5, 10**12).map(str), max_size=8),
        "expertise": any_text,
        "message": any_text,
        "consent": st.sampled_from(["", "yes", "on", "false", "0", "1"]) | any_text,
        "website": st.sampled_from([""]) | any_text,
        "token": st.sampled_from(["valid", ""]) | any_text,
    },
    optional={"unexpected": any_text},
)
FUZZ = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _prepared(values: dict) -> dict:
    if values["token"] == "valid":
        values = values | {"token": aged_token()}
    return values


@FUZZ
@given(values=form_values)
def test_random_posts_never_cause_a_server_error(client, themes, settings, values):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 10**6
    before = InterestRegistration.objects.count()

    # The test client re-raises any exception a view lets escape, so reaching the
    # assertions means the view answered.
    response = client.post(REGISTER_URL, _prepared(values))

    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
        assert InterestRegistration.objects.count() == before


@FUZZ
@given(
    text=st.fixed_dictionaries(
        {field: st.text(max_size=250) for field in ("name", "institution", "role", "expertise")}
        | {"message": st.text(max_size=1000), "email": st.emails().map(str)}
    ),
    data=st.data(),
)
def test_whatever_the_form_accepts_the_database_stores(themes, text, data):
    """Mostly-valid forms with random text: the form and the database must agree."""
    from involvement.services import registration_create

    chosen = data.draw(st.lists(st.sampled_from(themes), min_size=1, unique=True))
    form = InterestRegistrationForm(
        data=text
        | {
            "discipline": data.draw(st.sampled_from(Discipline.values)),
            "discipline_other": data.draw(st.text(min_size=1, max_size=50)),
            "themes": [str(theme.pk) for theme in chosen],
            "consent": "yes",
            "token": aged_token(),
        }
    )
    if not form.is_valid():
        # Refused input is refused with a message, never silently.
        assert all(form.errors.values())
        return
    registration, created = registration_create(**form.registration_fields())
    registration.refresh_from_db()
    assert created
    for field in ("name", "email", "institution", "role", "expertise", "message"):
        assert getattr(registration, field) == form.cleaned_data[field]
    assert set(registration.themes.all()) == set(chosen)
    registration.full_clean()
