"""Bad input: a clear page, never a 500, and nothing lost."""

import pytest
from django.core import mail, signing
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from alerts.models import Subscription
from alerts.tokens import CONFIRM_SALT
from tests.alerts.conftest import SUBSCRIBE_URL, emails_to, link
from tests.involvement.conftest import half_past_ten  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_a_bad_email_address_is_shown_again_with_a_clear_message(client, form_data):
    response = client.post(SUBSCRIBE_URL, form_data(email="reader.example.org"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter an email address in the correct format" in page
    assert 'value="reader.example.org"' in page  # what was typed is kept
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_no_theme_and_no_register_asks_for_one(client, form_data):
    response = client.post(SUBSCRIBE_URL, form_data(themes=None))
    assert "Select at least one theme, or the knowledge-gap register" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_draft_or_unknown_theme_is_refused(client, form_data):
    for value in ["999999", "not-a-number"]:
        response = client.post(SUBSCRIBE_URL, form_data(themes=[value]))
        assert response.status_code == 200
        assert "Select themes from the list" in response.content.decode()
    assert not Subscription.objects.exists()


def test_consent_is_required(client, form_data):
    response = client.post(SUBSCRIBE_URL, form_data(consent=None))
    assert "Confirm that we may store your email address" in response.content.decode()


def test_a_forged_confirmation_link_gets_a_clear_page(client, subscribe, form_data):
    subscribe(form_data())
    good = link(mail.outbox[0], "confirm")
    forged = good[:-3] + ("x" if good[-3] != "x" else "y") + "/"

    for method in (client.get, client.post):
        response = method(forged.replace("//", "/"))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_says_so_and_keeps_the_request(
    client, subscribe, form_data, settings
):
    subscribe(form_data())
    confirm = link(mail.outbox[0], "confirm")
    settings.EMPAC_ALERTS_CONFIRM_MAX_AGE = -1

    response = client.post(confirm)

    assert response.status_code == 400
    assert "This confirmation link has expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None  # nothing lost: sign up again
    settings.EMPAC_ALERTS_CONFIRM_MAX_AGE = 3600
    assert client.post(confirm).status_code == 200


def test_a_token_with_a_good_signature_but_wrong_shape_is_not_a_500(client):
    token = signing.dumps({"s": "one"}, salt=CONFIRM_SALT)
    response = client.post(f"/alerts/confirm/{token}/")
    assert response.status_code == 400


def test_unsubscribing_deletes_the_subscription_without_signing_in(client, confirmed, themes):
    subscription = confirmed()
    from alerts.tokens import unsubscribe_token

    path = f"/alerts/unsubscribe/{unsubscribe_token(subscription)}/"
    page = client.get(path)
    assert page.status_code == 200
    assert Subscription.objects.exists()  # opening the link alone changes nothing

    response = client.post(path)
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    assert not Subscription.objects.exists()


def test_unsubscribing_twice_says_so_clearly(client, confirmed):
    subscription = confirmed()
    from alerts.tokens import unsubscribe_token

    path = f"/alerts/unsubscribe/{unsubscribe_token(subscription)}/"
    client.post(path)
    response = client.post(path)

    assert response.status_code == 200
    assert "You are not subscribed" in response.content.decode()


def test_a_mail_clients_one_click_post_unsubscribes_without_cookies_or_csrf(confirmed):
    subscription = confirmed()
    from alerts.tokens import unsubscribe_token

    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/alerts/unsubscribe/{unsubscribe_token(subscription)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_a_forged_unsubscribe_link_gets_a_clear_page_and_deletes_nothing(client, confirmed):
    confirmed()
    for method in (client.get, client.post):
        response = method("/alerts/unsubscribe/forged-token/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.exists()


def test_an_old_link_does_not_act_on_a_new_subscription_of_the_same_address(
    client, confirmed, subscribe, form_data
):
    first = confirmed()
    from alerts.tokens import unsubscribe_token

    old_unsubscribe = f"/alerts/unsubscribe/{unsubscribe_token(first)}/"
    client.post(old_unsubscribe)
    second = confirmed()

    response = client.post(old_unsubscribe)
    assert "You are not subscribed" in response.content.decode()
    assert Subscription.objects.get() == second


def test_confirming_after_unsubscribing_gets_a_clear_page(client, subscribe, form_data):
    subscribe(form_data())
    message = emails_to("reader@example.org")[0]
    client.post(link(message, "unsubscribe"))

    response = client.post(link(message, "confirm"))
    assert response.status_code == 410
    assert "These alerts no longer exist" in response.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.usefixtures("half_past_ten")
def test_subscribe_posts_are_rate_limited_like_get_involved(client, form_data, settings):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 2
    for n in range(2):
        assert client.post(SUBSCRIBE_URL, form_data(email=f"r{n}@example.org")).status_code == 302
    response = client.post(SUBSCRIBE_URL, form_data(email="r3@example.org"))

    assert response.status_code == 429
    assert "Retry-After" in response
    assert Subscription.objects.count() == 2


def test_a_filled_honeypot_is_dropped_silently(client, form_data):
    response = client.post(SUBSCRIBE_URL, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Subscription.objects.exists()


def test_a_put_to_the_form_is_refused_not_a_500(client, themes):
    assert client.put(SUBSCRIBE_URL).status_code == 405


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    email=st.text(max_size=300),
    frequency=st.text(max_size=20),
    theme=st.text(max_size=20),
    token=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#%"),
        min_size=1,
        max_size=80,
    ),
)
def test_any_input_gets_a_page_never_a_500(
    client, themes, settings, email, frequency, theme, token
):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 10_000
    response = client.post(
        SUBSCRIBE_URL,
        {"email": email, "frequency": frequency, "themes": [theme], "consent": "yes"},
    )
    assert response.status_code in {200, 302}
    for kind in ("confirm", "unsubscribe"):
        assert client.post(f"/alerts/{kind}/{token}/").status_code in {200, 400, 404, 410}
