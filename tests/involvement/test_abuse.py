"""Bots and floods: honeypot, minimum time, one submission per form, and the rate limit."""

import datetime
import time

import pytest
from django.core import mail, signing
from django.test import Client, RequestFactory

from involvement.forms import FORM_TOKEN_SALT, form_token_issue
from involvement.models import InterestRegistration, RateLimitBucket
from involvement.ratelimit import address_key, client_address, rate_limit_hit
from tests.involvement.conftest import REGISTER_URL, THANKS_URL, aged_token

pytestmark = pytest.mark.django_db


# Bots are turned away silently.


def test_filled_honeypot_sees_the_normal_success_page_and_nothing_is_saved(submit, form_data):
    response = submit(form_data(website="https://cheap-pills.example"))

    assert response.status_code == 302
    assert response.url == THANKS_URL
    assert not InterestRegistration.objects.exists()
    assert mail.outbox == []


def test_form_sent_faster_than_a_person_could_is_silently_dropped(submit, form_data, settings):
    settings.EMPAC_REGISTRATION_MIN_SECONDS = 3

    response = submit(form_data(token=form_token_issue()))

    assert response.status_code == 302
    assert response.url == THANKS_URL
    assert not InterestRegistration.objects.exists()


def test_form_sent_after_the_minimum_time_is_stored(submit, form_data, settings):
    settings.EMPAC_REGISTRATION_MIN_SECONDS = 3

    submit(form_data(token=aged_token(seconds=4)))

    assert InterestRegistration.objects.count() == 1


def test_honeypot_is_hidden_from_people_and_screen_readers_and_out_of_the_tab_order(client, themes):
    html = client.get(REGISTER_URL).content.decode()

    assert '<div class="govuk-visually-hidden" aria-hidden="true">' in html
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in html


@pytest.mark.parametrize(
    "token",
    [
        "",
        "forged",
        signing.dumps({"t": 0, "n": "x"}, salt="some-other-salt"),
        signing.dumps({"t": 0}, salt=FORM_TOKEN_SALT),
    ],
    ids=["missing", "garbage", "wrong-signature", "no-nonce"],
)
def test_a_missing_or_forged_token_asks_the_person_to_send_again_keeping_answers(
    submit, form_data, token
):
    response = submit(form_data(token=token))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Check your answers and send it" in html
    assert 'value="Dr Ada Lovelace"' in html
    assert not InterestRegistration.objects.exists()

    # The page carries a fresh, valid token, so sending it again works.
    fresh = html.split('name="token" value="')[1].split('"')[0]
    assert fresh != token
    assert signing.loads(fresh, salt=FORM_TOKEN_SALT)["n"]


# Forms must come from this site (CSRF).


def test_a_form_without_its_csrf_token_is_refused_in_plain_words_and_not_stored(form_data):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(REGISTER_URL, form_data())

    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, your form could not be sent" in html
    assert "Go back to the form" in html and "Reload the page" in html
    assert 'href="http://testserver/get-involved/">Open the form again</a>' in html
    assert "CSRF" not in html  # no jargon
    assert 'href="#main"' in html  # the site's own layout, with its skip link
    assert not InterestRegistration.objects.exists()
    assert mail.outbox == []


