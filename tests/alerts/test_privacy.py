"""Subscriptions are in the privacy notice, the data export and the erasure."""

import json

import pytest
from django.contrib import admin

from alerts.models import Subscription
from involvement.models import InterestRegistration
from tests import factories

pytestmark = pytest.mark.django_db


def run_action(client, url, action, ids, **extra):
    data = {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: [str(pk) for pk in ids]}
    return client.post(url, {**data, **extra}, follow=extra.pop("follow", False))


REGISTRATIONS = "/admin/involvement/interestregistration/"
SUBSCRIPTIONS = "/admin/alerts/subscription/"


@pytest.fixture
def person(confirmed, themes):
    subscription = confirmed(email="Sam.Okafor@example.ac.uk")
    registration = factories.InterestRegistrationFactory(email="sam.okafor@example.ac.uk")
    factories.InterestRegistrationFactory(email="else@example.org")
    return registration, subscription


def test_the_privacy_notice_covers_alert_subscriptions(client):
    page = client.get("/privacy/").content.decode()
    assert "sign up for email alerts" in page
    assert "until you unsubscribe" in page


def test_the_registrations_export_includes_subscriptions_of_the_address(curator_client, person):
    registration, subscription = person

    response = run_action(curator_client, REGISTRATIONS, "export_personal_data", [registration.pk])

    data = json.loads(response.content)
    [record] = data["alert_subscriptions"]
    assert record["themes"] == ["Theme 1"]
    assert record["confirmed_at"] == subscription.confirmed_at.isoformat()
    assert record["consented_at"] == subscription.consented_at.isoformat()
    assert record["privacy_notice_version"] == subscription.privacy_notice_version


def test_the_registrations_erasure_deletes_subscriptions_of_the_address(curator_client, person):
    registration, _ = person

    confirm = run_action(curator_client, REGISTRATIONS, "erase_personal_data", [registration.pk])
    assert "1 alert subscriptions" in confirm.content.decode()
    assert Subscription.objects.exists()

    response = run_action(
        curator_client,
        REGISTRATIONS,
        "erase_personal_data",
        [registration.pk],
        confirm="yes",
        follow=True,
    )
    assert not Subscription.objects.exists()
    assert InterestRegistration.objects.count() == 1
    assert "1 alert subscription" in response.content.decode()


def test_a_subscriber_who_never_registered_can_be_exported_and_erased(curator_client, confirmed):
    subscription = confirmed(email="only-alerts@example.org")

    response = run_action(curator_client, SUBSCRIPTIONS, "export_personal_data", [subscription.pk])
    data = json.loads(response.content)
    assert data["registrations"] == []
    assert data["alert_subscriptions"][0]["email"] == "only-alerts@example.org"

    page = run_action(curator_client, SUBSCRIPTIONS, "erase_personal_data", [subscription.pk])
    assert "only-alerts@example.org" in page.content.decode()
    assert Subscription.objects.exists()  # asked first

    run_action(
        curator_client, SUBSCRIPTIONS, "erase_personal_data", [subscription.pk], confirm="yes"
    )
    assert not Subscription.objects.exists()


def test_curators_cannot_add_or_change_a_subscription(curator_client, confirmed):
    subscription = confirmed()
    assert curator_client.get(f"{SUBSCRIPTIONS}add/").status_code == 403
    page = curator_client.get(f"{SUBSCRIPTIONS}{subscription.pk}/change/")
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
