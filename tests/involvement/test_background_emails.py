"""Registration emails go from the task worker: never in the request, never lost, retried."""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from involvement.models import InterestRegistration
from publishing.background import retry_delay
from tests.conftest import run_background_tasks
from tests.involvement.conftest import REGISTER_URL

pytestmark = pytest.mark.django_db


def make_retries_due():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_the_request_sends_no_email_and_the_task_waits_while_the_worker_is_down(client, form_data):
    response = client.post(REGISTER_URL, form_data())

    assert response.status_code == 302
    assert mail.outbox == []
    waiting = DBTaskResult.objects.get()
    assert waiting.status == "READY"
    assert waiting.task_path == "involvement.tasks.registration_notify_task"

    run_background_tasks()  # the worker starts again, later

    assert len(mail.outbox) == 2
    registration = InterestRegistration.objects.get()
    assert registration.notified_at and registration.acknowledged_at
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_registration_that_is_not_stored_leaves_no_task(form_data, themes):
    from django.db import transaction

    from involvement.services import registration_create

    with pytest.raises(RuntimeError), transaction.atomic():
        registration_create(
            name="Ada", email="ada@example.org", institution="Leicester",
            discipline="law", themes=[themes[0]], consent=True,
        )  # fmt: skip
        raise RuntimeError("the request failed after the registration was saved")

    assert not InterestRegistration.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_while_mail_is_down_the_task_is_retried_later_with_growing_delays(
    client, form_data, mail_down, settings
):
    client.post(REGISTER_URL, form_data())
    started = timezone.now()
    run_background_tasks()
    first_retry = DBTaskResult.objects.get(status="READY")
    make_retries_due()
    run_background_tasks()
    second_retry = DBTaskResult.objects.get(status="READY")

    assert first_retry.run_after - started >= datetime.timedelta(seconds=59)
    assert second_retry.run_after - first_retry.run_after >= datetime.timedelta(seconds=59)
    assert InterestRegistration.objects.get().notification_attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_retries_due()
    run_background_tasks()
    assert len(mail.outbox) == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_worker_gives_up_after_the_configured_attempts(
    client, form_data, mail_down, settings, caplog
):
    settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS = 3
    client.post(REGISTER_URL, form_data())
    with caplog.at_level(logging.ERROR):
        for _ in range(5):
            run_background_tasks()
            make_retries_due()

    assert InterestRegistration.objects.get().notification_attempts == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert "Giving up registration_notify_task" in caplog.text


def test_retry_delays_double_up_to_the_ceiling():
    delays = [retry_delay(n, first_delay=60, max_delay=3600) for n in range(1, 9)]

    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]
