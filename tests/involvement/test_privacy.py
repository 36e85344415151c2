"""UK GDPR: retention and purging, subject access export, and erasure by email address."""

import datetime
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from involvement.models import InterestRegistration, RateLimitBucket
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:involvement_interestregistration_changelist")


def run_action(client, name, registrations, *, follow=False, **extra):
    return client.post(
        CHANGELIST,
        {"action": name, "index": "0", "_selected_action": [r.pk for r in registrations], **extra},
        follow=follow,
    )


def closed(days_ago: int, **fields):
    registration = factories.InterestRegistrationFactory(status="closed", **fields)
    InterestRegistration.objects.filter(pk=registration.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return registration


def record_admin_change(registration):
    """An admin history entry, which names the person as the registration's __str__ does."""
    LogEntry.objects.create(
        user=factories.UserFactory(),
        content_type=ContentType.objects.get_for_model(InterestRegistration),
        object_id=str(registration.pk),
        object_repr=str(registration),
        action_flag=CHANGE,
    )


def purge(*args):
    from io import StringIO

    out = StringIO()
    call_command("purge_registrations", *args, stdout=out)
    return out.getvalue()


# Retention.


def test_purge_deletes_closed_registrations_past_retention_and_says_which(settings):
    settings.EMPAC_REGISTRATION_RETENTION_DAYS = 365
    expired = closed(400)
    recently_closed = closed(30)
    old_but_open = factories.InterestRegistrationFactory(status="contacted")
    InterestRegistration.objects.filter(pk=old_but_open.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=900)
    )

    output = purge()

    assert set(InterestRegistration.objects.all()) == {recently_closed, old_but_open}
    assert f"Deleted registration #{expired.pk}" in output
    assert "Deleted 1 registration(s) closed more than 365 days ago." in output
    # What it says it removed names no one: the point is that the data is gone.
    assert expired.name not in output and expired.email not in output


def test_purge_dry_run_lists_but_deletes_nothing(settings):
    settings.EMPAC_REGISTRATION_RETENTION_DAYS = 30
    expired = closed(31)

    output = purge("--dry-run")

    assert f"Would delete registration #{expired.pk}" in output
    assert InterestRegistration.objects.filter(pk=expired.pk).exists()


def test_retention_period_follows_the_setting_or_the_option(settings):
    settings.EMPAC_REGISTRATION_RETENTION_DAYS = 10
    closed(20)

    purge("--days", "30")
    assert InterestRegistration.objects.count() == 1
    purge()
    assert InterestRegistration.objects.count() == 0


def test_purge_also_removes_the_admin_history_and_expired_rate_limit_counters():
    expired = closed(1000)
    record_admin_change(expired)
    old_window = timezone.now() - datetime.timedelta(days=2)
    RateLimitBucket.objects.create(key="a" * 64, window_start=old_window, count=3)
    RateLimitBucket.objects.create(key="b" * 64, window_start=timezone.now(), count=1)

    purge()

    assert not LogEntry.objects.filter(object_repr=str(expired)).exists()
    assert list(RateLimitBucket.objects.values_list("key", flat=True)) == ["b" * 64]


# Subject access and erasure.


@pytest.fixture
def one_person(themes):
    """Two registrations from one person (the address typed differently) and one from another."""
    first = factories.InterestRegistrationFactory(
        name="Sam Okafor",
        email="sam.okafor@example.ac.uk",
        curator_notes="Met at the Leicester workshop.",
        consented_at=datetime.datetime(2030, 5, 1, 9, 30, tzinfo=datetime.UTC),
        privacy_notice_version="2030-01",
        themes=[themes[0]],
    )
    second = factories.InterestRegistrationFactory(
        name="Sam Okafor", email="Sam.Okafor@example.ac.uk", themes=[themes[4]]
    )
    other = factories.InterestRegistrationFactory(name="Someone Else", email="else@example.org")
    return first, second, other


def test_export_gives_everything_held_about_one_email_address(curator_client, one_person):
    first, second, other = one_person

    response = run_action(curator_client, "export_personal_data", [first])

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["email"] == "sam.okafor@example.ac.uk"
    assert [r["id"] for r in data["registrations"]] == [first.pk, second.pk]
    record = data["registrations"][0]
    assert record["curator_notes"] == "Met at the Leicester workshop."
    assert record["themes"] == ["Published theme 1"]
    assert record["consented_at"] == "2030-05-01T09:30:00+00:00"
    assert record["privacy_notice_version"] == "2030-01"
    assert "Someone Else" not in response.content.decode()


def test_export_refuses_a_selection_spanning_several_people(curator_client, one_person):
    first, _, other = one_person

    response = run_action(curator_client, "export_personal_data", [first, other], follow=True)

    assert response["Content-Type"].startswith("text/html")
    assert "Select registrations from one email address at a time" in response.content.decode()


def test_erasure_asks_for_confirmation_first(curator_client, one_person):
    first, second, _ = one_person

    response = run_action(curator_client, "erase_personal_data", [first])

    assert response.status_code == 200
    html = response.content.decode()
    assert "sam.okafor@example.ac.uk" in html
    assert f"#{first.pk}" in html and f"#{second.pk}" in html
    assert "Yes, erase 2 registrations" in html
    assert InterestRegistration.objects.count() == 3


def test_erasure_deletes_every_registration_with_the_address_and_its_history(
    curator_client, one_person
):
    first, second, other = one_person
    record_admin_change(second)

    response = run_action(
        curator_client, "erase_personal_data", [first], confirm="yes", follow=True
    )

    assert list(InterestRegistration.objects.all()) == [other]
    assert not LogEntry.objects.filter(object_repr__contains="Sam Okafor").exists()
    assert "Erased 2 registrations" in response.content.decode()


def test_a_curator_without_delete_permission_cannot_erase(client, one_person):
    from django.contrib.auth.models import Permission

    viewer = factories.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_interestregistration"),
        Permission.objects.get(codename="change_interestregistration"),
    )
    client.force_login(viewer)

    run_action(client, "erase_personal_data", [one_person[0]], confirm="yes")

    assert InterestRegistration.objects.count() == 3
