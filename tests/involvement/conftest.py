import datetime
import time
from types import SimpleNamespace

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from involvement import ratelimit
from involvement.forms import form_token_issue
from tests import factories
from tests.conftest import run_background_tasks


@pytest.fixture
def themes(db):
    """The six published themes, plus a draft that must never be offered."""
    published = [
        factories.ThemeFactory(position=n, short_name=f"Published theme {n}") for n in range(1, 7)
    ]
    factories.ThemeFactory(position=7, short_name="Draft theme", status="draft")
    return published


def aged_token(seconds: float = 60) -> str:
    """A form token as if the form had been shown `seconds` ago."""
    return form_token_issue(issued_at=time.time() - seconds)


@pytest.fixture
def form_data(themes):
    """What a person filling in the form sensibly would send."""

    def make(**overrides):
        data = {
            "name": "Dr Ada Lovelace",
            "email": "ada@example.ac.uk",
            "institution": "University of Leicester",
            "role": "Senior lecturer",
            "discipline": "computer_science",
            "discipline_other": "",
            "themes": [str(themes[0].pk), str(themes[2].pk)],
            "expertise": "network analysis, cryptocurrency",
            "message": "I study money laundering through crypto exchanges.",
            "consent": "yes",
            "website": "",
            "token": aged_token(),
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def half_past_ten(monkeypatch):
    """Pin the limiter's clock half way through an hour's window.

    Windows start on the hour, so a test whose posts straddled one (a slow run at
    10:59:59) would see its count start again and the last post let through.
    """
    now = datetime.datetime(2030, 1, 1, 10, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(ratelimit, "timezone", SimpleNamespace(now=lambda: now))


REGISTER_URL = "/get-involved/"
THANKS_URL = "/get-involved/thank-you/"


@pytest.fixture
def submit(client):
    """POST the form as a browser would, then let the task worker send the emails."""

    def post(data, **extra):
        response = client.post(REGISTER_URL, data, **extra)
        run_background_tasks()
        return response

    return post


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.involvement.conftest.FailingEmailBackend"


@pytest.fixture(autouse=True)
def _curators(settings):
    settings.EMPAC_CURATOR_EMAILS = ["curators@empac.example.org", "lead@empac.example.org"]
    settings.EMPAC_SITE_URL = "https://empac.example.org"