def test_the_same_form_with_its_csrf_token_is_stored(form_data):
    """The refusal above comes from the CSRF check, not from anything else in the data."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(REGISTER_URL).content.decode()
    csrf = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = browser.post(REGISTER_URL, form_data(csrfmiddlewaretoken=csrf))

    assert response.status_code == 302
    assert InterestRegistration.objects.count() == 1


# A form sent twice is stored once.


def test_the_same_form_posted_twice_is_stored_once_and_emailed_once(submit, form_data):
    data = form_data()

    first = submit(data)
    second = submit(data)

    assert first.url == second.url == THANKS_URL
    assert InterestRegistration.objects.count() == 1
    assert len(mail.outbox) == 2  # curators and registrant, once each


def test_two_forms_from_the_same_person_are_two_registrations(submit, form_data):
    submit(form_data())
    submit(form_data(token=aged_token()))

    assert InterestRegistration.objects.count() == 2


# The rate limit.


def test_every_post_counts_and_the_one_over_the_limit_gets_a_friendly_429(
    submit, form_data, settings, half_past_ten
):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 3
    settings.EMPAC_REGISTRATION_RATE_WINDOW_SECONDS = 3600

    statuses = [
        submit(form_data(name="")).status_code,  # invalid: counts
        submit(form_data(website="bot")).status_code,  # bot: counts
        submit(form_data(token=aged_token())).status_code,  # valid: counts
    ]
    refused = submit(form_data(token=aged_token()))

    assert statuses == [200, 302, 302]
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "too many attempts" in html.lower()
    assert "try again in 30 minutes" in html
    assert 'class="govuk-heading-l"' in html  # the site's own styled page
    assert refused["Retry-After"] == "1800"  # the rest of the window
    assert InterestRegistration.objects.count() == 1


def test_the_limit_does_not_stop_people_reading_the_form(
    client, form_data, submit, settings, half_past_ten
):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 1
    submit(form_data())
    assert submit(form_data(token=aged_token())).status_code == 429

    assert client.get(REGISTER_URL).status_code == 200


def test_another_address_is_not_held_back_by_the_first(submit, form_data, settings, half_past_ten):
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 1
    submit(form_data(), REMOTE_ADDR="198.51.100.1")

    assert submit(form_data(), REMOTE_ADDR="198.51.100.1").status_code == 429
    assert submit(form_data(token=aged_token()), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_counts_live_in_the_database_keyed_by_a_hash_not_the_address(submit, form_data):
    submit(form_data(), REMOTE_ADDR="203.0.113.77")

    bucket = RateLimitBucket.objects.get()
    assert bucket.count == 1
    assert "203.0.113.77" not in bucket.key
    assert len(bucket.key) == 64


def test_the_allowance_comes_back_when_the_window_ends():
    start = datetime.datetime(2030, 1, 1, 10, 0, 5, tzinfo=datetime.UTC)
    hit = {"key": "k", "limit": 2, "window_seconds": 3600}

    results = [rate_limit_hit(**hit, now=start + datetime.timedelta(minutes=m)) for m in (0, 1, 2)]
    later = rate_limit_hit(**hit, now=start + datetime.timedelta(hours=1))

    assert [r.allowed for r in results] == [True, True, False]
    assert results[2].retry_after == 3600 - 5 - 120
    assert later.allowed and later.count == 1
    # The finished window's counter is cleared away.
    assert RateLimitBucket.objects.count() == 1


# Which address is the client's.


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_forwarded_header_is_ignored_unless_a_proxy_is_trusted(settings):
    settings.EMPAC_TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from("10.0.0.5", "198.51.100.9")) == "10.0.0.5"


def test_behind_one_trusted_proxy_the_address_it_saw_is_used_not_a_forged_one(settings):
    settings.EMPAC_TRUSTED_PROXY_COUNT = 1

    # The client claimed 1.2.3.4; the proxy appended the address it really saw.
    assert client_address(request_from("10.0.0.5", "1.2.3.4, 198.51.100.9")) == "198.51.100.9"


def test_behind_two_trusted_proxies_the_outer_proxys_view_is_used(settings):
    settings.EMPAC_TRUSTED_PROXY_COUNT = 2

    forwarded = "1.2.3.4, 198.51.100.9, 10.0.0.2"
    assert client_address(request_from("10.0.0.5", forwarded)) == "198.51.100.9"


def test_a_garbled_forwarded_header_falls_back_to_the_connection_address(settings):
    settings.EMPAC_TRUSTED_PROXY_COUNT = 1

    assert client_address(request_from("10.0.0.5", "not-an-ip")) == "10.0.0.5"


def test_forging_the_header_does_not_escape_the_limit_behind_a_trusted_proxy(
    submit, form_data, settings, half_past_ten
):
    settings.EMPAC_TRUSTED_PROXY_COUNT = 1
    settings.EMPAC_REGISTRATION_RATE_LIMIT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.5"}

    submit(form_data(), HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9", **proxy)
    again = submit(
        form_data(token=aged_token()), HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.9", **proxy
    )

    assert again.status_code == 429


def test_ipv6_addresses_in_one_64_block_share_an_allowance():
    one = address_key("2001:db8:1:2::1", scope="s")
    same_block = address_key("2001:db8:1:2:ffff::9", scope="s")
    other_block = address_key("2001:db8:1:3::1", scope="s")

    assert one == same_block
    assert one != other_block


def test_minimum_time_uses_the_time_the_form_was_shown(settings):
    from involvement.forms import InterestRegistrationForm

    settings.EMPAC_REGISTRATION_MIN_SECONDS = 10
    shown = time.time()

    quick = InterestRegistrationForm(data={"token": form_token_issue(issued_at=shown - 2)})
    slow = InterestRegistrationForm(data={"token": form_token_issue(issued_at=shown - 12)})

    assert quick.is_spam()
    assert not slow.is_spam()
