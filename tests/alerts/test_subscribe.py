"""Subscribing: double opt-in, consent with its time and notice version, a clear page."""

import pytest
from django.core import mail

from alerts.models import Subscription
from tests.alerts.conftest import SUBSCRIBE_URL, emails_to, link

pytestmark = pytest.mark.django_db


def test_subscribe_page_lists_published_themes_only(client, themes):
    page = client.get(SUBSCRIBE_URL).content.decode()
    assert "Theme 1" in page and "Theme 3" in page
    assert "Draft theme" not in page
    assert "knowledge-gap register" in page


def test_a_theme_pages_link_ticks_that_theme(client, themes):
    page = client.get(f"{SUBSCRIBE_URL}?theme=theme-2").content.decode()
    assert f'value="{themes[1].pk}" checked' in page
    assert f'value="{themes[0].pk}" checked' not in page
    gaps = client.get(f"{SUBSCRIBE_URL}?gaps=1").content.decode()
    assert 'name="gap_register" type="checkbox" value="yes" checked' in gaps


def test_subscribing_sends_only_a_confirmation_and_stores_no_consent_yet(subscribe, form_data):
    response = subscribe(form_data())

    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-email/"
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.consented_at is None
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "Confirm" in message.subject
    assert link(message, "confirm")
    assert message.reply_to == ["contact@empac.example.org"]


def test_confirming_stores_consent_with_its_time_and_notice_version(
    client, subscribe, form_data, settings, themes
):
    subscribe(form_data(themes=[str(themes[0].pk), str(themes[2].pk)], gap_register="yes"))
    confirm = link(mail.outbox[0], "confirm")

    # Following the link shows a button: a mail scanner that opens links confirms nothing.
    assert client.get(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_at is None

    response = client.post(confirm)
    assert response.status_code == 200
    assert "Alerts confirmed" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.consented_at is not None
    assert subscription.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
    assert set(subscription.themes.all()) == {themes[0], themes[2]}
    assert subscription.includes_gap_register
    assert subscription.frequency == "daily"


def test_the_check_email_page_says_nothing_is_sent_until_confirmed(client, subscribe, form_data):
    response = subscribe(form_data())
    page = client.get(response["Location"]).content.decode()
    assert "Nothing else is sent until you confirm" in page


def test_subscribing_again_before_confirming_keeps_one_subscription_with_the_new_choices(
    subscribe, form_data, themes
):
    subscribe(form_data())
    subscribe(form_data(email="Reader@example.org", themes=[str(themes[1].pk)]))

    subscription = Subscription.objects.get()
    assert list(subscription.themes.all()) == [themes[1]]
    assert len(emails_to("reader@example.org")) + len(emails_to("Reader@example.org")) == 2


def test_a_confirmed_address_is_not_changed_by_someone_typing_it_again(
    client, confirmed, subscribe, form_data, themes
):
    subscription = confirmed()
    subscribe(form_data(themes=[str(themes[2].pk)], frequency="weekly"))

    subscription.refresh_from_db()
    assert list(subscription.themes.all()) == [themes[0]]
    assert subscription.frequency == "daily"
    [message] = mail.outbox
    assert "already gets alerts" in message.body

    # Its owner confirms the change from the email.
    client.post(link(message, "confirm"))
    subscription.refresh_from_db()
    assert list(subscription.themes.all()) == [themes[2]]
    assert subscription.frequency == "weekly"


def test_every_email_can_unsubscribe_with_rfc_8058_headers(subscribe, form_data):
    subscribe(form_data())
    [message] = mail.outbox

    unsubscribe = link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<https://empac.example.org{unsubscribe}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_subscription_pages_are_never_cached(client, themes):
    response = client.get(SUBSCRIBE_URL)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_deploy_checks_warn_without_an_https_site_url_or_a_contact_address(settings):
    from alerts.checks import contact_email_configured, site_url_configured

    settings.EMPAC_SITE_URL = ""
    settings.EMPAC_CONTACT_EMAIL = ""
    assert [w.id for w in site_url_configured(None)] == ["alerts.W001"]
    assert [w.id for w in contact_email_configured(None)] == ["alerts.W002"]
    settings.EMPAC_SITE_URL = "https://empac.example.org"
    settings.EMPAC_CONTACT_EMAIL = "contact@empac.example.org"
    assert site_url_configured(None) == [] and contact_email_configured(None) == []
