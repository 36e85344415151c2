"""Nothing lost: the registration is saved first, emails follow, failures are retried."""

import datetime
import logging
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from involvement.models import InterestRegistration
from involvement.services import registration_create
from tests import factories
from tests.conftest import run_background_tasks
from tests.involvement.conftest import REGISTER_URL, THANKS_URL

pytestmark = pytest.mark.django_db


def by_recipient():
    return {tuple(message.to): message for message in mail.outbox}


def test_curators_and_registrant_are_emailed_and_the_registration_marked_notified(
    submit, form_data
):
    submit(form_data())

    curators = by_recipient()[("curators@empac.example.org", "lead@empac.example.org")]
    acknowledgement = by_recipient()[("ada@example.ac.uk",)]
    registration = InterestRegistration.objects.get()
    assert f"#{registration.pk}" in curators.subject
    assert "Dr Ada Lovelace" in curators.body
    assert "University of Leicester" in curators.body
    assert "Published theme 1, Published theme 3" in curators.body
    assert (
        f"https://empac.example.org/admin/involvement/interestregistration/{registration.pk}/"
        in curators.body
    )
    assert curators.reply_to == ["ada@example.ac.uk"]
    assert "received your registration" in acknowledgement.body
    assert registration.notified_at is not None
    assert registration.acknowledged_at is not None
    assert registration.notification_attempts == 1


def test_acknowledgement_repeats_nothing_the_registrant_typed(submit, form_data):
    # Otherwise the form would relay any text to any address.
    submit(form_data(name="Visit spam.example now", message="Buy now at spam.example"))

    acknowledgement = by_recipient()[("ada@example.ac.uk",)]
    assert "spam.example" not in acknowledgement.body
    assert "spam.example" not in acknowledgement.subject


def test_emails_are_plain_text_with_user_html_shown_literally_not_rendered(submit, form_data):
    script = '<script>alert("x")</script> & <b>bold</b>'
    submit(form_data(name=script, message=script))

    for message in mail.outbox:
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", [])
    curators = by_recipient()[("curators@empac.example.org", "lead@empac.example.org")]
    # Literal text in a plain-text email: not HTML-escaped into &lt;, and never HTML.
    assert script in curators.body
    assert "&lt;" not in curators.body


@pytest.mark.django_db(transaction=True)
def test_the_registration_is_committed_before_any_email_is_sent(client, form_data, monkeypatch):
    from django.core.mail import EmailMessage

    seen_elsewhere = []

    def count_from_another_connection():
        # Another thread has its own connection, so it sees only committed rows.
        seen_elsewhere.append(InterestRegistration.objects.count())
        connections.close_all()

    def send(message, fail_silently=False):
        thread = threading.Thread(target=count_from_another_connection)
        thread.start()
        thread.join()
        return 1

    monkeypatch.setattr(EmailMessage, "send", send)

    client.post(REGISTER_URL, form_data())
    run_background_tasks()

    assert seen_elsewhere == [1, 1]  # curators' email, then the acknowledgement


def test_when_mail_is_down_the_registrant_still_sees_success_and_nothing_is_lost(
    submit, form_data, mail_down, caplog
):
    with caplog.at_level(logging.ERROR, logger="involvement.services"):
        response = submit(form_data())

    assert response.status_code == 302
    assert response.url == THANKS_URL
    registration = InterestRegistration.objects.get()
    assert registration.notified_at is None
    assert registration.acknowledged_at is None
    assert registration.notification_attempts == 1
    assert "SMTP server unreachable" in caplog.text
    assert InterestRegistration.objects.pending_notification().get() == registration


def test_send_pending_notifications_sends_what_failed_earlier(submit, form_data, settings):
    settings.EMAIL_BACKEND = "tests.involvement.conftest.FailingEmailBackend"
    submit(form_data())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    call_command("send_pending_notifications", "--older-than", "0")

    registration = InterestRegistration.objects.get()
    assert registration.notified_at is not None
    assert registration.acknowledged_at is not None
    assert registration.notification_attempts == 2
    assert len(mail.outbox) == 2
    # Run again: nothing left to send, nobody emailed twice.
    call_command("send_pending_notifications", "--older-than", "0")
    assert len(mail.outbox) == 2


