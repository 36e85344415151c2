import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from alerts.models import Subscription
from alerts.services import digests_enqueue
from tests import factories
from tests.conftest import run_background_tasks

SUBSCRIBE_URL = "/alerts/"
LINK = re.compile(r"https?://\S+/alerts/(confirm|unsubscribe|manage)/(\S+)/")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.EMPAC_SITE_URL = "https://empac.example.org"
    settings.EMPAC_REPLY_TO_EMAIL = "contact@empac.example.org"


@pytest.fixture
def themes(db):
    published = [
        factories.ThemeFactory(position=n, short_name=f"Theme {n}", slug=f"theme-{n}")
        for n in (1, 2, 3)
    ]
    factories.ThemeFactory(position=9, short_name="Draft theme", slug="draft", status="draft")
    return published


@pytest.fixture
def form_data(themes):
    def make(**overrides):
        data = {
            "email": "reader@example.org",
            "themes": [str(themes[0].pk)],
            "frequency": "daily",
            "consent": "yes",
            "website": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def subscribe(client):
    def post(data, **extra):
        response = client.post(SUBSCRIBE_URL, data, **extra)
        run_background_tasks()
        return response

    return post


def link(message, kind: str) -> str:
    """The path of the confirm or unsubscribe link in an email's body."""
    for match in LINK.finditer(message.body):
        if match.group(1) == kind:
            return f"/alerts/{kind}/{match.group(2)}/"
    raise AssertionError(f"no {kind} link in:\n{message.body}")


def emails_to(address: str):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def confirmed(client, subscribe, form_data):
    """A reader subscribed and confirmed from the email; the outbox emptied after."""

    def make(**overrides):
        data = form_data(**overrides)
        subscribe(data)
        message = emails_to(data["email"])[-1]
        client.post(link(message, "confirm"))
        mail.outbox.clear()
        return Subscription.objects.get(email__iexact=data["email"])

    return make


def later(days: float, *, since=None) -> datetime.datetime:
    return (since or timezone.now()) + datetime.timedelta(days=days, minutes=1)


def run_digests(now=None) -> int:
    """What cron and the task worker do: send_digests, then the worker sends."""
    claimed = digests_enqueue(now=now)
    run_background_tasks()
    return claimed