def test_send_pending_notifications_fails_loudly_while_mail_is_still_down(
    submit, form_data, mail_down
):
    submit(form_data())

    with pytest.raises(CommandError, match="1 registration"):
        call_command("send_pending_notifications", "--older-than", "0")
    assert InterestRegistration.objects.get().notification_attempts == 2


def test_send_pending_notifications_leaves_registrations_tried_lately_to_the_worker(themes):
    fresh = factories.InterestRegistrationFactory(themes=[themes[0]])
    old = factories.InterestRegistrationFactory(themes=[themes[0]])
    half_an_hour_ago = timezone.now() - datetime.timedelta(minutes=30)
    InterestRegistration.objects.filter(pk=old.pk).update(
        created_at=half_an_hour_ago, updated_at=half_an_hour_ago
    )

    call_command("send_pending_notifications")

    fresh.refresh_from_db()
    old.refresh_from_db()
    assert fresh.notified_at is None
    assert old.notified_at is not None


def test_only_the_missing_email_is_retried(themes):
    registration = factories.InterestRegistrationFactory(
        themes=[themes[0]], notified_at=timezone.now()
    )
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    InterestRegistration.objects.filter(pk=registration.pk).update(
        created_at=an_hour_ago, updated_at=an_hour_ago
    )

    call_command("send_pending_notifications")

    assert [message.to for message in mail.outbox] == [[registration.email]]


def test_without_curator_addresses_the_registration_waits_for_them(
    submit, form_data, settings, caplog
):
    settings.EMPAC_CURATOR_EMAILS = []

    submit(form_data())

    registration = InterestRegistration.objects.get()
    assert registration.notified_at is None
    assert registration.acknowledged_at is not None
    assert "EMPAC_CURATOR_EMAILS is empty" in caplog.text


def test_service_refuses_a_registration_without_consent_or_themes(themes):
    from django.core.exceptions import ValidationError

    fields = {
        "name": "A",
        "email": "a@example.org",
        "institution": "B",
        "discipline": "law",
    }
    with pytest.raises(ValidationError):
        registration_create(**fields, themes=[themes[0]], consent=False)
    with pytest.raises(ValidationError):
        registration_create(**fields, themes=[], consent=True)
    with pytest.raises(ValidationError):
        registration_create(**fields | {"email": "nonsense"}, themes=[themes[0]], consent=True)
    assert not InterestRegistration.objects.exists()


def test_deploy_check_warns_when_no_curator_address_is_set(settings):
    from involvement.checks import curator_emails_configured

    settings.EMPAC_CURATOR_EMAILS = []
    assert [w.id for w in curator_emails_configured(None)] == ["involvement.W001"]
    settings.EMPAC_CURATOR_EMAILS = ["curators@empac.example.org"]
    assert curator_emails_configured(None) == []


def test_send_pending_notifications_gives_up_after_the_configured_attempts(
    submit, form_data, mail_down, settings, caplog
):
    settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS = 3
    submit(form_data())  # attempt 1, in the web request

    with caplog.at_level(logging.ERROR, logger="involvement.services"):
        for _ in range(2):  # attempts 2 and 3
            with pytest.raises(CommandError):
                call_command("send_pending_notifications", "--older-than", "0")
    assert "Giving up" in caplog.text
    assert InterestRegistration.objects.get().notification_attempts == 3

    # Given up: not tried again, and cron is not told of a failure every run.
    call_command("send_pending_notifications", "--older-than", "0")
    assert InterestRegistration.objects.get().notification_attempts == 3

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_notifications", "--older-than", "0", "--retry-given-up")
    registration = InterestRegistration.objects.get()
    assert registration.notified_at is not None and registration.acknowledged_at is not None


def test_waiting_for_curator_addresses_uses_up_no_attempts(submit, form_data, settings):
    settings.EMPAC_CURATOR_EMAILS = []
    settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS = 2
    submit(form_data())  # the acknowledgement is sent: one real attempt
    for _ in range(3):
        with pytest.raises(CommandError):
            call_command("send_pending_notifications", "--older-than", "0")
    assert InterestRegistration.objects.get().notification_attempts == 1

    settings.EMPAC_CURATOR_EMAILS = ["curators@empac.example.org"]
    call_command("send_pending_notifications", "--older-than", "0")
    assert InterestRegistration.objects.get().notified_at is not None
